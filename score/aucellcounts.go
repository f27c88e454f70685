package score

import (
	"math/bits"

	"github.com/lsc-bio/lsc/signature"
)

// aucellCounts scores AUCell for a cell of raw counts in one pass over the
// cell's non-zero genes, as ucellCounts does for UCell, with the bits of
// aucellScore: that function adds one term per set gene, in the set's
// order, and skips the genes whose tie block lies wholly at or past the
// threshold T. A gene's term depends only on its count (the histogram of
// the cell's counts gives its tie block). The pass over the cell writes the
// term of each non-zero set gene at the gene's place in its sets (a
// position in one array holding every set's genes in order) and marks that
// place in a bitmap; each set then adds its terms in position order, which
// is aucellScore's order:
//   - when the cell has at least T-1 non-zero genes, the zero block starts
//     at rank T or later and all its genes are skipped: the set adds its
//     marked terms only;
//   - otherwise every gene at zero has the zero block's term, and every
//     non-zero gene, ranked above the zero block, is under T: the set walks
//     all its places, taking the marked term or the zero block's.
//
// Cells with a value that is not a whole count in [1, maxCount) are refused
// and go through the general ranker.
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
	if a.ge == nil {
		a.ge = make([]int32, maxCount+1)
	}
	ge := a.ge
	top, ok := countsAtLeast(ge, val)
	if !ok {
		return false
	}
	T, n := a.T, len(idx)
	// The zero block: n genes above, G-n tied (none when n = G: then
	// whole is false).
	zero, whole := aucellTerm(n, a.G-n, T)
	for k, g := range idx {
		lo, hi := a.off[g], a.off[g+1]
		if lo == hi {
			continue
		}
		c := int(val[k])
		t, in := aucellTerm(int(ge[c+1]), int(ge[c]-ge[c+1]), T)
		if !in {
			continue
		}
		for _, p := range a.place[lo:hi] {
			a.term[p] = t
			a.mark[p>>6] |= 1 << (p & 63)
		}
	}
	clear(ge[:top+1])
	for s := range a.sigs {
		from, to := int(a.start[s]), int(a.start[s+1])
		var auc float64
		if whole {
			auc = a.takeAll(from, to, zero)
		} else {
			auc = a.take(from, to)
		}
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

// aucellTerm is aucellScore's term for a gene with gr genes above it and eq
// tied with it (itself included), and whether aucellScore adds it (false:
// the tie block lies wholly at or past T; the term is then 0).
func aucellTerm(gr, eq, T int) (float64, bool) {
	first := gr + 1
	last := min(gr+eq, T-1)
	if last < first {
		return 0, false
	}
	k := float64(last - first + 1)
	return (k*float64(T) - float64(first+last)*k/2) / float64(eq), true
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

// takeAll adds, in place order over [from, to), the term of each marked
// place or zero for an unmarked one, and clears the marks.
func (a *aucellCounts) takeAll(from, to int, zero float64) float64 {
	var sum float64
	for p := from; p < to; p++ {
		w, bit := p>>6, uint64(1)<<(p&63)
		if a.mark[w]&bit != 0 {
			sum += a.term[p]
			a.mark[w] &^= bit
		} else {
			sum += zero
		}
	}
	return sum
}
