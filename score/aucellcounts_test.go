package score

import (
	"math/rand/v2"
	"testing"
)

// The one-pass AUCell path gives the bits of aucellScore through the
// general ranker on random cells: set genes in a random order (not the
// feature order Resolve gives), genes in several sets, heavy ties, thresholds T below and above
// the number of non-zero genes and past the number of genes (so that the
// zero block lies past T in some cells and reaches under it in others). It
// refuses exactly the cells with a value that is not a whole count in
// [1, 65536); nothing of a cell (marks, terms, histogram) is left for the
// next one.
func TestAUCellCountsSameBitsAsRanker(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var zeroPast, zeroUnder int
	for trial := 0; trial < 300; trial++ {
		G := 5 + r.IntN(400)
		sigs := randomSets(r, G)
		shuffleSets(r, sigs)
		if r.IntN(3) == 0 { // a gene in two sets
			sigs = append(sigs, sigs[0])
		}
		T := []int{1, 2, 5, 40, G / 2, G, G + 3}[r.IntN(7)]
		a := newAUCellCounts(G, T, sigs)
		onePassCells(t, r, trial, G, len(sigs), a,
			func(rk *ranker, s int) float64 { return aucellScore(rk, sigs[s].Up, T) }, []float64{0, 0.05, 0.3, 0.6, 0.9, 1},
			func(idx []int32) {
				if n := len(idx); n < G && min(G, T-1) >= n+1 {
					zeroUnder++
				} else {
					zeroPast++
				}
			})
		for w, m := range a.mark {
			if m != 0 {
				t.Fatalf("trial %d: marks left in word %d: %x", trial, w, m)
			}
		}
	}
	if zeroPast < 1000 || zeroUnder < 1000 {
		t.Fatalf("the random cells did not cover both cases: zero block past T in %d cells, under T in %d", zeroPast, zeroUnder)
	}
}
