package adt

import (
	"errors"
	"strings"
	"testing"
)

func TestReadTable(t *testing.T) {
	m, err := ReadTable(strings.NewReader("# lsc\ncell\tCD3\tCD19\nc1\t1.5\t-2\nc2\t0\t3e-1\n"), "x.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.Antibodies, ",") != "CD3,CD19" || strings.Join(m.Cells, ",") != "c1,c2" || m.Values[1][1] != 0.3 || m.Values[1][0] != -2 {
		t.Errorf("%+v", m)
	}
	m, err = ReadTable(strings.NewReader("\"\",\"CD3\"\r\n\"c1\",2\r\n"), "x.csv")
	if err != nil || m.Antibodies[0] != "CD3" || m.Cells[0] != "c1" || m.Values[0][0] != 2 {
		t.Errorf("csv: %+v %v", m, err)
	}
	for in, want := range map[string]string{
		"":                             "empty",
		"cell\n":                       "header needs",
		"cell\tCD3\tCD3\nc\t1\t2\n":    "twice",
		"cell\tCD3\n":                  "no cells",
		"cell\tCD3\nc1\t1\t2\n":        "line 2: 3 fields",
		"cell\tCD3\nc1\tNA\n":          `"NA" is not a finite number`,
		"cell\tCD3\nc1\t1\nc1\t2\n":    "already on line 2",
		"cell\tCD3\tCD4\nc1\t1\tInf\n": "CD4",
	} {
		_, err := ReadTable(strings.NewReader(in), "t.tsv")
		if !errors.Is(err, ErrTable) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "t.tsv") {
			t.Errorf("%q: error %v, want one containing %q and the file name", in, err, want)
		}
	}
}

// ReadTable never panics, and what it returns is rectangular.
func FuzzReadTable(f *testing.F) {
	f.Add("cell\tCD3\tCD19\nc1\t1.5\t-2\nc2\t0\t3e-1\n")
	f.Add("\"\",\"CD3\"\r\n\"c1\",2\r\n")
	f.Add("# x\n\ncell\tA\nc\t1e400\n")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ReadTable(strings.NewReader(s), "f")
		if err != nil {
			return
		}
		if len(m.Values) != len(m.Antibodies) {
			t.Fatalf("%d value rows for %d antibodies", len(m.Values), len(m.Antibodies))
		}
		for _, v := range m.Values {
			if len(v) != len(m.Cells) {
				t.Fatalf("%d values for %d cells", len(v), len(m.Cells))
			}
		}
	})
}

// FitMixture never panics and returns finite parameters or an error.
func FuzzFitMixture(f *testing.F) {
	f.Add([]byte{1, 2, 3, 40, 41, 42, 43, 90})
	f.Fuzz(func(t *testing.T, b []byte) {
		x := make([]float64, len(b))
		for i, v := range b {
			x[i] = float64(v)
		}
		m, err := FitMixture(x, 2)
		if err != nil {
			return
		}
		for k := range m.Mean {
			if m.Mean[k] != m.Mean[k] || m.Var[k] <= 0 || m.Pro[k] < 0 {
				t.Fatalf("%+v", m)
			}
		}
	})
}
