package score

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"syscall"
	"testing"

	"github.com/lsc-bio/lsc/matrix"
	"github.com/lsc-bio/lsc/matrix/synth"
	"github.com/lsc-bio/lsc/signature"
)

// Benchmarks: 50 signatures of 50 genes over synthetic counts, 30,000 genes
// x 10,000 cells (~2,000 detected genes per cell; LSC_BENCH_CELLS changes
// the cell count). The matrix is generated once and held in memory so that
// only scoring is timed. Side-by-side runs with R's UCell and AUCell on the
// same matrix: bench/score.sh.
var (
	benchOnce sync.Once
	benchM    *matrix.CSR
	benchSigs []signature.Signature
)

func benchData(b *testing.B) (*matrix.CSR, []signature.Signature) {
	benchOnce.Do(func() {
		cells := 10000
		if s := os.Getenv("LSC_BENCH_CELLS"); s != "" {
			cells, _ = strconv.Atoi(s)
		}
		src := synth.New(30000, cells, 5000, 1)
		m, err := matrix.Collect(src)
		if err != nil {
			panic(err)
		}
		benchM = m
		for i, g := range src.GeneSets(50, 50, 2) {
			benchSigs = append(benchSigs, signature.Signature{Name: fmt.Sprintf("set%02d", i+1), Up: g})
		}
	})
	return benchM, benchSigs
}

func benchMethod(b *testing.B, method string) {
	m, sigs := benchData(b)
	b.ResetTimer()
	cpu0 := processCPU()
	for i := 0; i < b.N; i++ {
		if _, err := Run(matrix.NewMemSource(m), sigs, Options{Method: method, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(m.Cells))*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
	b.ReportMetric((processCPU()-cpu0)/float64(b.N), "cpu-s/op")
}

// processCPU is the user + system CPU seconds of the whole process (every
// worker and the collector: the CPU a job pays, whatever the load).
func processCPU() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func BenchmarkUCell(b *testing.B)       { benchMethod(b, "ucell") }
func BenchmarkAUCell(b *testing.B)      { benchMethod(b, "aucell") }
func BenchmarkSingscore(b *testing.B)   { benchMethod(b, "singscore") }
func BenchmarkSSGSEA(b *testing.B)      { benchMethod(b, "ssgsea") }
func BenchmarkZScore(b *testing.B)      { benchMethod(b, "zscore") }
func BenchmarkModuleScore(b *testing.B) { benchMethod(b, "modulescore") }
func BenchmarkMean(b *testing.B)        { benchMethod(b, "mean") }
