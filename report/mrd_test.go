package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/formats/sheet"
	"github.com/lsc-bio/lsc/mrd"
)

// mrdCases assesses the hand-built cases of mrd/testdata (see its README).
func mrdCases(t testing.TB) (*mrd.Data, *mrd.Assessment) {
	d, err := mrd.ReadMeasurements("../mrd/testdata/measurements.csv")
	if err != nil {
		t.Fatal(err)
	}
	pts, err := mrd.ReadPatients("../mrd/testdata/patients.csv")
	if err != nil {
		t.Fatal(err)
	}
	a, err := mrd.Assess(d, pts, mrd.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	return d, a
}

func patientIndex(t *testing.T, a *mrd.Assessment, id string) int {
	for i, p := range a.Patients {
		if p.ID == id {
			return i
		}
	}
	t.Fatalf("no patient %s", id)
	return -1
}

var frameRE = regexp.MustCompile(`<path d="M([\d.]+) ([\d.]+)V([\d.]+)H([\d.]+)" fill="none" stroke="#333"/>`)

// frame returns the top and bottom pixel of a figure's plot area.
func frame(t *testing.T, svg string) (top, bottom float64) {
	m := frameRE.FindStringSubmatch(svg)
	if m == nil {
		t.Fatal("no frame in figure")
	}
	top, _ = strconv.ParseFloat(m[2], 64)
	bottom, _ = strconv.ParseFloat(m[3], 64)
	return top, bottom
}

// Issue 11 item 7: the Chu blood series (1 % throughout) sat on the floor of
// a 1-100 % axis. Every point must be inside the frame, clear of its edges.
func TestMRDPlotKeepsPointsOffTheFrame(t *testing.T) {
	_, a := mrdCases(t)
	for _, id := range []string{"Chu", "P1", "P2", "P3"} {
		svg := MRDPlot(a, a.Patients[patientIndex(t, a, id)])
		top, bottom := frame(t, svg)
		cys := regexp.MustCompile(`<circle cx="[\d.]+" cy="([\d.]+)"`).FindAllStringSubmatch(svg, -1)
		if len(cys) == 0 {
			t.Fatalf("%s: no points", id)
		}
		for _, m := range cys {
			y, _ := strconv.ParseFloat(m[1], 64)
			if y <= top+2 || y >= bottom-2 {
				t.Errorf("%s: point at y=%v on the frame (%v..%v)", id, y, top, bottom)
			}
		}
	}
	if lo, hi := logRange(1, 28.5, false); lo != 0.1 || hi != 100 {
		t.Errorf("logRange(1, 28.5) = %v, %v; want 0.1, 100", lo, hi)
	}
	if lo, hi := logRange(0.05, 15, true); lo != 0.001 || hi != 100 {
		t.Errorf("logRange(0.05, 15, guides) = %v, %v; want 0.001, 100", lo, hi)
	}
}

// Issue 11 item 7: the upper whisker of MDS1's 30/200 nuclei (95 % CI up
// to 20.7 %, R binom.test) ran to the frame. Both whiskers lie inside.
func TestFISHWhiskersInsidePlot(t *testing.T) {
	_, a := mrdCases(t)
	svg := FISHPlot(a, a.Patients[patientIndex(t, a, "MDS1")])
	top, bottom := frame(t, svg)
	ws := regexp.MustCompile(`<path d="M[\d.]+ ([\d.]+)V([\d.]+)M`).FindAllStringSubmatch(svg, -1)
	if len(ws) != 2 {
		t.Fatalf("%d whiskers, want 2", len(ws))
	}
	for _, w := range ws {
		lo, _ := strconv.ParseFloat(w[1], 64)
		hi, _ := strconv.ParseFloat(w[2], 64)
		if hi <= top || lo > bottom || hi >= lo {
			t.Errorf("whisker %v..%v outside the plot %v..%v", hi, lo, top, bottom)
		}
	}
}

// Issue 11 item 7: a FISH-only patient's page has no MMR or TFR lines and
// intervals print with 3 significant digits (R binom.test(2, 200) and
// binom.test(30, 200): 0.1213-3.565 % and 10.35-20.72 %; the Chu slope
// interval from mrd's TestChuPersistence fit).
func TestMRDPatientPages(t *testing.T) {
	_, a := mrdCases(t)
	var b bytes.Buffer
	if err := MRDPatientHTML(&b, a, patientIndex(t, a, "MDS1"), MRDMeta{Version: "test"}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"MMR first", "Treatment-free remission", "ELN 2020 assessment", "0.121335"} {
		if strings.Contains(page, bad) {
			t.Errorf("MDS1 page shows %q", bad)
		}
	}
	if !strings.Contains(page, "0.121–3.57% on 2018-01-01 → 10.4–20.7% on 2019-01-01") {
		t.Error("MDS1 expansion not printed with 3 significant digits")
	}
	b.Reset()
	if err := MRDPatientHTML(&b, a, patientIndex(t, a, "Chu"), MRDMeta{Version: "test"}); err != nil {
		t.Fatal(err)
	}
	if page = b.String(); !strings.Contains(page, "-0.302 [-0.818, 0.214]") || !strings.Contains(page, "364 [134, ∞]") {
		t.Error("Chu kinetics not printed with 3 significant digits")
	}
}

func TestMRDPatientFiles(t *testing.T) {
	a := &mrd.Assessment{Patients: []mrd.PatientResult{{ID: "P1"}, {ID: "p1"}, {ID: "a/b"}, {ID: "../x"}, {ID: "P1 "}, {ID: ".hidden"}}}
	got := MRDPatientFiles(a)
	seen := map[string]bool{}
	for i, f := range got {
		base := strings.TrimPrefix(f, "patients/")
		if base == f || strings.Contains(base, "/") || strings.HasPrefix(base, ".") || !strings.HasSuffix(base, ".html") || seen[strings.ToLower(f)] {
			t.Errorf("%q -> %q", a.Patients[i].ID, f)
		}
		seen[strings.ToLower(f)] = true
	}
	if got[0] != "patients/P1.html" || !strings.HasPrefix(got[1], "patients/p1-") || !strings.HasPrefix(got[2], "patients/a_b-") {
		t.Errorf("names %q", got)
	}
}

// The writers' bytes on the hand-built cases, kept in testdata/mrd. Each
// value in them is checked against its source in mrd's tests; this test
// keeps the layout from changing unseen. go test ./report -run MRDGolden
// -update-mrd rewrites them.
func TestMRDGolden(t *testing.T) {
	d, a := mrdCases(t)
	meta := MRDMeta{Version: "test", Measurements: "measurements.csv", Patients: "patients.csv"}
	outs := map[string]func(*bytes.Buffer) error{
		"measurements.tsv": func(b *bytes.Buffer) error { return MRDMeasurements(b, d.Header, a) },
		"patients.tsv":     func(b *bytes.Buffer) error { return MRDPatients(b, a) },
		"kinetics.tsv":     func(b *bytes.Buffer) error { return MRDKinetics(b, a) },
		"assessment.json":  func(b *bytes.Buffer) error { return MRDJSON(b, d.Header, a) },
		"report.html":      func(b *bytes.Buffer) error { return MRDHTML(b, a, meta) },
	}
	for i, f := range MRDPatientFiles(a) {
		outs[f] = func(b *bytes.Buffer) error { return MRDPatientHTML(b, a, i, meta) }
	}
	for name, fill := range outs {
		var b bytes.Buffer
		if err := fill(&b); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", "mrd", filepath.FromSlash(name))
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o777)
			if err := os.WriteFile(path, b.Bytes(), 0o666); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update-mrd to create)", err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs from %s", name, path)
		}
	}
}

