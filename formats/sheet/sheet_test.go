package sheet

import (
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/formats"
)

func TestParseCSVAndTSV(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"a.csv", "\ufeff# exported\nPatient, Date ,x\np1,2020-01-01,\"a,b\"\n,,\np2,2020-02-01,c,\n"},
		{"a.tsv", "Patient\tDate\tx\np1\t2020-01-01\ta,b\n\t\t\np2\t2020-02-01\tc\n"},
		{"a.txt", "Patient\tDate\tx\np1\t2020-01-01\ta,b\np2\t2020-02-01\tc\n"},
	} {
		sh, err := Parse(strings.NewReader(tc.text), tc.name)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(sh.Rows) != 2 || sh.Col("date") != 1 || sh.Col("PATIENT") != 0 || sh.Col("nope") != -1 {
			t.Fatalf("%s: rows %d header %q", tc.name, len(sh.Rows), sh.Header)
		}
		if got := sh.Rows[0].Get(2); got != "a,b" {
			t.Errorf("%s: field = %q", tc.name, got)
		}
		if sh.Rows[1].Get(0) != "p2" {
			t.Errorf("%s: second row %q", tc.name, sh.Rows[1].Fields)
		}
	}
	sh, _ := Parse(strings.NewReader("# c\na,b\n1,2\n\n3,4\n"), "a.csv")
	if sh.Rows[0].Line != 3 || sh.Rows[1].Line != 5 {
		t.Errorf("line numbers %d %d, want 3 5", sh.Rows[0].Line, sh.Rows[1].Line)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"a,b\n1,2,3\n", "line 2"},
		{"a,a\n1,2\n", "appears twice"},
		{"a,,b\n", "empty column name"},
		{"", "no header"},
		{"a,b\n\"1,2\n", "malformed"},
	} {
		_, err := Parse(strings.NewReader(tc.text), "x.csv")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.text, err, tc.want)
			continue
		}
		if _, ok := formats.AsParseError(err); !ok {
			t.Errorf("%q: not a ParseError", tc.text)
		}
	}
	sh, _ := Parse(strings.NewReader("a,b\n1,2\n"), "x.csv")
	if _, err := sh.Require("lsc mrd", "a", "c", "d"); err == nil || !strings.Contains(err.Error(), "c, d") {
		t.Errorf("Require: %v", err)
	}
}

func FuzzSheet(f *testing.F) {
	f.Add("a,b\n1,2\n")
	f.Add("a\tb\n1\t\"2\n")
	f.Add("#x\n\ufeffa;b\n1;2\n")
	f.Fuzz(func(t *testing.T, s string) {
		sh, err := Parse(strings.NewReader(s), "f")
		if err != nil {
			return
		}
		for _, r := range sh.Rows {
			if len(r.Fields) != len(sh.Header) {
				t.Fatalf("row with %d fields, header %d", len(r.Fields), len(sh.Header))
			}
		}
	})
}

// The delimiter comes from the header, not the file name: a tab-separated
// ".csv", a semicolon file and a comma ".tsv" all read as three columns
// (issue 11 item 11).
func TestDelimiterFromHeader(t *testing.T) {
	for _, c := range []struct{ name, text string }{
		{"tab.csv", "sample\tpatient\tpath\nS1\tP1\ta,b.tsv\n"},
		{"semi.csv", "sample;patient;path\nS1;P1;a,b.tsv\n"},
		{"comma.tsv", "sample,patient,path\nS1,P1,\"a,b.tsv\"\n"},
		{"noext", "\"a;b\",patient,path\nS1,P1,\"a,b.tsv\"\n"},
	} {
		sh, err := Parse(strings.NewReader(c.text), c.name)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(sh.Header) != 3 || len(sh.Rows) != 1 || sh.Rows[0].Get(2) != "a,b.tsv" {
			t.Errorf("%s: header %q rows %v", c.name, sh.Header, sh.Rows)
		}
	}
}
