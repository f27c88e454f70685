package stats

import (
	"math"
	"sort"
)

// Median is R's median(): the middle value, or the mean of the two middle
// values for an even count; NaN for no values. v is not modified.
func Median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Quantile7 is R's default quantile (type 7) of sorted values, with R's
// own arithmetic (stats:::quantile.default, R 4.2.2): index = 1 + (n-1) q,
// lo = floor(index), hi = ceiling(index), h = index - lo, and
// (1-h) x[lo] + h x[hi] when index > lo and x[hi] differs from x[lo]. The
// shorter x[lo] + h (x[hi] - x[lo]) differs from R in the last bits.
func Quantile7(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	lo, hi, h := Quantile7Index(n, q)
	return Quantile7Of(sorted[lo], sorted[hi], h)
}

// Quantile7Index gives the 0-based order statistics (lo, hi) that R's type
// 7 quantile q of n values interpolates between, and the weight h of hi;
// Quantile7Of combines them. They let a caller find the two order
// statistics by selection instead of a sort.
func Quantile7Index(n int, q float64) (lo, hi int, h float64) {
	index := 1 + float64(n-1)*q
	l := math.Floor(index)
	lo, hi = int(l)-1, int(math.Ceil(index))-1
	if hi > n-1 { // q > 1 is not asked for; stay inside the slice
		hi = n - 1
	}
	if lo > n-1 {
		lo = n - 1
	}
	return lo, hi, index - l
}

// Quantile7Of is R's type 7 interpolation between the order statistics a
// (at lo) and b (at hi) with weight h (Quantile7Index).
func Quantile7Of(a, b, h float64) float64 {
	if h > 0 && b != a {
		return (1-h)*a + h*b
	}
	return a
}

// SD is the sample standard deviation (n - 1 denominator, as R's sd); NaN
// for fewer than two values.
func SD(v []float64) float64 {
	if len(v) < 2 {
		return math.NaN()
	}
	var m float64
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	var ss float64
	for _, x := range v {
		ss += (x - m) * (x - m)
	}
	return math.Sqrt(ss / float64(len(v)-1))
}