func exampleAssessment() *mrd.Assessment {
	sh, _ := sheet.Parse(strings.NewReader("patient,date,fraction,assay,target,target_copies,control_gene,control_copies,conversion_factor\n"+
		"P,2020-01-01,PB,qpcr,BCR::ABL1,1000,ABL1,10000,0.8\n"+
		"P,2021-01-01,PB,qpcr,BCR::ABL1,100,ABL1,10000,0.8\n"), "m.csv")

	d, _ := mrd.ParseMeasurements(sh)
	a, _ := mrd.Assess(d, nil, mrd.DefaultParams())
	return a
}

// 1,000 and 100 BCR::ABL1 per 10,000 ABL1 with factor 0.8: ratio 10 % and
// 1 %, IS 8 % and 0.8 %, log reduction log10(12.5) = 1.09691001300805641...
// and log10(125) = 2.09691001300805641..., as Go's math.Log10 returns them
// (the second one ulp above the nearest float64, 2.0969100130080562).
func ExampleMRDMeasurements() {
	a := exampleAssessment()
	var b bytes.Buffer
	MRDMeasurements(&b, []string{"patient", "date", "fraction", "assay", "target", "target_copies", "control_gene", "control_copies", "conversion_factor"}, a)
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		f := strings.Split(line, "\t")
		fmt.Println(strings.Join(f[10:15], " | "))
	}
	// Output:
	// ratio_percent | is_percent | log_reduction | response | detectable
	// 10 | 8 | 1.0969100130080565 | no MMR | yes
	// 1 | 0.8 | 2.0969100130080567 | no MMR | yes
}

// A fall of exactly 1 log10 over 2020 (366 days): slope -365.25/366 log10
// per year, halving time log10(2) x 366 = 110.176978413017117 days; two points give no
// interval.
func ExampleMRDKinetics() {
	a := exampleAssessment()
	var b bytes.Buffer
	MRDKinetics(&b, a)
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		f := strings.Split(line, "\t")
		fmt.Println(strings.Join([]string{f[0], f[4], f[6], f[10], f[11], f[13], f[16], f[17]}, " | "))
	}
	// Output:
	// patient | scale | n | slope_log10_per_year | slope_lower95 | halving_days | change_log10 | declining
	// P | IS | 2 | -0.9979508196721312 |  | 110.17697841301712 | -1 | yes
}
