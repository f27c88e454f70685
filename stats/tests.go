package stats

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// Rank tests, Fisher's exact test and multiple-testing adjustment, as R's
// stats package (R 4.x): wilcox.test, fisher.test, p.adjust.

// MannWhitney is a two-sample Wilcoxon rank-sum test.
type MannWhitney struct {
	W     float64 // sum of the ranks of x minus nx(nx+1)/2, R's W
	P     float64 // two-sided
	Exact bool    // exact null distribution (no ties, both samples < 50)
	AUC   float64 // W / (nx*ny): probability that x > y, ties counting 1/2
}

// ErrSample reports an empty sample.
var ErrSample = errors.New("stats: each sample needs at least one value")

// MannWhitneyTest compares x and y as wilcox.test(x, y) with its defaults:
// exact p when both samples have fewer than 50 values and there are no ties,
// otherwise the normal approximation with continuity correction and the tie
// correction of the variance.
func MannWhitneyTest(x, y []float64) (MannWhitney, error) {
	nx, ny := len(x), len(y)
	if nx == 0 || ny == 0 {
		return MannWhitney{}, ErrSample
	}
	all := make([]float64, 0, nx+ny)
	all = append(append(all, x...), y...)
	r, ties := midranks(all)
	var sx float64
	for i := 0; i < nx; i++ {
		sx += r[i]
	}
	w := sx - float64(nx*(nx+1))/2
	res := MannWhitney{W: w, AUC: w / float64(nx*ny)}
	if nx < 50 && ny < 50 && len(ties) == 0 {
		res.Exact = true
		dist := wilcoxCounts(nx, ny)
		var total, le, ge float64
		for u, c := range dist {
			total += c
			if float64(u) <= w {
				le += c
			}
			if float64(u) >= w {
				ge += c
			}
		}
		res.P = math.Min(1, 2*math.Min(le, ge)/total)
		return res, nil
	}
	n := float64(nx + ny)
	z := w - float64(nx*ny)/2
	var tc float64
	for _, t := range ties {
		tc += float64(t*t*t - t)
	}
	sigma := math.Sqrt(float64(nx*ny) / 12 * ((n + 1) - tc/(n*(n-1))))
	corr := 0.0
	if z > 0 {
		corr = 0.5
	} else if z < 0 {
		corr = -0.5
	}
	z = (z - corr) / sigma
	res.P = math.Min(1, 2*math.Min(distuv.UnitNormal.CDF(z), distuv.UnitNormal.Survival(z)))
	return res, nil
}

// midranks returns average ranks (1-based) and the sizes of tie groups.
func midranks(v []float64) ([]float64, []int) {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
	r := make([]float64, len(v))
	var ties []int
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && v[idx[j+1]] == v[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		if j > i {
			ties = append(ties, j-i+1)
		}
		i = j + 1
	}
	return r, ties
}

// wilcoxCounts returns, for u = 0..m*n, the number of arrangements with
// Mann-Whitney statistic u (the recursion behind R's dwilcox).
func wilcoxCounts(m, n int) []float64 {
	// f[k] for samples (i, j) built up with the classic recursion
	// c(u; i, j) = c(u - j; i - 1, j) + c(u; i, j - 1).
	prev := make([][]float64, n+1) // prev[j] = counts for i-1
	for j := 0; j <= n; j++ {
		prev[j] = []float64{1}
	}
	for i := 1; i <= m; i++ {
		cur := make([][]float64, n+1)
		cur[0] = []float64{1}
		for j := 1; j <= n; j++ {
			c := make([]float64, i*j+1)
			for u := range c {
				if u-j >= 0 && u-j < len(prev[j]) {
					c[u] += prev[j][u-j]
				}
				if u < len(cur[j-1]) {
					c[u] += cur[j-1][u]
				}
			}
			cur[j] = c
		}
		prev = cur
	}
	return prev[n]
}

// FisherExact returns the two-sided p value of Fisher's exact test on the
// 2x2 table [[a, b], [c, d]] as fisher.test: the sum of the hypergeometric
// probabilities of all tables no more likely than the observed one (with
// R's relative tolerance 1e-7).
func FisherExact(a, b, c, d int) (float64, error) {
	if a < 0 || b < 0 || c < 0 || d < 0 {
		return 0, fmt.Errorf("%w: negative cell count", ErrCounts)
	}
	m, n, k := a+c, b+d, a+b // column 1 total, column 2 total, row 1 total
	lo, hi := max(0, k-n), min(k, m)
	logp := func(x int) float64 {
		return lchoose(m, x) + lchoose(n, k-x) - lchoose(m+n, k)
	}
	obs := logp(a)
	var p float64
	for x := lo; x <= hi; x++ {
		lp := logp(x)
		if lp <= obs+math.Log1p(1e-7) {
			p += math.Exp(lp)
		}
	}
	return math.Min(1, p), nil
}

func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// BenjaminiHochberg adjusts p values as p.adjust(p, "BH"). NaN values stay
// NaN and do not count towards the number of tests.
func BenjaminiHochberg(p []float64) []float64 {
	out := make([]float64, len(p))
	var idx []int
	for i, v := range p {
		out[i] = math.NaN()
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] > p[idx[b]] })
	n := float64(len(idx))
	run := math.Inf(1)
	for r, i := range idx {
		rank := n - float64(r)
		run = math.Min(run, n/rank*p[i])
		out[i] = math.Min(1, run)
	}
	return out
}
