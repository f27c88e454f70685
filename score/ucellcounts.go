package score

import (
	"math"

	"github.com/lsc-bio/lsc/signature"
)

// ucellCounts scores UCell for a cell of raw counts without sorting it: a
// gene's average rank (decreasing expression) depends only on its value v,
// as (genes with a value above v) + (genes with value v + 1) / 2, so a
// histogram of the cell's counts gives every rank, and one pass over the
// cell's non-zero genes finds those that belong to a signature (a table
// from gene to the signatures holding it). Genes of a signature that are
// zero in the cell all share the zero block's rank. The rank sum of each
// signature is the one ucellScore forms: every term is a multiple of 1/2
// far below 2^52, so float64 adds them exactly in any order and the scores
// are the same bits.
//
// Built by newSingscoreCounts, the same pass sums singscore's per-gene
// value G - (genes above) - (genes tied) + 1 (ties.method "min" rank,
// increasing order): integers, also added exactly in any order; every gene
// at zero has the value 1. The sums then go through singscoreScore's
// formula (singscoreFromSums), hence its bits.
type ucellCounts struct {
	G         int
	singscore bool // sums for singscore, not UCell
	maxRank   float64
	sigs      []signature.Resolved
	off       []int32 // gene g's memberships: member[off[g]:off[g+1]]
	member    []int32 // 2*signature + 1 for a down gene
	ge        []int32 // ge[v]: genes of the cell with a count >= v (v >= 1); maxCount+1 long
	sum       []float64
	found     []int32
}

// countScorer scores a cell of raw counts in one pass (ucellCounts,
// aucellCounts), or refuses it.
type countScorer interface {
	score(idx []int32, val []float64, out []float64) bool
}

// maxCount bounds the counts the histogram handles (larger: the general
// ranker).
const maxCount = 1 << 16

func newUCellCounts(G, maxRank int, sigs []signature.Resolved) *ucellCounts {
	u := &ucellCounts{G: G, maxRank: float64(min(maxRank, G)), sigs: sigs, off: make([]int32, G+1),
		sum: make([]float64, 2*len(sigs)), found: make([]int32, 2*len(sigs))}
	each := func(fn func(g int32, m int32)) {
		for s := range sigs {
			for _, g := range sigs[s].Up {
				fn(g, int32(2*s))
			}
			for _, g := range sigs[s].Down {
				fn(g, int32(2*s+1))
			}
		}
	}
	each(func(g, _ int32) { u.off[g+1]++ })
	for g := 0; g < G; g++ {
		u.off[g+1] += u.off[g]
	}
	u.member = make([]int32, u.off[G])
	next := append([]int32(nil), u.off[:G]...)
	each(func(g, m int32) { u.member[next[g]] = m; next[g]++ })
	return u
}

// newSingscoreCounts sums singscore's per-gene values (see ucellCounts).
func newSingscoreCounts(G int, sigs []signature.Resolved) *ucellCounts {
	u := newUCellCounts(G, G, sigs)
	u.singscore = true
	return u
}

// countsAtLeast fills ge (all zeros, maxCount+1 long) with ge[v] = the
// number of values >= v for v in 1..top, top the largest value, and reports
// true; or reports false, ge all zeros again, when a value is not a whole
// count in [1, maxCount).
func countsAtLeast(ge []int32, val []float64) (top int, ok bool) {
	for _, v := range val {
		c := int(v)
		if float64(c) != v || c < 1 || c >= maxCount {
			clear(ge[:top+1])
			return 0, false
		}
		ge[c]++
		top = max(top, c)
	}
	for c := top - 1; c >= 1; c-- { // counts >= c
		ge[c] += ge[c+1]
	}
	return top, true
}

// score writes the cell's score of each signature into out and reports
// true, or reports false (out untouched) when a value is not a whole count
// in [1, maxCount): those cells go through the general ranker.
func (u *ucellCounts) score(idx []int32, val []float64, out []float64) bool {
	// One pass checks the values and counts them; ge is all zeros between
	// cells (cleared up to the largest count used).
	if u.ge == nil {
		u.ge = make([]int32, maxCount+1)
	}
	ge := u.ge
	top, ok := countsAtLeast(ge, val)
	if !ok {
		return false
	}
	defer clear(ge[:top+1])
	clear(u.sum)
	clear(u.found)
	mr, G := u.maxRank, float64(u.G)
	for k, g := range idx {
		a, b := u.off[g], u.off[g+1]
		if a == b {
			continue
		}
		c := int(val[k])
		greater, eq := ge[c+1], ge[c]-ge[c+1]
		var r float64
		if u.singscore {
			r = G - float64(greater) - float64(eq) + 1
		} else {
			r = min(float64(greater)+float64(eq+1)/2, mr)
		}
		for _, m := range u.member[a:b] {
			u.sum[m] += r
			u.found[m]++
		}
	}
	n := len(idx)
	if u.singscore {
		for s := range u.sigs {
			rs := &u.sigs[s]
			// genes at zero: value 1 each
			up := u.sum[2*s] + float64(len(rs.Up)-int(u.found[2*s]))
			down := u.sum[2*s+1] + float64(len(rs.Down)-int(u.found[2*s+1]))
			out[s] = singscoreFromSums(up, down, rs, G)
		}
		return true
	}
	zero := min(float64(n)+float64(u.G-n+1)/2, mr) // genes at zero: n above, G-n tied
	for s := range u.sigs {
		rs := &u.sigs[s]
		up := u.fromSum(u.sum[2*s]+zero*float64(len(rs.Up)-int(u.found[2*s])), len(rs.Up), rs.UpTotal)
		if rs.DownTotal == 0 {
			out[s] = up
			continue
		}
		down := u.fromSum(u.sum[2*s+1]+zero*float64(len(rs.Down)-int(u.found[2*s+1])), len(rs.Down), rs.DownTotal)
		out[s] = math.Max(up-down, 0)
	}
	return true
}

// fromSum is ucellScore's formula for the rank sum of the found genes.
func (u *ucellCounts) fromSum(sum float64, found, listed int) float64 {
	return ucellU(sum+u.maxRank*float64(listed-found), listed, u.maxRank)
}
