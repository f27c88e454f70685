package report_test

import (
	"os"

	"github.com/lsc-bio/lsc/adt"
	"github.com/lsc-bio/lsc/repertoire"
	"github.com/lsc-bio/lsc/report"
)

// One sample of four clones with 4, 2, 1 and 1 cells (the hand-derived case
// of repertoire.TestMeasureHand: Shannon 1.75 ln 2, normalised 0.875, equal
// here after report.Num removes float64 noise).
func ExampleRepertoireDiversity() {
	d := repertoire.Measure([]int{4, 2, 1, 1})
	report.RepertoireDiversity(os.Stdout, []repertoire.SampleDiversity{{Sample: "S1", Group: "all", Diversity: d, Rarefied: d}})
	// Output:
	// sample	group	cells	clonotypes	shannon	normalized_shannon	clonality	simpson	inverse_simpson	gini_simpson	gini	chao1	chao1_lower	chao1_upper	d50_count	d50_percent	hill_0	hill_1	hill_2	hill_3	rarefied_cells	rarefied_clonotypes	rarefied_shannon	rarefied_normalized_shannon	rarefied_inverse_simpson
	// S1	all	8	4	1.213007565979904	0.875	0.125	0.34375	2.909090909090909	0.65625	0.3125	4.5	4.031688259235045	11.889357321449827	1	25	4	3.363585661014857	2.909090909090909	2.6303837968857167	8	4	1.213007565979904	0.875	2.909090909090909
}

func ExampleADTTable() {
	m := &adt.Matrix{Antibodies: []string{"CD3", "CD19"}, Cells: []string{"c1", "c2"}, Values: [][]float64{{0, 1.5}, {0.25, 0}}}
	report.ADTTable(os.Stdout, m)
	// Output:
	// cell	CD3	CD19
	// c1	0	0.25
	// c2	1.5	0
}
