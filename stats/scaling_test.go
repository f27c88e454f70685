package stats

import (
	"fmt"
	"math"
	"math/rand"
	"testing"
)

// survivalData draws n subjects with exponential times whose hazard grows
// with the first of p covariates (normal, then binary), rounded to whole
// days (ties), a third censored, and a two-level group.
func survivalData(n, p int) (time []float64, event []bool, x [][]float64, group []string) {
	rng := rand.New(rand.NewSource(int64(n)))
	time, event, x, group = make([]float64, n), make([]bool, n), make([][]float64, n), make([]string, n)
	for i := range time {
		x[i] = make([]float64, p)
		for k := range x[i] {
			if k%2 == 0 {
				x[i][k] = rng.NormFloat64()
			} else {
				x[i][k] = float64(rng.Intn(2))
			}
		}
		time[i] = math.Ceil(rng.ExpFloat64() * 365 / math.Exp(0.5*x[i][0]))
		event[i] = rng.Intn(3) > 0
		group[i] = []string{"low", "high"}[rng.Intn(2)]
	}
	return
}

// Benchmarks at three sizes for the exponents in bench/README.md ("Linear in
// the input"): Cox (Efron, 4 covariates), Kaplan-Meier, the log-rank test
// and maxstat's cut-point search.
func BenchmarkSurvivalScaling(b *testing.B) {
	for _, n := range []int{20000, 80000, 320000} {
		time, event, x, group := survivalData(n, 4)
		marker := make([]float64, n)
		for i := range marker {
			marker[i] = x[i][0]
		}
		names := []string{"a", "b", "c", "d"}
		run := func(name string, fn func()) {
			b.Run(fmt.Sprintf("%s/n=%d", name, n), func(b *testing.B) {
				c0 := cpuSeconds()
				for i := 0; i < b.N; i++ {
					fn()
				}
				b.ReportMetric((cpuSeconds()-c0)/float64(b.N), "cpu-s/op")
			})
		}
		run("cox", func() {
			if _, err := CoxPH(time, event, x, names, Efron); err != nil {
				b.Fatal(err)
			}
		})
		run("km", func() {
			if _, err := KaplanMeier(time, event, ConfLog, 0.95); err != nil {
				b.Fatal(err)
			}
		})
		run("logrank", func() {
			if _, err := LogRankTest(time, event, group, nil); err != nil {
				b.Fatal(err)
			}
		})
		run("maxstat", func() {
			if _, err := MaxStatLogRank(time, event, marker, 0.1, 0.9); err != nil {
				b.Fatal(err)
			}
		})
	}
}
