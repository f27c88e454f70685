package repertoire

import (
	"math"
	"sort"

	"github.com/lsc-bio/lsc/stats"
)

// Change is one clonotype followed from one sample to a later one.
type Change struct {
	Clone            int
	From, To         int     // cells of the clone in each sample
	FracFrom, FracTo float64 // of the sample's cells with a clonotype
	Log2FC           float64 // log2((To+0.5)/(TTo+1) / ((From+0.5)/(TFrom+1)))
	P, PAdj          float64 // Fisher's exact test (R's fisher.test), BH over the clones tested
}

// Expansion compares clone sizes between two samples (sizes indexed by
// clone id): every clone with at least minCells cells in either sample is
// tested with Fisher's exact test on [[to, totalTo - to], [from,
// totalFrom - from]], the p values BH-adjusted; sorted by p, then clone.
// This is the test scRepertoire and scirpy users run by hand for expanded
// clones after infusion.
func Expansion(from, to []int, minCells int) []Change {
	var tf, tt int
	for _, v := range from {
		tf += v
	}
	for _, v := range to {
		tt += v
	}
	var out []Change
	var ps []float64
	for id := 0; id < max(len(from), len(to)); id++ {
		a, b := at(from, id), at(to, id)
		if a+b == 0 || (a < minCells && b < minCells) {
			continue
		}
		c := Change{Clone: id, From: a, To: b, FracFrom: ratio(a, tf), FracTo: ratio(b, tt),
			Log2FC: math.Log2((float64(b) + 0.5) / float64(tt+1) / ((float64(a) + 0.5) / float64(tf+1)))}
		c.P, _ = stats.FisherExact(b, tt-b, a, tf-a)
		out = append(out, c)
		ps = append(ps, c.P)
	}
	adj := stats.BenjaminiHochberg(ps)
	for i := range out {
		out[i].PAdj = adj[i]
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].P != out[j].P {
			return out[i].P < out[j].P
		}
		return out[i].Clone < out[j].Clone
	})
	return out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}
