package report_test

import (
	"flag"
	"math"
	"os"
	"strings"
	"testing"

	. "github.com/lsc-bio/lsc/report"
)

// golden compares got with testdata/golden/name (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := "testdata/golden/" + name
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" { // the flag of update_test.go
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test ./report -update, then look at it)", name)
	}
}

// Four events against thresholds at 0.5: quadrant shares by hand 25 % (x-,
// y+), 25 % (x+, y+), 50 % (x-, y-), 0 % (x+, y-). The gate's top (1.5)
// lies above the data range: the y axis widens to show it; its open sides
// (right, bottom) are not drawn. No grid lines; a colour scale.
func TestDensityPlotSVG(t *testing.T) {
	p := DensityPlot{Title: "blasts", XLabel: "CD34 (logicle)", YLabel: "CD38 (logicle)",
		X: []float64{0.2, 0.8, 0.2, 0.2}, Y: []float64{0.8, 0.8, 0.2, 0.3}, XMin: 0, XMax: 1, YMin: 0, YMax: 1,
		Rects:  []Rect{{X0: 0.1, X1: math.NaN(), Y0: math.NaN(), Y1: 1.5, Label: "gate"}},
		VLines: []float64{0.5}, HLines: []float64{0.5}}
	svg := p.SVG()
	for _, want := range []string{">25.0 %<", ">50.0 %<", ">0.0 %<", ">1.5<", "events per bin", "gate: 100.0 % of plotted events"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if strings.Contains(svg, `stroke="#eee"`) {
		t.Error("grid lines across the data")
	}
	golden(t, "density.svg", svg)
}
