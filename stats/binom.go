package stats

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is a two-sided confidence interval.
type Interval struct{ Lower, Upper float64 }

// ErrCounts reports impossible binomial counts.
var ErrCounts = errors.New("stats: need 0 <= x <= n and n > 0")

// ClopperPearson returns the exact two-sided binomial interval for x
// successes in n trials at the given level (e.g. 0.95), as R's binom.test.
func ClopperPearson(x, n int, level float64) (Interval, error) {
	if n <= 0 || x < 0 || x > n || !(level > 0 && level < 1) {
		return Interval{}, ErrCounts
	}
	alpha := (1 - level) / 2
	var iv Interval
	if x > 0 {
		iv.Lower = distuv.Beta{Alpha: float64(x), Beta: float64(n - x + 1)}.Quantile(alpha)
	}
	iv.Upper = 1
	if x < n {
		iv.Upper = distuv.Beta{Alpha: float64(x + 1), Beta: float64(n - x)}.Quantile(1 - alpha)
	}
	return iv, nil
}

// Wilson returns the Wilson score interval for x successes in n trials, as
// R's prop.test(x, n, correct = FALSE).
func Wilson(x, n int, level float64) (Interval, error) {
	if n <= 0 || x < 0 || x > n || !(level > 0 && level < 1) {
		return Interval{}, ErrCounts
	}
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	nf := float64(n)
	p := float64(x) / nf
	z2 := z * z
	centre := p + z2/(2*nf)
	half := z * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	den := 1 + z2/nf
	iv := Interval{(centre - half) / den, (centre + half) / den}
	if x == 0 {
		iv.Lower = 0
	}
	if x == n {
		iv.Upper = 1
	}
	return iv, nil
}
