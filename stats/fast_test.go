package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The O(n log n) Concordance equals the pairwise definition exactly, on
// random data with ties in time, in score and censored/event ties.
func TestConcordanceMatchesPairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(60)
		tm, ev, risk := make([]float64, n), make([]bool, n), make([]float64, n)
		for i := range tm {
			tm[i] = float64(rng.IntN(15))
			ev[i] = rng.IntN(3) > 0
			risk[i] = float64(rng.IntN(8)) / 4
		}
		got, want := Concordance(tm, ev, risk), concordancePairs(tm, ev, risk)
		if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("n %d: %v, pairs %v", n, got, want)
		}
	}
	if c := Concordance([]float64{1, 2, 3}, []bool{true, true, false}, []float64{math.NaN(), 1, 0}); c != concordancePairs([]float64{1, 2, 3}, []bool{true, true, false}, []float64{math.NaN(), 1, 0}) {
		t.Errorf("NaN score: %v", c)
	}
}

// ROCCurve's placement values and curve by binary search equal the
// pairwise definitions (pROC's), exactly.
func TestROCMatchesPairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 200; trial++ {
		n := 2 + rng.IntN(50)
		sc, cs := make([]float64, n), make([]bool, n)
		for i := range sc {
			sc[i] = float64(rng.IntN(10))
			cs[i] = i == 0 || (i > 1 && rng.IntN(2) == 0)
		}
		r, err := ROCCurve(sc, cs, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		var x, y []float64
		for i, s := range sc {
			if cs[i] {
				x = append(x, s)
			} else {
				y = append(y, s)
			}
		}
		var auc float64
		for _, a := range x {
			for _, b := range y {
				switch {
				case a > b:
					auc++
				case a == b:
					auc += 0.5
				}
			}
		}
		if auc /= float64(len(x) * len(y)); r.AUC != auc {
			t.Fatalf("AUC %v, pairs %v", r.AUC, auc)
		}
		for _, p := range r.Curve {
			var tp, tn float64
			for _, a := range x {
				if a >= p.Threshold {
					tp++
				}
			}
			for _, b := range y {
				if b < p.Threshold {
					tn++
				}
			}
			if p.Sensitivity != tp/float64(len(x)) || p.Specificity != tn/float64(len(y)) {
				t.Fatalf("threshold %v: %+v, pairs %v %v", p.Threshold, p, tp, tn)
			}
		}
	}
}

func BenchmarkConcordance(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 20000
	tm, ev, risk := make([]float64, n), make([]bool, n), make([]float64, n)
	for i := range tm {
		tm[i], ev[i], risk[i] = rng.Float64()*1000, rng.IntN(2) == 0, rng.NormFloat64()
	}
	for b.Loop() {
		Concordance(tm, ev, risk)
	}
}
