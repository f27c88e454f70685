package report_test

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/twin"
)

func ExampleTwinFits() {
	r := &twin.Report{Fits: []twin.FitRow{
		{Patient: "P1", Series: "PB BCR::ABL1/ABL1", Model: "monophasic", Parameter: "a", Estimate: 0.0112, Lower: 0.0094, Upper: 0.0131, Method: "profile likelihood"},
		{Patient: "P2", Series: "PB BCR::ABL1/ABL1", Model: "none", Parameter: "status", Estimate: math.NaN(), Lower: math.NaN(), Upper: math.NaN(), Method: "not estimable: too few samples"},
	}}
	report.TwinFits(os.Stdout, r)
	// Output:
	// patient	fraction/target	model	parameter	estimate	lower	upper	method
	// P1	PB BCR::ABL1/ABL1	monophasic	a	0.0112	0.0094	0.0131	profile likelihood
	// P2	PB BCR::ABL1/ABL1	none	status				not estimable: too few samples
}

func ExampleTwinProjections() {
	r := &twin.Report{Panels: []twin.Panel{{Patient: "P1", Series: "PB", Origin: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		Curve: []twin.Point{{Day: 400, Value: 0.01, Lower: 0.005, Upper: 0.02, Scenario: twin.ScenarioContinued}}}}}
	report.TwinProjections(os.Stdout, r)
	// Output:
	// patient	series	day	date	value	lower	upper	scenario
	// P1	PB	400	2021-02-04	0.01	0.005	0.02	model projection: continued therapy
}

// Two projection scenarios (therapy continued and stopped) are drawn as
// separate dashed lines with their own hatched bands, each labelled with
// its scenario, in the figure and in the legend.
func TestTwinPlotScenarios(t *testing.T) {
	pt := func(d, v float64, sc string) twin.Point {
		return twin.Point{Day: d, Value: v, Lower: v / 2, Upper: v * 2, Scenario: sc}
	}
	p := twin.Panel{Patient: "P1", Series: "PB", YLabel: "BCR::ABL1 %",
		Observed: []twin.ObsPoint{{Day: 0, Value: 50}, {Day: 100, Value: 1}},
		Curve: []twin.Point{pt(0, 50, twin.ScenarioFitted), pt(100, 1, twin.ScenarioFitted), pt(100, 1, twin.ScenarioContinued), pt(300, 0.1, twin.ScenarioContinued),
			pt(150, 0.5, twin.ScenarioStopped), pt(300, 60, twin.ScenarioStopped)}}
	svg := report.TwinPlot(p)
	for _, want := range []string{"model projection: continued therapy", "model projection: therapy stopped", `stroke-dasharray="7 4"`, `stroke-dasharray="2 3"`, "url(#hatch1)", "url(#hatch2)"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if n := strings.Count(svg, "model projection: therapy stopped"); n != 2 {
		t.Errorf("stop scenario labelled %d times, want 2 (curve and legend)", n)
	}
}
