package report_test

import (
	"math"
	"os"

	"github.com/lsc-bio/lsc/cart"
	"github.com/lsc-bio/lsc/report"
)

func ExampleCartCompositions() {
	r := &cart.Result{Compositions: []*cart.Composition{{Name: "state", Timepoint: "post", Transform: "asin", Test: "t",
		Groups: []string{"CR", "nonCR"}, N: []int{3, 3}, DFResid: 4, DFPrior: math.Inf(1),
		Rows: []cart.CompositionRow{{Cluster: "TCELL_NAIVE_LIKE", Baseline: 0.25, PropMean: []float64{0.3, 0.2}, PropRatio: 1.5, Stat: 2.5, DFPrior: math.Inf(1), P: 0.04, FDR: 0.08}}}}}
	report.CartCompositions(os.Stdout, r)
	// Output:
	// timepoint	composition	cluster	transform	robust	test	groups	n_per_group	baseline_prop	prop_mean_per_group	prop_ratio	statistic	df_residual	df_prior	p	p_adj_bh
	// post	state	TCELL_NAIVE_LIKE	asin	false	t	CR,nonCR	3,3	0.25	0.3,0.2	1.5	2.5	4	Inf	0.04	0.08
}

func ExampleCartPlasmaTests() {
	r := &cart.Result{PlasmaTests: []cart.PairedTest{{Protein: "CD269", Pre: "PB-pre", Post: "BM-post", Patients: []string{"P1", "P2"},
		MedianPre: 1.2, MedianPost: 0.4, V: 0, P: 0.5, PAdj: 0.5}}}
	report.CartPlasmaTests(os.Stdout, r)
	// Output:
	// protein	pre	post	patients	median_pre	median_post	V	p	p_adj_bh
	// CD269	PB-pre	BM-post	2	1.2	0.4	0	0.5	0.5
}
