package cart

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/lsc-bio/lsc/stats"
)

// Composition test as speckle::propeller (Phipson B et al., propeller:
// testing for differences in cell type proportions in single cell data.
// Bioinformatics 2022;38(20):4720-4726, doi:10.1093/bioinformatics/btac582;
// speckle 0.99.7 on GitHub phipsonlab/speckle, commit 3fe9cf4): per-sample
// proportions of each cluster, transformed (arcsine square root, or logit of
// (count+0.5)/(total+0.5*clusters)), one linear model per cluster with the
// group as the only factor (limma lmFit), residual variances moderated
// across clusters (limma eBayes, trend = FALSE), a
// moderated t-test of the first group minus the second when there are two
// groups, else a moderated F-test of any group difference; BH over
// clusters. robust = TRUE (speckle's default: limma's fitFDistRobustly,
// per-cluster prior df) or FALSE, as the caller chooses.

// Transforms propeller knows.
const (
	TransformAsin  = "asin"
	TransformLogit = "logit"
)

// ErrComposition reports data a composition test cannot use.
var ErrComposition = errors.New("composition test")

// CompositionRow is one cluster's test.
type CompositionRow struct {
	Cluster   string
	Baseline  float64   // the cluster's share of all cells (propeller BaselineProp)
	PropMean  []float64 // mean proportion per group (in Composition.Groups order)
	PropRatio float64   // PropMean[0] / PropMean[1] (two groups only; NaN otherwise)
	Stat      float64   // moderated t (two groups) or F
	DFPrior   float64   // this cluster's prior df (the common one unless robust)
	P, FDR    float64
}

// Composition is a propeller test over all clusters.
type Composition struct {
	Name      string // what was counted (e.g. "state", "cell_type", "clone_size")
	Timepoint string
	Transform string
	Robust    bool
	Groups    []string // sorted; the t statistic is Groups[0] minus Groups[1]
	Samples   []string
	N         []int  // samples per group
	Test      string // "t" or "F"
	DFResid   float64
	DFPrior   float64 // +Inf when the variances are all alike
	VarPrior  float64
	Rows      []CompositionRow // in cluster order given
}

// Propeller tests counts[sample][cluster] of cells between the samples'
// groups (at least two groups, more samples than groups).
func Propeller(samples, groups, clusters []string, counts [][]float64, transform string, robust bool) (*Composition, error) {
	if len(counts) != len(samples) || len(groups) != len(samples) {
		return nil, fmt.Errorf("%w: %d samples, %d groups, %d count rows", ErrComposition, len(samples), len(groups), len(counts))
	}
	props := make([][]float64, len(samples))
	trans := make([][]float64, len(samples))
	colSum := make([]float64, len(clusters))
	var all float64
	for s, row := range counts {
		if len(row) != len(clusters) {
			return nil, fmt.Errorf("%w: sample %s has %d counts for %d clusters", ErrComposition, samples[s], len(row), len(clusters))
		}
		var tot float64
		for c, v := range row {
			if v < 0 || math.IsNaN(v) {
				return nil, fmt.Errorf("%w: sample %s cluster %s count %g", ErrComposition, samples[s], clusters[c], v)
			}
			tot += v
			colSum[c] += v
		}
		if tot == 0 {
			return nil, fmt.Errorf("%w: sample %s has no cells; leave it out", ErrComposition, samples[s])
		}
		if s == len(counts)-1 {
			if err := checkClusters(clusters, colSum); err != nil {
				return nil, err
			}
		}
		all += tot
		props[s], trans[s] = make([]float64, len(clusters)), make([]float64, len(clusters))
		for c, v := range row {
			props[s][c] = v / tot
			switch transform {
			case TransformAsin:
				trans[s][c] = math.Asin(math.Sqrt(v / tot))
			case TransformLogit:
				p := (v + 0.5) / (tot + 0.5*float64(len(clusters)))
				trans[s][c] = math.Log(p / (1 - p))
			default:
				return nil, fmt.Errorf("%w: transform %q: use asin or logit", ErrComposition, transform)
			}
		}
	}
	res, err := propellerFit(samples, groups, clusters, props, trans, robust)
	if err != nil {
		return nil, err
	}
	res.Transform = transform
	for c := range res.Rows {
		res.Rows[c].Baseline = colSum[c] / all
	}
	return res, nil
}

// checkClusters refuses a cluster without cells in any sample (speckle's
// clusters come from the cells, so it never has one).
func checkClusters(clusters []string, colSum []float64) error {
	for c, v := range colSum {
		if v == 0 {
			return fmt.Errorf("%w: cluster %s has no cells in any sample; leave it out", ErrComposition, clusters[c])
		}
	}
	return nil
}

