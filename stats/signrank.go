package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// SignedRank is a paired Wilcoxon signed-rank test.
type SignedRank struct {
	V     float64 // sum of the ranks of the positive differences x - y, R's V
	N     int     // pairs with a non-zero difference
	P     float64 // two-sided
	Exact bool    // exact null distribution (fewer than 50 pairs, no ties, no zero differences)
}

// SignedRankTest compares paired x and y as wilcox.test(x, y, paired =
// TRUE) with its defaults (R 4.x stats): zero differences dropped; exact p
// when fewer than 50 differences remain and there are neither ties nor
// zeros, otherwise the normal approximation with continuity correction and
// the tie correction of the variance.
func SignedRankTest(x, y []float64) (SignedRank, error) {
	if len(x) != len(y) {
		return SignedRank{}, fmt.Errorf("%w: %d and %d paired values", ErrSample, len(x), len(y))
	}
	var d []float64
	zeros := false
	for i := range x {
		v := x[i] - y[i]
		if math.IsNaN(v) {
			return SignedRank{}, fmt.Errorf("%w: pair %d is NaN", ErrSample, i+1)
		}
		if v == 0 {
			zeros = true
			continue
		}
		d = append(d, v)
	}
	n := len(d)
	if n == 0 {
		return SignedRank{}, fmt.Errorf("%w: every paired difference is zero", ErrSample)
	}
	abs := make([]float64, n)
	for i, v := range d {
		abs[i] = math.Abs(v)
	}
	r, ties := midranks(abs)
	var v float64
	for i, a := range d {
		if a > 0 {
			v += r[i]
		}
	}
	res := SignedRank{V: v, N: n}
	nf := float64(n)
	mean := nf * (nf + 1) / 4
	if n < 50 && len(ties) == 0 && !zeros {
		res.Exact = true
		c := signRankCounts(n)
		var total, le, ge float64
		for s, k := range c {
			total += k
			if float64(s) <= v {
				le += k
			}
			if float64(s) >= v {
				ge += k
			}
		}
		p := le / total
		if v > mean {
			p = ge / total
		}
		res.P = math.Min(1, 2*p)
		return res, nil
	}
	var tc float64
	for _, t := range ties {
		tc += float64(t*t*t - t)
	}
	sigma := math.Sqrt(nf*(nf+1)*(2*nf+1)/24 - tc/48)
	z := v - mean
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

// signRankCounts returns, for s = 0..n(n+1)/2, the number of sign
// assignments whose positive ranks sum to s (the recursion behind R's
// dsignrank).
func signRankCounts(n int) []float64 {
	c := make([]float64, n*(n+1)/2+1)
	c[0] = 1
	top := 0
	for k := 1; k <= n; k++ {
		top += k
		for s := top; s >= k; s-- {
			c[s] += c[s-k]
		}
	}
	return c
}
