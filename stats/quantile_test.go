package stats

import (
	"math"
	"testing"
)

// R's quantile(x, p) (type 7) to the last bit. Expected values printed by
// R 4.2.2 (Debian 12) with
//
//	Rscript -e 'x <- c(...); p <- P; cat(sprintf("%.17g", quantile(x, p, names = FALSE)))'
//
// The cases were chosen (random two-decimal values) where x[lo] + h
// (x[hi] - x[lo]), the form lsc used before, differs from R's (1-h) x[lo] +
// h x[hi] in the last bits; each old value is in the comment.
func TestQuantile7R(t *testing.T) {
	for _, c := range []struct {
		x    []float64
		p    float64
		want float64 // R 4.2.2
	}{
		{[]float64{0.26, 1.67, 6.2, 6.93, 7.49, 7.64, 7.88, 8.36, 9.13}, 0.71, 7.8032000000000004},                                        // old 7.8031999999999995
		{[]float64{0.9, 1.15, 1.55, 1.67, 2.02, 2.48, 4.6, 4.99, 5.35, 6.08, 6.12, 6.73, 6.98, 7.02, 8.8, 9.49}, 0.37, 3.645999999999999}, // old 3.6459999999999995
		{[]float64{0.04, 0.07, 0.44, 1.38, 2.49, 2.98, 3.17, 5.01, 5.87, 6.46, 6.71, 7.41, 8.52, 9.65, 9.78}, 0.32, 2.7252000000000001},   // old 2.7252000000000005
		{[]float64{0.84, 1.02, 1.18, 1.43, 3.68, 4.52, 4.74, 5.38, 6.35, 6.78, 8.29, 9.39, 9.71}, 0.12, 1.0903999999999998},               // old 1.0904
		{[]float64{5.27, 7.7, 7.74, 9.08, 9.45}, 0.19, 7.1168000000000005},                                                                // old 7.1167999999999996
		{[]float64{0.94, 1, 1.18, 2.44, 3.62, 4.13, 4.23, 4.88, 4.97, 7.22, 7.91, 9.61, 9.71}, 0.31, 3.2896000000000001},                  // old 3.2895999999999996
		// Ends, one value, ties (hand-derived: R gives x[lo] when x[hi] == x[lo]).
		{[]float64{1, 2, 3}, 0, 1}, {[]float64{1, 2, 3}, 1, 3}, {[]float64{4}, 0.3, 4}, {[]float64{2, 2, 5}, 0.25, 2},
	} {
		if got := Quantile7(c.x, c.p); got != c.want {
			t.Errorf("Quantile7(%v, %g) = %.17g, R %.17g", c.x, c.p, got, c.want)
		}
	}
	if !math.IsNaN(Quantile7(nil, 0.5)) {
		t.Error("no values: want NaN")
	}
}
