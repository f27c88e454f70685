package twin

import (
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The Stein 2019 fits equal an independent fit of the same likelihood in
// R (testdata/fit_cart.R: optim Nelder-Mead from 24 starts in R's own
// parameterisation, uniroot on the profile deviance) to 1e-4 relative.
func TestSteinMatchesR(t *testing.T) {
	pts, err := ReadCART("testdata/cart.csv")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/expected_cart.tsv")
	if err != nil {
		t.Fatal(err)
	}
	fits := map[string]*CARTFit{}
	for _, p := range pts {
		f, err := FitStein(p.Samples)
		if err != nil {
			if p.ID != "C3" {
				t.Errorf("%s: %v", p.ID, err)
			}
			continue
		}
		fits[p.ID] = f
	}
	if fits["C3"] != nil {
		t.Error("C3 has four samples: the Stein model must be not estimable")
	}
	num := func(s string) float64 {
		if s == "" {
			return math.NaN()
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
		c := strings.Split(line, "\t")
		f := fits[c[0]]
		if f == nil {
			t.Errorf("%s: no fit", c[0])
			continue
		}
		est, lo, hi := num(c[2]), num(c[3]), num(c[4])
		if c[1] == "loglik" {
			if !close1e4(f.LogLik, est) {
				t.Errorf("%s loglik %v, R %v", c[0], f.LogLik, est)
			}
			n++
			continue
		}
		var p Param
		for _, q := range f.Params {
			if q.Name == c[1] {
				p = q
			}
		}
		// An empty bound in R: its walk never crossed (no bound) — lsc must say 0 / +Inf.
		if math.IsNaN(lo) {
			lo = 0
		}
		if math.IsNaN(hi) {
			hi = math.Inf(1)
		}
		if !close1e4(p.Estimate, est) || !close1e4(p.Lower, lo) || !sameInf(p.Upper, hi) {
			t.Errorf("%s %s: %v [%v, %v], R %v [%v, %v]", c[0], c[1], p.Estimate, p.Lower, p.Upper, est, lo, hi)
		}
		n++
	}
	if n != 16 {
		t.Errorf("%d values checked, want 16 (2 patients x 7 parameters + loglik)", n)
	}
}

func sameInf(got, want float64) bool {
	if math.IsInf(want, 1) {
		return math.IsInf(got, 1)
	}
	return close1e4(got, want)
}

func TestReadCARTErrors(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"blq without lloq", "patient,day,value\nA,1,BLQ\n", "lloq"},
		{"days out of order", "patient,day,value,lloq\nA,5,10,1\nA,3,10,1\n", "not after day 5"},
		{"bad value", "patient,day,value\nA,1,abc\n", "not a non-negative number"},
		{"negative value", "patient,day,value\nA,1,-3\n", "not a non-negative number"},
		{"missing column", "patient,value\nA,1\n", "day"},
	} {
		path := t.TempDir() + "/c.csv"
		os.WriteFile(path, []byte(c.text), 0o644)
		_, err := ReadCART(path)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "c.csv") {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	path := t.TempDir() + "/ok.csv"
	os.WriteFile(path, []byte("patient,day,value,lloq\nA,0,<5,\nA,1,3,5\nA,2,10,5\n"), 0o644)
	p, err := ReadCART(path)
	if err != nil || len(p) != 1 || !p[0].Samples[0].BLQ || p[0].Samples[0].LLOQ != 5 || !p[0].Samples[1].BLQ || p[0].Samples[2].Value != 10 {
		t.Errorf("%v %+v", err, p)
	}
}

func FuzzReadCART(f *testing.F) {
	f.Add("patient,day,value,lloq\nA,0,BLQ,5\nA,1,30,5\n")
	f.Add("patient\tday\tvalue\nA\t1\t<3\n")
	f.Fuzz(func(t *testing.T, s string) {
		path := t.TempDir() + "/f.csv"
		os.WriteFile(path, []byte(s), 0o644)
		pts, err := ReadCART(path)
		if err != nil {
			return
		}
		for _, p := range pts {
			for _, x := range p.Samples {
				if x.BLQ == !math.IsNaN(x.Value) || (x.BLQ && !(x.LLOQ > 0)) {
					t.Fatalf("inconsistent sample %+v", x)
				}
			}
		}
	})
}
