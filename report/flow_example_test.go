package report_test

import (
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/compartment"
	"github.com/lsc-bio/lsc/report"
)

// Counts of a two-level gating with FlowJo's stored counts beside them;
// an empty parent gives NA, a population FlowJo stored no count for gives
// empty cells.
func ExampleGateCountsTSV() {
	counts := []flow.PopulationCount{
		{Path: "/Lymphocytes", ID: "Lymphocytes", Count: 750, ParentCount: 1000, PercentParent: 75, PercentTotal: 75, Reference: 748, Difference: 2},
		{Path: "/Lymphocytes/CD3+", ID: "Lymphocytes/CD3+", Count: 0, ParentCount: 0, PercentParent: math.NaN(), PercentTotal: 0, Reference: -1},
	}
	report.GateCountsTSV(os.Stdout, counts, true)
	// Output:
	// population	gate_id	count	parent_count	percent_parent	percent_total	flowjo_count	difference
	// /Lymphocytes	Lymphocytes	750	1000	75	75	748	2
	// /Lymphocytes/CD3+	Lymphocytes/CD3+	0	0	NA	0
}

func ExampleMembershipTSV() {
	pops := []flow.Population{{ID: "A", In: []bool{true, false, true}}, {ID: "B", In: []bool{false, false, true}}}
	report.MembershipTSV(os.Stdout, pops, 3)
	// Output:
	// event	A	B
	// 1	1	0
	// 2	0	0
	// 3	1	1
}

// Values of a float32 file print as float32: 0.002, not
// 0.0020000000298023225; a computed value keeps its float64 digits
// (report.Num drops only the noise of binary arithmetic).
func ExampleEventsTSV() {
	a, b := 1.0, 3.0
	t := &flow.EventTable{Names: []string{"Time", "FL1-A"}, Rows: 2, Float32: true,
		Values: []float64{float64(float32(0.002)), a / b, float64(float32(66197.98)), 12}}
	report.EventsTSV(os.Stdout, t)
	// Output:
	// Time	FL1-A
	// 0.002	0.3333333333333333
	// 66197.98	12
}

func ExampleSpilloverCSV() {
	sp := &flow.Spillover{Fluorochromes: []string{"FL1-H", "FL2-H"}, M: [][]float64{{1, 0.25}, {0.0125, 1}}}
	report.SpilloverCSV(os.Stdout, sp)
	// Output:
	// FL1-H,FL2-H
	// 1,0.25
	// 0.0125,1
}

// One measured and one unmeasured compartment: frequencies with their
// intervals, and the reason in the last column (tabs shown as |).
func ExampleCompartmentTSV() {
	rows := []report.CompartmentSample{{Sample: "s1", Patient: "p1", Timepoint: "D0", Counts: []compartment.Count{
		{ID: "blasts", Path: "/blasts", Count: 10, Measured: true, Of: map[string]compartment.Freq{
			"parent": {Denominator: 100, Percent: 10, Lower: 4.9, Upper: 17.6}, "all": {Denominator: 100, Percent: 10, Lower: 4.9, Upper: 17.6}}},
		{ID: "CD34+", Reason: "marker CD34 not in the panel"},
	}}}
	var b strings.Builder
	report.CompartmentTSV(&b, rows)
	fmt.Print(strings.ReplaceAll(b.String(), "\t", "|"))
	// Output:
	// sample|patient|timepoint|compartment|population|measured|count|pct_of_parent|pct_of_parent_lower95|pct_of_parent_upper95|pct_of_cd34|pct_of_cd34_lower95|pct_of_cd34_upper95|pct_of_blasts|pct_of_blasts_lower95|pct_of_blasts_upper95|pct_of_all|pct_of_all_lower95|pct_of_all_upper95|reason
	// s1|p1|D0|blasts|/blasts|yes|10|10|4.9|17.6|||||||10|4.9|17.6|
	// s1|p1|D0|CD34+||no||||||||||||||marker CD34 not in the panel
}
