package mrd

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/formats/sheet"
)

// A patient monitored by FISH only (MDS1: del(5q) MDS on lenalidomide) is
// not a CML course: no milestones, no MMR, no TFR (issue 11 item 7).
func TestFISHOnlyPatientGetsNoCMLRules(t *testing.T) {
	a := load(t)
	p := patient(t, a, "MDS1")
	if p.CML || len(p.Milestones) != 0 || p.TFR != NotApplicable || p.Deepest != "" || !math.IsNaN(p.DMRYears) || !math.IsNaN(p.TKIYears) {
		t.Errorf("MDS1: CML %v, %d milestones, TFR %q, deepest %q, DMR %v, TKI %v", p.CML, len(p.Milestones), p.TFR, p.Deepest, p.DMRYears, p.TKIYears)
	}
	if p.TherapyStart.Format(dateLayout) != "2017-10-01" || len(p.Expansions) != 1 {
		t.Errorf("MDS1 keeps its therapy start and FISH flag: %v %d", p.TherapyStart, len(p.Expansions))
	}
	// Chu is BCR::ABL1 (against BCR, not IS): still a CML course, not assessable.
	if c := patient(t, a, "Chu"); !c.CML || c.TFR != "not assessable" {
		t.Errorf("Chu: CML %v TFR %q", c.CML, c.TFR)
	}
}

