package score

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The one-pass AUCell path gives the bits of aucellScore through the
// general ranker on random cells: sets in a random order (as listed, not
// sorted), genes in several sets, heavy ties, thresholds T below and above
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
		for s := range sigs { // listing order, not gene order
			r.Shuffle(len(sigs[s].Up), func(i, j int) { sigs[s].Up[i], sigs[s].Up[j] = sigs[s].Up[j], sigs[s].Up[i] })
		}
		if r.IntN(3) == 0 { // a gene in two sets
			sigs = append(sigs, sigs[0])
		}
		T := []int{1, 2, 5, 40, G / 2, G, G + 3}[r.IntN(7)]
		a := newAUCellCounts(G, T, sigs)
		rk := newRanker(G)
		got := make([]float64, len(sigs))
		var idx []int32
		var val []float64
		for cell := 0; cell < 20; cell++ {
			var want bool
			idx, val, _, want = randomCountCell(r, G, []float64{0, 0.05, 0.3, 0.6, 0.9, 1}[r.IntN(6)], idx, val)
			ok := a.score(idx, val, got)
			if ok != want {
				t.Fatalf("trial %d cell %d: took=%v a cell with values %v", trial, cell, ok, val)
			}
			if !ok {
				continue
			}
			if n := len(idx); n < G && min(G, T-1) >= n+1 {
				zeroUnder++
			} else {
				zeroPast++
			}
			rk.load(idx, val)
			for s := range sigs {
				w := aucellScore(rk, sigs[s].Up, T)
				if math.Float64bits(w) != math.Float64bits(got[s]) {
					t.Fatalf("trial %d cell %d set %d: %v in one pass, %v by the ranker", trial, cell, s, got[s], w)
				}
			}
		}
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
