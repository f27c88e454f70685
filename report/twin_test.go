package report_test

import (
	"math"
	"os"
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