// ISO 8601 with the year first is unambiguous also with one-digit month and
// day (issue 11 item 18); impossible dates are still refused.
func TestParseDate(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2020-04-01", "2020-04-01"}, {"2020-4-1", "2020-04-01"}, {"2020-12-9", "2020-12-09"},
		{"2020-4-1T10:00:00", "2020-04-01"}, {"2020-04-01 10:00", "2020-04-01"}, {"2024-2-29", "2024-02-29"},
		{"2023-2-29", ""}, {"2020-13-1", ""}, {"2020-4-31", ""}, {"20-4-1", ""}, {"01/04/2020", ""}, {"2020-+4-1", ""}, {"2020-004-1", ""}, {"", ""},
	} {
		got, err := ParseDate(c.in)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("ParseDate(%q) = %v, want an error", c.in, got)
		case c.want == "" && !errors.Is(err, ErrDate):
			t.Errorf("ParseDate(%q): %v does not match ErrDate", c.in, err)
		case c.want != "" && (err != nil || got.Format(dateLayout) != c.want):
			t.Errorf("ParseDate(%q) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
}

// Rows out of date order within a patient are assessed in date order, with
// a note on the row and on the patient, instead of stopping the run (issue
// 11 item 18). Expected values by hand: sorted, the samples are 2020-01-01
// 10 %, 2020-04-01 1 %, 2020-07-01 0.1 % (therapy from 2020-01-01): 3 months
// 1 % <= 10 % optimal, 6 months 0.1 % <= 1 % optimal; the fit falls exactly
// 2 log over the half year.
func TestRowsOutOfOrderAreSorted(t *testing.T) {
	sh, err := sheet.Parse(strings.NewReader("patient,date,fraction,assay,target,target_copies,control_gene,control_copies,conversion_factor\n"+
		"P,2020-07-01,PB,qpcr,BCR::ABL1,10,ABL1,10000,1\n"+
		"P,2020-1-1,PB,qpcr,BCR::ABL1,1000,ABL1,10000,1\n"+
		"P,2020-04-01,PB,qpcr,BCR::ABL1,100,ABL1,10000,1\n"), "m.csv")

	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseMeasurements(sh)
	if err != nil {
		t.Fatalf("out-of-order rows must not stop the run: %v", err)
	}
	ps, _ := sheet.Parse(strings.NewReader("patient,therapy_start\nP,2020-01-01\n"), "p.csv")
	pts, err := ParsePatients(ps)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Assess(d, pts, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if a.Rows[0].Line != 2 || a.Rows[1].Line != 3 {
		t.Error("rows must stay in input order")
	}
	if n := strings.Join(a.Rows[1].Notes, ";"); !strings.Contains(n, "out of date order: 2020-01-01 is before 2020-07-01 on line 2") {
		t.Errorf("row note: %q", n)
	}
	if n := strings.Join(a.Rows[2].Notes, ";"); !strings.Contains(n, "out of date order") {
		t.Errorf("line 4 (2020-04-01 after 2020-07-01): %q", n)
	}
	p := a.Patients[0]
	if !strings.Contains(strings.Join(p.Notes, ";"), "rows out of date order in the input (line 3, 4): assessed in date order") {
		t.Errorf("patient notes %q", p.Notes)
	}
	if p.Milestones[0].Status != "optimal" || p.Milestones[0].SampleDate.Format(dateLayout) != "2020-04-01" || p.Milestones[1].Status != "optimal" {
		t.Errorf("milestones %+v", p.Milestones)
	}
	s := a.Series[0]
	if s.First.Format(dateLayout) != "2020-01-01" || s.Last.Format(dateLayout) != "2020-07-01" || !close(s.ChangeLog, -2) {
		t.Errorf("series %v..%v change %v", s.First, s.Last, s.ChangeLog)
	}
	if p.MMRDate.Format(dateLayout) != "2020-07-01" || !p.LossOfMMR.IsZero() {
		t.Errorf("MMR %v loss %v (the 10 %% sample is the first, not a loss)", p.MMRDate, p.LossOfMMR)
	}
}

// Derived percentages are the decimal quotient rounded once (issue 11 item
// 19): 10/10,000 x 100 x 0.8 is 0.08 and 116/1,000 x 100 is 11.6, exactly
// the float64 nearest those decimals, so they print without float noise.
func TestPercentWithoutFloatNoise(t *testing.T) {
	a := load(t)
	if got := a.Rows[12].ISPercent; got != 0.08 {
		t.Errorf("P3 CF 0.8: IS %v, want 0.08", got)
	}
	if got := a.Rows[24].RatioPercent; got != 28.5 {
		t.Errorf("Chu 285/1000: %v, want 28.5", got)
	}
	if got := a.Rows[28].RatioPercent; got != 11.6 {
		t.Errorf("Chu 116/1000: %v, want 11.6", got)
	}
	for _, c := range []struct{ n, d, cf, want float64 }{
		{7, 10000, 0.93, 0.0651}, {1, 3, 1, 100.0 / 3}, {12.5, 1000, 1, 1.25}, {1, 120000, 1, 100.0 / 120000}, {3, 7, 1.1, 330.0 / 7},
	} {
		if got := percent(c.n, c.d, c.cf); got != c.want {
			t.Errorf("percent(%v, %v, %v) = %v, want %v", c.n, c.d, c.cf, got, c.want)
		}
	}
}

// Bad input is a formats.ParseError naming file and line that also matches
// its kind (issue 12 item 3).
func TestErrorKinds(t *testing.T) {
	head := "patient,date,fraction,assay,target,target_copies,control_gene,control_copies,replicate\n"
	for _, c := range []struct {
		row  string
		kind error
	}{
		{"P,2020-02-01,PB,qpcr,BCR::ABL1,-5,ABL1,10000,\n", ErrNumber},
		{"P,2020-02-30,PB,qpcr,BCR::ABL1,5,ABL1,10000,\n", ErrDate},
		{"P,2020-02-01,PB,qpcr,BCR::ABL1,5,B2M,10000,\n", ErrControlGene},
		{"P,2020-02-01,PB,ngs,BCR::ABL1,5,ABL1,10000,\n", ErrAssay},
		{",2020-02-01,PB,qpcr,BCR::ABL1,5,ABL1,10000,\n", ErrMissing},
	} {
		sh, _ := sheet.Parse(strings.NewReader(head+c.row), "m.csv")
		_, err := ParseMeasurements(sh)
		pe, ok := formats.AsParseError(err)
		if !errors.Is(err, c.kind) || !ok || pe.Line != 2 || pe.File != "m.csv" {
			t.Errorf("%q: %v, want kind %v at m.csv line 2", c.row, err, c.kind)
		}
	}
	sh, _ := sheet.Parse(strings.NewReader(head+"P,2020-02-01,PB,qpcr,BCR::ABL1,5,ABL1,10000,1\nP,2020-02-01,PB,qpcr,BCR::ABL1,5,ABL1,10000,1\n"), "m.csv")
	d, err := ParseMeasurements(sh)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Assess(d, nil, DefaultParams()); !errors.Is(err, ErrReplicate) || !strings.Contains(err.Error(), "m.csv line 3") {
		t.Errorf("duplicate replicate: %v", err)
	}
}

// Any string either fails with ErrDate or gives a date that reads back the
// same from its canonical form.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2020-4-1", "2020-04-01T10:00", "2020-02-30", "0000-1-1", "9999-12-31 x", "-2020-1-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, ErrDate) {
				t.Fatalf("%q: %v is not ErrDate", s, err)
			}
			return
		}
		back, err := ParseDate(d.Format(dateLayout))
		if err != nil || !back.Equal(d) {
			t.Fatalf("%q -> %v -> %v, %v", s, d, back, err)
		}
	})
}
