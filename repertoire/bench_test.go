package repertoire

import (
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/lsc-bio/lsc/airr"
)

// synthCells makes a T-cell repertoire of n cells: 70% of cells carry a
// clone of their own, the rest are drawn from expanded clones with Zipf
// sizes (s = 1.3); junctions 30-60 nt; 8% of cells have a second alpha
// chain, 4% lose the alpha and 3% the beta chain (dropout), as 10x TCR data
// look. Seeded.
func synthCells(n int, seed uint64) []Cell {
	rng := rand.New(rand.NewPCG(seed, 1))
	junction := func() string {
		l := 3 * (10 + rng.IntN(11))
		b := make([]byte, l)
		for i := range b {
			b[i] = "ACGT"[rng.IntN(4)]
		}
		return string(b)
	}
	type clone struct{ a, a2, b string }
	var expanded []clone
	zipf := rand.NewZipf(rand.New(rand.NewPCG(seed, 2)), 1.3, 1, uint64(n/20))
	chains := make([]airr.Chain, 0, 2*n+n/10)
	cells := make([]Cell, n)
	for i := range cells {
		var c clone
		if rng.Float64() < 0.7 || len(expanded) == 0 {
			c = clone{a: junction(), b: junction()}
			if rng.Float64() < 0.08 {
				c.a2 = junction()
			}
			if rng.Float64() < 0.1 {
				expanded = append(expanded, c)
			}
		} else {
			c = expanded[int(zipf.Uint64())%len(expanded)]
		}
		cell := Cell{ID: strconv.Itoa(i), ReceptorType: "TCR"}
		add := func(s string) *airr.Chain {
			chains = append(chains, airr.Chain{Junction: s, JunctionAA: s})
			return &chains[len(chains)-1]
		}
		if rng.Float64() >= 0.04 {
			cell.VJ[0] = add(c.a)
			if c.a2 != "" {
				cell.VJ[1] = add(c.a2)
			}
		}
		if rng.Float64() >= 0.03 || cell.VJ[0] == nil {
			cell.VDJ[0] = add(c.b)
		}
		cells[i] = cell
	}
	return cells
}

// BenchmarkDefine times scirpy's default clonotype definition (nt
// identity, receptor_arms all, dual_ir any, within receptor type) on
// LSC_BENCH_CELLS cells (default 100,000; the README figure uses 1,000,000).
func BenchmarkDefine(b *testing.B) {
	n := 100000
	if s := os.Getenv("LSC_BENCH_CELLS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	cells := synthCells(n, 1)
	runtime.GC()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ResetTimer()
	var res *Clonotypes
	start, cpu := time.Now(), cpuSeconds()
	for i := 0; i < b.N; i++ {
		res, _ = Define(cells, Options{})
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(len(res.Size)), "clonotypes")
	b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/op")
	b.ReportMetric((cpuSeconds()-cpu)/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(ms1.HeapInuse)/(1<<20), "MiB-heap-after")
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(b.N)/(1<<20), "MiB-alloc/op")
}

// The generator's clonotypes are known: with receptor_arms VJ and
// primary_only, cells sharing a primary alpha are one clone, so the
// count equals the number of distinct primary alphas.
func TestSynthDefine(t *testing.T) {
	cells := synthCells(5000, 3)
	res, err := Define(cells, Options{ReceptorArms: "VJ", DualIR: "primary_only"})
	if err != nil {
		t.Fatal(err)
	}
	distinct := map[string]bool{}
	for _, c := range cells {
		if c.VJ[0] != nil {
			distinct[c.VJ[0].Junction] = true
		}
	}
	if len(res.Size) != len(distinct) {
		t.Errorf("%d clonotypes, %d distinct alphas", len(res.Size), len(distinct))
	}
}
