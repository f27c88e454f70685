package stats

import (
	"fmt"
	"math"
	"math/rand"
	"sort"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// The O(n^2) definitions that Concordance and ROCCurve replaced (as they
// were checked against survival 3.5.3 and pROC 1.18 in packages clinical and
// cohort), kept as the oracle the O(n log n) versions must equal bit for bit.

func concordanceAllPairs(time []float64, event []bool, risk []float64) float64 {
	var conc, disc, tied float64
	n := len(time)
	for i := 0; i < n; i++ {
		if !event[i] {
			continue
		}
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			if time[j] < time[i] || (time[j] == time[i] && event[j]) {
				continue
			}
			switch {
			case risk[i] > risk[j]:
				conc++
			case risk[i] < risk[j]:
				disc++
			default:
				tied++
			}
		}
	}
	return (conc + tied/2) / (conc + disc + tied)
}

func rocAllPairs(score []float64, isCase []bool, level float64) (*ROC, error) {
	var x, y []float64
	for i, s := range score {
		if isCase[i] {
			x = append(x, s)
		} else {
			y = append(y, s)
		}
	}
	m, n := len(x), len(y)
	if m == 0 || n == 0 {
		return nil, ErrSample
	}
	psi := func(a, b float64) float64 {
		switch {
		case a > b:
			return 1
		case a == b:
			return 0.5
		}
		return 0
	}
	v10 := make([]float64, m)
	v01 := make([]float64, n)
	var auc float64
	for i := range x {
		for j := range y {
			p := psi(x[i], y[j])
			v10[i] += p
			v01[j] += p
			auc += p
		}
	}
	auc /= float64(m * n)
	for i := range v10 {
		v10[i] /= float64(n)
	}
	for j := range v01 {
		v01[j] /= float64(m)
	}
	variance := func(v []float64, mean float64) float64 {
		if len(v) < 2 {
			return 0
		}
		var s float64
		for _, a := range v {
			s += (a - mean) * (a - mean)
		}
		return s / float64(len(v)-1)
	}
	se := math.Sqrt(variance(v10, auc)/float64(m) + variance(v01, auc)/float64(n))
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	r := &ROC{Cases: m, Controls: n, AUC: auc, SE: se,
		CI: Interval{Lower: math.Max(0, auc-z*se), Upper: math.Min(1, auc+z*se)}}
	u := append(append([]float64(nil), x...), y...)
	sort.Float64s(u)
	var th []float64
	th = append(th, math.Inf(1))
	for i := len(u) - 1; i >= 0; i-- {
		if i == len(u)-1 || u[i] != u[i+1] {
			th = append(th, u[i])
		}
	}
	th = append(th, math.Inf(-1))
	for _, t := range th {
		var tp, tn float64
		for _, a := range x {
			if a >= t {
				tp++
			}
		}
		for _, b := range y {
			if b < t {
				tn++
			}
		}
		r.Curve = append(r.Curve, ROCPoint{Threshold: t, Sensitivity: tp / float64(m), Specificity: tn / float64(n)})
	}
	return r, nil
}

// same is bitwise equality, NaN equal to NaN.
func same(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (math.IsNaN(a) && math.IsNaN(b))
}

// tiedData draws n subjects whose times and scores come from few distinct
// values (so ties in time, in score and in both are common), sometimes
// with NaNs, infinities and signed zeros.
func tiedData(rng *rand.Rand, n, levels int, odd bool) (time []float64, event []bool, risk []float64) {
	pick := func() float64 {
		if odd && rng.Intn(10) == 0 {
			return []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 0}[rng.Intn(5)]
		}
		return float64(rng.Intn(levels)) / 4
	}
	time, event, risk = make([]float64, n), make([]bool, n), make([]float64, n)
	for i := range time {
		time[i], risk[i] = pick(), pick()
		event[i] = rng.Intn(3) > 0
	}
	return
}

func TestConcordanceEqualsAllPairs(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for trial := 0; trial < 3000; trial++ {
		n := 1 + rng.Intn(60)
		levels := 1 + rng.Intn(2*n)
		time, event, risk := tiedData(rng, n, levels, trial%3 == 0)
		got, want := Concordance(time, event, risk), concordanceAllPairs(time, event, risk)
		if !same(got, want) {
			t.Fatalf("trial %d: C = %v, all pairs %v\ntime %v\nevent %v\nrisk %v", trial, got, want, time, event, risk)
		}
	}
	// Continuous scores, larger n.
	for _, n := range []int{500, 2000} {
		time, event, risk := make([]float64, n), make([]bool, n), make([]float64, n)
		for i := range time {
			time[i], event[i], risk[i] = math.Round(rng.ExpFloat64()*100)/10, rng.Intn(4) > 0, rng.NormFloat64()
		}
		if got, want := Concordance(time, event, risk), concordanceAllPairs(time, event, risk); !same(got, want) {
			t.Errorf("n=%d: C = %v, all pairs %v", n, got, want)
		}
	}
	if c := Concordance(nil, nil, nil); !math.IsNaN(c) {
		t.Errorf("empty: %v, want NaN (0/0, as all pairs)", c)
	}
}