// PropellerProps tests given proportions (e.g. deconvolution fractions)
// with the arcsine square-root transform, as propeller.ttest /
// propeller.anova on a prop.list built from them; Baseline is NaN.
func PropellerProps(samples, groups, clusters []string, props [][]float64, robust bool) (*Composition, error) {
	trans := make([][]float64, len(props))
	for s, row := range props {
		if len(row) != len(clusters) {
			return nil, fmt.Errorf("%w: sample %s has %d proportions for %d clusters", ErrComposition, samples[s], len(row), len(clusters))
		}
		trans[s] = make([]float64, len(row))
		for c, p := range row {
			if !(p >= 0 && p <= 1) {
				return nil, fmt.Errorf("%w: sample %s cluster %s proportion %g is not in [0, 1]", ErrComposition, samples[s], clusters[c], p)
			}
			trans[s][c] = math.Asin(math.Sqrt(p))
		}
	}
	res, err := propellerFit(samples, groups, clusters, props, trans, robust)
	if err != nil {
		return nil, err
	}
	res.Transform = TransformAsin
	for c := range res.Rows {
		res.Rows[c].Baseline = math.NaN()
	}
	return res, nil
}

func propellerFit(samples, groups, clusters []string, props, trans [][]float64, robust bool) (*Composition, error) {
	if len(samples) != len(groups) || len(props) != len(samples) {
		return nil, fmt.Errorf("%w: %d samples, %d groups", ErrComposition, len(samples), len(groups))
	}
	if len(clusters) == 0 {
		return nil, fmt.Errorf("%w: no clusters", ErrComposition)
	}
	idx := map[string]int{}
	var levels []string
	for _, g := range groups {
		if g == "" {
			return nil, fmt.Errorf("%w: a sample without a group", ErrComposition)
		}
		if _, ok := idx[g]; !ok {
			idx[g] = 0
			levels = append(levels, g)
		}
	}
	sort.Strings(levels)
	for i, g := range levels {
		idx[g] = i
	}
	k := len(levels)
	n := len(samples)
	if k < 2 {
		return nil, fmt.Errorf("%w: one group (%v); need two or more", ErrComposition, levels)
	}
	if n <= k {
		return nil, fmt.Errorf("%w: %d samples in %d groups leave no residual degrees of freedom", ErrComposition, n, k)
	}
	gi := make([]int, n)
	ng := make([]int, k)
	for s, g := range groups {
		gi[s] = idx[g]
		ng[gi[s]]++
	}
	res := &Composition{Groups: levels, Samples: samples, N: ng, DFResid: float64(n - k), Test: "t", Robust: robust}
	if k > 2 {
		res.Test = "F"
	}
	G := len(clusters)
	s2 := make([]float64, G)
	means := make([][]float64, G)  // transformed, per group
	pmeans := make([][]float64, G) // proportions, per group
	for c := 0; c < G; c++ {
		means[c], pmeans[c] = make([]float64, k), make([]float64, k)
		for s := 0; s < n; s++ {
			means[c][gi[s]] += trans[s][c]
			pmeans[c][gi[s]] += props[s][c]
		}
		for g := 0; g < k; g++ {
			means[c][g] /= float64(ng[g])
			pmeans[c][g] /= float64(ng[g])
		}
		var rss float64
		for s := 0; s < n; s++ {
			d := trans[s][c] - means[c][gi[s]]
			rss += d * d
		}
		s2[c] = rss / res.DFResid
	}
	var sq stats.Squeezed
	var err error
	d0 := make([]float64, G)
	if robust {
		sq, d0, err = stats.SqueezeVarRobust(s2, res.DFResid)
	} else {
		sq, err = stats.SqueezeVar(s2, res.DFResid)
		for c := range d0 {
			d0[c] = sq.DFPrior
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrComposition, err)
	}
	res.DFPrior, res.VarPrior = sq.DFPrior, sq.VarPrior
	ps := make([]float64, G)
	for c := 0; c < G; c++ {
		dfTotal := math.Min(res.DFResid+d0[c], res.DFResid*float64(G)) // limma caps at the pooled df
		row := CompositionRow{Cluster: clusters[c], PropMean: pmeans[c], PropRatio: math.NaN(), DFPrior: d0[c]}
		if k == 2 {
			se := math.Sqrt((1/float64(ng[0]) + 1/float64(ng[1])) * sq.VarPost[c])
			row.Stat = (means[c][0] - means[c][1]) / se
			row.P = stats.TTwoSided(row.Stat, dfTotal)
			row.PropRatio = pmeans[c][0] / pmeans[c][1]
		} else {
			// the moderated F of all group effects in a one-way layout:
			// between-group sum of squares / (k-1) over the moderated variance
			var grand float64
			for s := 0; s < n; s++ {
				grand += trans[s][c]
			}
			grand /= float64(n)
			var ssb float64
			for g := 0; g < k; g++ {
				ssb += float64(ng[g]) * (means[c][g] - grand) * (means[c][g] - grand)
			}
			row.Stat = ssb / float64(k-1) / sq.VarPost[c]
			// classifyTestsF: df2 = df.prior + df.residual, not capped;
			// limma 3.54 takes pf(F, df1, df2) (chi-squared limit at Inf)
			row.P = stats.FUpper(row.Stat, float64(k-1), res.DFResid+d0[c])
		}
		ps[c] = row.P
		res.Rows = append(res.Rows, row)
	}
	for c, q := range stats.BenjaminiHochberg(ps) {
		res.Rows[c].FDR = q
	}
	return res, nil
}
