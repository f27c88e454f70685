package mrd

import (
	"math"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/formats/sheet"
)

// Every expectation below is derived by hand from the rules quoted in the
// package doc (ELN 2020 Tables 4, 5 and 7; Cross 2012 Table 1; Cross 2015).

func TestClassifyBoundaries(t *testing.T) {
	cases := []struct {
		target, control string
		tc, cc, cf      float64
		want            Response
	}{
		{BCRABL1, "ABL1", 10, 10000, 1, MMR},         // exactly 0.1 % IS
		{BCRABL1, "ABL1", 11, 10000, 1, NoMMR},       // 0.11 %
		{BCRABL1, "ABL1", 10, 10000, 0.8, MMR},       // 0.1 % x 0.8 = 0.08 %
		{BCRABL1, "ABL1", 10, 10000, 1.2, NoMMR},     // 0.12 %
		{BCRABL1, "ABL1", 1, 10000, 1, MR4},          // exactly 0.01 %
		{BCRABL1, "ABL1", 32, 1000000, 1, MR45},      // exactly 0.0032 %
		{BCRABL1, "ABL1", 33, 1000000, 1, MR4},       // 0.0033 %
		{BCRABL1, "ABL1", 1, 100000, 1, MR5},         // exactly 0.001 %
		{BCRABL1, "ABL1", 0, 9999, 1, NotAssessable}, // undetectable, < 10,000 ABL1
		{BCRABL1, "ABL1", 0, 10000, 1, MR4},
		{BCRABL1, "ABL1", 0, 31999, 1, MR4},
		{BCRABL1, "ABL1", 0, 32000, 1, MR45},
		{BCRABL1, "ABL1", 0, 99999, 1, MR45},
		{BCRABL1, "ABL1", 0, 100000, 1, MR5},
		{BCRABL1, "ABL1", 0, 10000, 5, MR4}, // undetectable: the factor does not move the copy thresholds
		{BCRABL1, "GUSB", 0, 23999, 1, NotAssessable},
		{BCRABL1, "GUSB", 0, 24000, 1, MR4},
		{BCRABL1, "GUSB", 0, 77000, 1, MR45},
		{BCRABL1, "GUSB", 0, 240000, 1, MR5},
		{BCRABL1, "BCR", 1, 100000, 1, NotAssessable}, // BCR control: no IS
		{"NPM1 mutA", "ABL1", 1, 100000, 1, NotAssessable},
	}
	for _, c := range cases {
		got, rule := Classify(c.target, c.control, c.tc, c.cc, c.cf)
		if got != c.want {
			t.Errorf("Classify(%s/%s %g/%g cf %g) = %s (%s), want %s", c.target, c.control, c.tc, c.cc, c.cf, got, rule, c.want)
		}
	}
}

