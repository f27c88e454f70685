package score

import (
	"math/bits"

	"github.com/lsc-bio/lsc/signature"
)

// aucellCounts scores AUCell for a cell of raw counts in one pass over the
// cell's non-zero genes, as ucellCounts does for UCell, with the bits of
// aucellScore: that function adds one term per set gene, in the set's
// order, and skips the genes whose tie block lies wholly at or past the
// threshold T. A gene's term depends only on its count (the histogram gives
// its tie block), and when the cell has at least T-1 non-zero genes the zero
// block starts at rank T or later, so every gene at zero is skipped. Such a
// cell needs the terms of its non-zero set genes only: the pass over the
// cell writes each one at the gene's place in its sets (a position in one
// array holding every set's genes in order) and marks that place in a
// bitmap; each set then adds its marked terms in position order, which is
// the order and the terms of aucellScore, hence the same bits. A cell with
// fewer non-zero genes (the zero block reaches under T), or with a value
// that is not a whole count in [1, maxCount), is refused and scored gene by
// gene as before.
type aucellCounts struct {
	G, T  int
	sigs  []signature.Resolved
	off   []int32   // gene g's places: place[off[g]:off[g+1]]
	place []int32   // a place p: set s's gene at p - start[s] in its Up list
	start []int32   // set s holds places start[s]:start[s+1]
	term  []float64 // the loaded cell's term at each marked place
	mark  []uint64  // bitmap of marked places; all zeros between cells
	ge    []int32   // ge[v]: genes of the cell with a count >= v; maxCount+1 long
}

func newAUCellCounts(G, T int, sigs []signature.Resolved) *aucellCounts {
	a := &aucellCounts{G: G, T: T, sigs: sigs, off: make([]int32, G+1), start: make([]int32, len(sigs)+1)}
	for s := range sigs {
		a.start[s+1] = a.start[s] + int32(len(sigs[s].Up))
		for _, g := range sigs[s].Up {
			a.off[g+1]++
		}
	}
	for g := 0; g < G; g++ {
		a.off[g+1] += a.off[g]
	}
	P := a.start[len(sigs)]
	a.place = make([]int32, P)
	next := append([]int32(nil), a.off[:G]...)
	for s := range sigs {
		for i, g := range sigs[s].Up {
			a.place[next[g]] = a.start[s] + int32(i)
			next[g]++
		}
	}
	a.term = make([]float64, P)
	a.mark = make([]uint64, (P+63)/64)
	return a
}

// score writes the cell's AUCell score of each signature into out and
// reports true, or reports false (out untouched) for a cell it refuses
// (see aucellCounts).
func (a *aucellCounts) score(idx []int32, val []float64, out []float64) bool {
	T := a.T
	n := len(idx)
	// The zero block: n genes above, G-n tied; aucellScore's range for it.
	if n < a.G && min(a.G, T-1) >= n+1 {
		return false
	}
	if a.ge == nil {
		a.ge = make([]int32, maxCount+1)
	}
	ge := a.ge
	top, ok := countsAtLeast(ge, val)
	if !ok {
		return false
	}
	for k, g := range idx {
		lo, hi := a.off[g], a.off[g+1]
		if lo == hi {
			continue
		}
		c := int(val[k])
		gr, eq := int(ge[c+1]), int(ge[c]-ge[c+1])
		// aucellScore's term for a gene with gr genes above and eq tied.
		first := gr + 1
		last := min(gr+eq, T-1)
		if last < first {
			continue
		}
		kk := float64(last - first + 1)
		t := (kk*float64(T) - float64(first+last)*kk/2) / float64(eq)
		for _, p := range a.place[lo:hi] {
			a.term[p] = t
			a.mark[p>>6] |= 1 << (p & 63)
		}
	}
	clear(ge[:top+1])
	for s := range a.sigs {
		auc := a.take(int(a.start[s]), int(a.start[s+1]))
		m := max(min(len(a.sigs[s].Up), T-1), 0)
		maxAUC := float64(m*T - m*(m+1)/2)
		if maxAUC == 0 {
			out[s] = 0
			continue
		}
		out[s] = auc / maxAUC
	}
	return true
}

// take adds the terms of the marked places in [from, to) in place order and
// clears their marks.
func (a *aucellCounts) take(from, to int) float64 {
	var sum float64
	for w := from >> 6; w<<6 < to; w++ {
		word := a.mark[w]
		if word == 0 {
			continue
		}
		lo, hi := max(from-w<<6, 0), min(to-w<<6, 64) // the word's bits in [from, to)
		in := word >> lo << lo
		if hi < 64 {
			in &= 1<<hi - 1
		}
		a.mark[w] = word &^ in
		for in != 0 {
			sum += a.term[w<<6+bits.TrailingZeros64(in)]
			in &= in - 1
		}
	}
	return sum
}
