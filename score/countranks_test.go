package score

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The count histogram gives every gene the same (greater, tied) pair as the
// general ranker, so AUCell and singscore get the same bits through either
// on random cells: heavy ties, counts up to 70,000 (past the histogram's
// range: refused), cells with no counts, AUCell thresholds below and above
// the number of non-zero genes, up/down singscore sets. Values the histogram
// does not take (zero, fractional, negative, NaN, >= 65536) are refused and
// leave nothing behind for the next cell, nor does a cell whose row buffer
// is overwritten by the next one.
func TestCountRanksSameBitsAsRanker(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 300; trial++ {
		G := 5 + r.IntN(400)
		sigs := randomSets(r, G)
		T := []int{1, 2, 5, 40, G}[r.IntN(5)]
		asked := askedGenes(G, sigs) // only the sets' genes, or every gene in half the trials
		if trial%2 == 0 {
			for g := range asked {
				asked[g] = true
			}
		}
		cr := newCountRanks(G, asked)
		rk := newRanker(G)
		var idx []int32 // reused from cell to cell, as a chunk's rows are
		var val []float64
		for cell := 0; cell < 20; cell++ {
			var top int
			var want bool
			idx, val, top, want = randomCountCell(r, G, []float64{0, 0.05, 0.3, 0.9}[r.IntN(4)], idx, val)
			ok := cr.load(idx, val)
			if ok != want {
				t.Fatalf("trial %d: histogram took=%v a cell with values up to %d (%v)", trial, ok, top, val)
			}
			if !ok {
				continue
			}
			rk.load(idx, val)
			for g := int32(0); g < int32(G); g++ {
				if !asked[g] {
					continue
				}
				a, b := cr.rank(g)
				c, d := rk.rank(g)
				if a != c || b != d {
					t.Fatalf("trial %d cell %d gene %d: histogram (%d above, %d tied), ranker (%d, %d)", trial, cell, g, a, b, c, d)
				}
			}
			for s := range sigs {
				for _, pair := range [][2]float64{
					{aucellScore(cr, sigs[s].Up, T), aucellScore(rk, sigs[s].Up, T)},
					{singscoreScore(cr, G, &sigs[s]), singscoreScore(rk, G, &sigs[s])},
				} {
					if math.Float64bits(pair[0]) != math.Float64bits(pair[1]) {
						t.Fatalf("trial %d cell %d set %d: %v by histogram, %v by the ranker", trial, cell, s, pair[0], pair[1])
					}
				}
			}
		}
	}
}
