package compartment

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/lsc-bio/lsc/stats"
)

// quantile7 (selection) equals stats.Quantile7 on the sorted values, bit for
// bit, on data with many ties, with a NaN, and at the extremes of q.
func TestQuantile7BySelection(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		n := 1 + r.IntN(3000)
		v := make([]float64, n)
		for i := range v {
			switch r.IntN(4) {
			case 0:
				v[i] = 0 // ties, as clipped display values
			case 1:
				v[i] = float64(r.IntN(5))
			default:
				v[i] = r.NormFloat64()
			}
		}
		if trial%50 == 7 {
			v[r.IntN(n)] = math.NaN()
		}
		s := append([]float64(nil), v...)
		sort.Float64s(s)
		for _, q := range []float64{0, 0.001, 0.25, 0.5, 0.999, 1} {
			w := append([]float64(nil), v...)
			got, want := quantile7(w, q), stats.Quantile7(s, q)
			if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("trial %d n %d q %v: %v, sorted %v", trial, n, q, got, want)
			}
		}
	}
}