func load(t *testing.T) *Assessment {
	t.Helper()
	d, err := ReadMeasurements("testdata/measurements.csv")
	if err != nil {
		t.Fatal(err)
	}
	pts, err := ReadPatients("testdata/patients.csv")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Assess(d, pts, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func patient(t *testing.T, a *Assessment, id string) PatientResult {
	for _, p := range a.Patients {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no patient %s", id)
	return PatientResult{}
}

func close(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

func TestRowsKeptInOrderWithDerivedValues(t *testing.T) {
	a := load(t)
	if len(a.Rows) != 35 {
		t.Fatalf("%d rows, want all 35 input rows", len(a.Rows))
	}
	for i := 1; i < len(a.Rows); i++ {
		if a.Rows[i].Line <= a.Rows[i-1].Line {
			t.Fatal("rows not in input order")
		}
	}
	r := a.Rows[0] // P1 1500/10000 ABL1, CF 1, line 3
	if r.Line != 3 || !close(r.RatioPercent, 15) || !close(r.ISPercent, 15) || !close(r.LogReduction, math.Log10(100.0/15)) || r.Response != NoMMR {
		t.Errorf("P1 first row: %+v", r)
	}
	// P3 line 15: 10/10000 with CF 0.8 -> ratio 0.1 %, IS 0.08 %, log reduction log10(1250).
	r = a.Rows[12]
	if !close(r.RatioPercent, 0.1) || !close(r.ISPercent, 0.08) || !close(r.LogReduction, math.Log10(1250)) || r.Response != MMR {
		t.Errorf("P3 CF 0.8 row: %+v", r)
	}
	// P3 without a conversion factor: 1 is used and the row says so.
	if !strings.Contains(strings.Join(a.Rows[9].Notes, ";"), "no conversion factor") {
		t.Errorf("missing-factor note absent: %q", a.Rows[9].Notes)
	}
	want := []Response{NotAssessable, MR4, MMR, MMR, NoMMR}
	for i, w := range want {
		if got := a.Rows[9+i].Response; got != w {
			t.Errorf("P3 row %d: %s, want %s", i, got, w)
		}
	}
	// Undetectable rows: IS 0, no log reduction, detectable false.
	if r := a.Rows[9]; r.Detectable || r.ISPercent != 0 || !math.IsNaN(r.LogReduction) {
		t.Errorf("undetectable row: %+v", r)
	}
}

func TestReplicatesSummed(t *testing.T) {
	a := load(t)
	// P4: two replicates of 0/6,000 ABL1 make 0/12,000: MR4, though each alone is not assessable.
	for _, i := range []int{14, 15} {
		if a.Rows[i].Response != MR4 {
			t.Errorf("row %d: %s, want MR4 from 12,000 summed ABL1 copies", i, a.Rows[i].Response)
		}
	}
	// 1/20,000 + 0/20,000 = 1/40,000 = 0.0025 % IS: MR4.5 (one replicate alone, 0.005 %, is MR4).
	if a.Rows[16].Response != MR45 || !close(a.Rows[16].ISPercent, 0.005) {
		t.Errorf("row 16: %s IS %g", a.Rows[16].Response, a.Rows[16].ISPercent)
	}
	if a.Rows[18].Response != NotAssessable || a.Rows[19].Response != MR4 {
		t.Errorf("GUSB 23,999 / 24,000: %s / %s", a.Rows[18].Response, a.Rows[19].Response)
	}
}

func TestMilestones(t *testing.T) {
	a := load(t)
	p1 := patient(t, a, "P1")
	// 3 months: 15 % > 10 %, confirmed 12 % on 2020-06-15 (2.5 months later): failure.
	// 6 months (due 2020-07-01): nearest sample 2020-06-15, 16 days away, 12 % > 10 %: failure.
	// 12 months: no sample within 42 days.
	got := []string{p1.Milestones[0].Status, p1.Milestones[1].Status, p1.Milestones[2].Status, p1.Milestones[3].Status}
	want := []string{"failure", "failure", "not assessable", "not assessable"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("P1 milestone %d: %s (%s), want %s", i, got[i], p1.Milestones[i].Rule, want[i])
		}
	}
	if p1.TFR != "not eligible" {
		t.Errorf("P1 TFR %s", p1.TFR)
	}
	p2 := patient(t, a, "P2")
	for _, m := range p2.Milestones {
		if m.Status != "optimal" {
			t.Errorf("P2 %s: %s (%s)", m.Name, m.Status, m.Rule)
		}
	}
	if !close(p2.Milestones[0].ISPercent, 5) || !close(p2.Milestones[1].ISPercent, 0.5) || !close(p2.Milestones[2].ISPercent, 0.05) {
		t.Errorf("P2 milestone values %v %v %v", p2.Milestones[0].ISPercent, p2.Milestones[1].ISPercent, p2.Milestones[2].ISPercent)
	}
	// Latest: undetectable with 120,000 ABL1: sensitivity 100/120000 %.
	if l := p2.Milestones[3]; !l.Undetectable || !close(l.ISPercent, 100.0/120000) {
		t.Errorf("P2 latest %+v", l)
	}
	if p2.MMRDate.Format(dateLayout) != "2015-01-01" || !p2.LossOfMMR.IsZero() || p2.Deepest != MR5 {
		t.Errorf("P2 MMR %v loss %v deepest %s", p2.MMRDate, p2.LossOfMMR, p2.Deepest)
	}
	// DMR: MR4.5 from 2016-01-01; the not-assessable 2018 sample neither ends nor extends the run;
	// last 2019-06-01: 1247 days = 3.414 years. TKI from 2014-01-01 to 2019-06-01 = 1977 days.
	if !close(p2.DMRYears, 1247/365.25) || !close(p2.MR45Years, 1247/365.25) || !close(p2.TKIYears, 1977/365.25) {
		t.Errorf("P2 DMR %v MR4.5 %v TKI %v", p2.DMRYears, p2.MR45Years, p2.TKIYears)
	}
	if p2.TFR != "optimal criteria met" {
		t.Errorf("P2 TFR %q: %q", p2.TFR, p2.TFRRules)
	}
	p3 := patient(t, a, "P3")
	if len(p3.Milestones) != 0 || p3.TFR != "not assessable" || !strings.Contains(strings.Join(p3.Notes, ";"), "no therapy start") {
		t.Errorf("P3 (no therapy start): %+v", p3)
	}
	p5 := patient(t, a, "P5")
	if p5.LossOfMMR.Format(dateLayout) != "2016-07-01" || p5.Milestones[3].Status != "warning" {
		t.Errorf("P5 loss of MMR %v, latest %+v", p5.LossOfMMR, p5.Milestones[3])
	}
	// 12 months (due 2016-01-01): sample 2016-01-05, 0.05 %: optimal.
	if p5.Milestones[2].Status != "optimal" {
		t.Errorf("P5 12 months %+v", p5.Milestones[2])
	}
	p6 := patient(t, a, "P6")
	if p6.TFR != "TFR failed" || p6.Milestones[3].Status != "failure" {
		t.Errorf("P6 (loss of MMR after stop): TFR %s, latest %+v", p6.TFR, p6.Milestones[3])
	}
}

// Chu et al. (Blood 2011): BCR::ABL1/BCR 0.285 -> 0.121 -> 0.071 in CD34+CD38+
// and 0.162 -> 0.116 -> 0.361 in CD34+CD38- cells, blood near 0.01. The dates
// are one year apart (the paper's samples span 3-5 years); with three equally
// spaced points the least-squares change from first to last equals the
// difference of the end points, so the expected changes are exact.
func TestChuPersistence(t *testing.T) {
	a := load(t)
	var prog, stem, pb *Series
	for i := range a.Series {
		s := &a.Series[i]
		if s.Patient != "Chu" {
			continue
		}
		switch s.Fraction {
		case "CD34+CD38+":
			prog = s
		case "CD34+CD38-":
			stem = s
		case "PB":
			pb = s
		}
	}
	if prog == nil || stem == nil || pb == nil {
		t.Fatal("series missing")
	}
	if prog.Scale != "ratio" || prog.Stem || !stem.Stem {
		t.Errorf("scale %s, stem flags %v %v", prog.Scale, prog.Stem, stem.Stem)
	}
	if !close(prog.ChangeLog, math.Log10(0.071/0.285)) || !prog.Declining {
		t.Errorf("progenitor change %v", prog.ChangeLog)
	}
	if !close(stem.ChangeLog, math.Log10(0.361/0.162)) || stem.Declining || !stem.Persistent {
		t.Errorf("stem change %v persistent %v", stem.ChangeLog, stem.Persistent)
	}
	if pb.Persistent || pb.Declining || math.Abs(pb.ChangeLog) > 1e-12 {
		t.Errorf("PB %+v", pb)
	}
	// Halving time of the progenitors: log10(2) / -(slope per day).
	slopePerDay := math.Log10(0.071/0.285) / 730
	if !close(prog.HalvingDays, math.Log10(2)/-slopePerDay) {
		t.Errorf("halving %v", prog.HalvingDays)
	}
	p := patient(t, a, "Chu")
	if len(p.Persistence) != 1 || p.Persistence[0] != "CD34+CD38-" {
		t.Errorf("persistence flags %q", p.Persistence)
	}
	if r := a.Rows[24]; !close(r.RatioPercent, 28.5) || !math.IsNaN(r.ISPercent) || r.Response != NotAssessable {
		t.Errorf("Chu row: %+v", r)
	}
}

// Expected intervals: R 4.2.2 binom.test(2, 200) and binom.test(30, 200), x 100.
func TestFISHExpansion(t *testing.T) {
	a := load(t)
	r0, r1 := a.Rows[33], a.Rows[34]
	if !close(r0.ClonePercent, 1) || math.Abs(r0.CloneCI.Lower-0.12133490137360321) > 1e-9 || math.Abs(r0.CloneCI.Upper-3.56546683972397416) > 1e-9 {
		t.Errorf("FISH 2/200: %v %v", r0.ClonePercent, r0.CloneCI)
	}
	if math.Abs(r1.CloneCI.Lower-10.354952352186265) > 1e-9 || math.Abs(r1.CloneCI.Upper-20.715870366855071) > 1e-9 {
		t.Errorf("FISH 30/200: %v", r1.CloneCI)
	}
	p := patient(t, a, "MDS1")
	if len(p.Expansions) != 1 || p.Expansions[0].Line != 37 {
		t.Errorf("expansions %+v", p.Expansions)
	}
}

func TestMalformedRows(t *testing.T) {
	head := "patient,date,fraction,assay,target,target_copies,control_gene,control_copies,conversion_factor\n"
	ok := "P,2020-01-01,PB,qpcr,BCR::ABL1,5,ABL1,10000,1\n"
	for _, c := range []struct{ row, want string }{
		{"P,2020-02-01,PB,qpcr,BCR::ABL1,-5,ABL1,10000,1\n", "line 3"},
		{"P,2020-02-01,PB,qpcr,BCR::ABL1,5,ABL1,0,1\n", "control copies are 0"},
		{"P,2020-02-01,PB,qpcr,BCR::ABL1,5,B2M,10000,1\n", "unknown control gene"},
		{"P,01/02/2020,PB,qpcr,BCR::ABL1,5,ABL1,10000,1\n", "YYYY-MM-DD"},
		{"P,2020-02-01,PB,qpcr,BCR::ABL1,5,ABL1,10000,0\n", "conversion factor"},
		{"P,2020-02-01,PB,ngs,BCR::ABL1,5,ABL1,10000,1\n", "unknown assay"},
		{"P,2020-02-01,PB,qpcr,BCR::ABL1,,ABL1,10000,1\n", "empty target_copies"},
		{"P,2020-02-01,PB,qpcr,BCR::ABL1,five,ABL1,10000,1\n", "not a number"},
	} {
		sh, err := sheet.Parse(strings.NewReader(head+ok+c.row), "m.csv")
		if err != nil {
			t.Fatal(err)
		}
		_, err = ParseMeasurements(sh)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "m.csv line 3") {
			t.Errorf("%q: error %v, want %q at m.csv line 3", c.row, err, c.want)
		}
	}
	sh, _ := sheet.Parse(strings.NewReader("patient,date,fraction,assay,abnormal_nuclei,scored_nuclei\nP,2020-01-01,BM,fish,5,4\n"), "m.csv")
	if _, err := ParseMeasurements(sh); err == nil || !strings.Contains(err.Error(), "5 abnormal of 4") {
		t.Errorf("FISH abnormal > scored: %v", err)
	}
	sh, _ = sheet.Parse(strings.NewReader(head+"P,2020-01-01,PB,qpcr,BCR::ABL1,5,ABL1,10000,1\nP,2020-01-01,PB,qpcr,BCR::ABL1,5,ABL1,10000,1\n"), "m.csv")
	d, err := ParseMeasurements(sh)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Assess(d, nil, DefaultParams()); err != nil {
		t.Errorf("unlabelled duplicates should combine as replicates: %v", err)
	}
	sh, _ = sheet.Parse(strings.NewReader("patient,therapy_start,therapy_stop\nP,2020-01-01,2019-01-01\n"), "p.csv")
	if _, err := ParsePatients(sh); err == nil || !strings.Contains(err.Error(), "p.csv line 2") {
		t.Errorf("stop before start: %v", err)
	}
}

func FuzzMeasurements(f *testing.F) {
	f.Add("patient,date,fraction,assay,target,target_copies,control_gene,control_copies\nP,2020-01-01,PB,qpcr,BCR::ABL1,5,ABL1,10000\n")
	f.Add("patient,date,fraction,assay,abnormal_nuclei,scored_nuclei,probe\nP,2020-01-01,BM,fish,5,40,x\n")
	f.Fuzz(func(t *testing.T, s string) {
		sh, err := sheet.Parse(strings.NewReader(s), "f.csv")
		if err != nil {
			return
		}
		d, err := ParseMeasurements(sh)
		if err != nil {
			return
		}
		a, err := Assess(d, nil, DefaultParams())
		if err != nil {
			return
		}
		if len(a.Rows) != len(d.Rows) {
			t.Fatal("rows lost")
		}
	})
}
