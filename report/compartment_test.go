package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/flow/compartment"
)

// Hand-built samples: the summary page must carry each sample's counts and
// link its page, and hold no plots; each page carries its plots and
// intervals. The numbers themselves are checked in flow/compartment.
func compRows() []CompartmentSample {
	cd34 := compartment.Count{ID: "CD34+", Path: "/blasts/CD34+", Count: 120, Measured: true,
		Of: map[string]compartment.Freq{"parent": {Denominator: 1000, Percent: 12, Lower: 10.05, Upper: 14.17}}}
	hsc := compartment.Count{ID: "HSC", Path: "/blasts/CD34+/CD34+CD38-/HSC", Reason: "marker CD90 not in the panel"}
	hscOK := compartment.Count{ID: "HSC", Path: "/blasts/CD34+/CD34+CD38-/HSC", Count: 7, Measured: true,
		Of: map[string]compartment.Freq{"parent": {Denominator: 70, Percent: 10, Lower: 4.1, Upper: 19.5}}}
	mep := compartment.Count{ID: "MEP", Reason: "marker CD123 not in the panel"}
	plot := compartment.Plot{Title: "CD34 / CD38", XLabel: "CD34", YLabel: "CD38", X: []float64{1, 2, 3}, Y: []float64{1, 2, 3}, XMin: 0, XMax: 4, YMin: 0, YMax: 4}
	return []CompartmentSample{
		{Sample: "S1", Patient: "P1", Timepoint: "diagnosis", Path: "s1.fcs", Events: 5000, Counts: []compartment.Count{cd34, hsc, mep}, Plots: []compartment.Plot{plot}, Missing: []string{"CD90"}},
		{Sample: "a/b", Path: "ab.fcs", Events: 10, Counts: []compartment.Count{cd34, hscOK}, Plots: []compartment.Plot{plot}, Warnings: []string{"few events"}},
	}
}

func TestCompartmentSummaryAndPages(t *testing.T) {
	rows := compRows()
	run := CompartmentReport{Template: "built-in", Version: "test", Cautions: []string{"provisional cuts"}}
	files := CompartmentSampleFiles(rows)
	if files[0] != "samples/S1.html" || !strings.HasPrefix(files[1], "samples/a_b-") || strings.Count(files[1], "/") != 1 {
		t.Fatalf("files %q", files)
	}
	var b bytes.Buffer
	if err := CompartmentHTML(&b, rows, run); err != nil {
		t.Fatal(err)
	}
	sum := b.String()
	for _, want := range []string{`href="samples/S1.html"`, `href="` + files[1] + `"`, "<td>120 · 12</td>", `title="marker CD90 not in the panel">not measured`,
		"<td>7 · 10</td>", "Not measured in any sample: MEP (marker CD123 not in the panel).", "markers not in this panel: CD90", "1 warning(s)", "Caution:</b> provisional cuts"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if strings.Contains(sum, "<svg") || strings.Contains(sum, "<th title=\"\">MEP</th>") {
		t.Error("summary holds plots")
	}
	b.Reset()
	if err := CompartmentSampleHTML(&b, rows, 0, run); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{`href="../report.html"`, "<svg", "<h1>S1 · P1 · diagnosis</h1>", "12 (10.1–14.2)", "not measured: marker CD90 not in the panel", "Caution:</b> provisional cuts"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestCompartmentSampleFilesDistinct(t *testing.T) {
	rows := []CompartmentSample{{Sample: "x"}, {Sample: "X"}, {Sample: "x"}, {Sample: "../x"}, {Sample: ".h"}, {Sample: ""}}
	seen := map[string]bool{}
	for i, f := range CompartmentSampleFiles(rows) {
		base := strings.TrimPrefix(f, "samples/")
		if base == f || strings.Contains(base, "/") || strings.HasPrefix(base, ".") || !strings.HasSuffix(base, ".html") || seen[strings.ToLower(f)] {
			t.Errorf("%q -> %q", rows[i].Sample, f)
		}
		seen[strings.ToLower(f)] = true
	}
}