func TestROCEqualsAllPairs(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for trial := 0; trial < 3000; trial++ {
		n := 1 + rng.Intn(60)
		_, isCase, score := tiedData(rng, n, 1+rng.Intn(2*n), trial%3 == 0)
		got, gerr := ROCCurve(score, isCase, 0.95)
		want, werr := rocAllPairs(score, isCase, 0.95)
		if (gerr == nil) != (werr == nil) {
			t.Fatalf("trial %d: error %v, all pairs %v", trial, gerr, werr)
		}
		if gerr != nil {
			continue
		}
		if !sameROC(got, want) {
			t.Fatalf("trial %d: %+v\nall pairs %+v\nscore %v case %v", trial, got, want, score, isCase)
		}
	}
	for _, n := range []int{500, 2000} {
		score, isCase := make([]float64, n), make([]bool, n)
		for i := range score {
			isCase[i] = rng.Intn(3) == 0
			score[i] = rng.NormFloat64()
			if isCase[i] {
				score[i] += 0.8
			}
		}
		got, _ := ROCCurve(score, isCase, 0.9)
		want, _ := rocAllPairs(score, isCase, 0.9)
		if !sameROC(got, want) {
			t.Errorf("n=%d: AUC %v SE %v, all pairs AUC %v SE %v", n, got.AUC, got.SE, want.AUC, want.SE)
		}
	}
}

func sameROC(a, b *ROC) bool {
	if a.Cases != b.Cases || a.Controls != b.Controls || !same(a.AUC, b.AUC) || !same(a.SE, b.SE) ||
		!same(a.CI.Lower, b.CI.Lower) || !same(a.CI.Upper, b.CI.Upper) || len(a.Curve) != len(b.Curve) {
		return false
	}
	for i := range a.Curve {
		p, q := a.Curve[i], b.Curve[i]
		if !same(p.Threshold, q.Threshold) || !same(p.Sensitivity, q.Sensitivity) || !same(p.Specificity, q.Specificity) {
			return false
		}
	}
	return true
}

// Benchmarks at three sizes (bench/README.md states the exponents). The
// all-pairs versions are timed at the smaller sizes for the ratio.
func BenchmarkConcordance(b *testing.B) {
	for _, n := range []int{20000, 80000, 320000} {
		rng := rand.New(rand.NewSource(3))
		time, event, risk := tiedData(rng, n, n, false)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			c0 := cpuSeconds()
			for i := 0; i < b.N; i++ {
				Concordance(time, event, risk)
			}
			b.ReportMetric((cpuSeconds()-c0)/float64(b.N), "cpu-s/op")
		})
	}
}

func BenchmarkROCCurve(b *testing.B) {
	for _, n := range []int{20000, 80000, 320000} {
		rng := rand.New(rand.NewSource(4))
		_, isCase, score := tiedData(rng, n, n, false)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			c0 := cpuSeconds()
			for i := 0; i < b.N; i++ {
				ROCCurve(score, isCase, 0.95)
			}
			b.ReportMetric((cpuSeconds()-c0)/float64(b.N), "cpu-s/op")
		})
	}
}

func BenchmarkAllPairs(b *testing.B) {
	rng := rand.New(rand.NewSource(5))
	time, event, risk := tiedData(rng, 20000, 20000, false)
	b.Run("concordance/n=20000", func(b *testing.B) {
		c0 := cpuSeconds()
		for i := 0; i < b.N; i++ {
			concordanceAllPairs(time, event, risk)
		}
		b.ReportMetric((cpuSeconds()-c0)/float64(b.N), "cpu-s/op")
	})
	b.Run("roc/n=20000", func(b *testing.B) {
		c0 := cpuSeconds()
		for i := 0; i < b.N; i++ {
			rocAllPairs(risk, event, 0.95)
		}
		b.ReportMetric((cpuSeconds()-c0)/float64(b.N), "cpu-s/op")
	})
}
