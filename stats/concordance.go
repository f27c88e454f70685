package stats

import (
	"math"
	"sort"
)

// Concordance is Harrell's C for a risk score (higher = shorter survival):
// over pairs where the shorter time is an event (an event tied in time with
// a censoring counts as earlier; two tied events are not comparable),
// (concordant + tied/2) / (concordant + discordant + tied).
//
// It runs in O(n log n), as survival's concordance (Therneau, survival 3.5,
// concordancefit) does: subjects are visited from the longest time down, and
// a count tree over the ranks of the distinct risk scores holds everyone with
// a later time (or a censoring at the same time); each event then asks the
// tree how many of them score lower, higher or the same. The counts are
// integers, so C is bit-for-bit the all-pairs ratio. NaN compares as in the
// all-pairs definition: a pair with a NaN risk is tied, and a NaN time is
// neither earlier nor later than any other, so every pair with it is
// comparable when the other member (or it) is an event.
func Concordance(time []float64, event []bool, risk []float64) float64 {
	n := len(time)
	// Ranks of the distinct non-NaN risk scores, 1-based for the tree.
	vals := make([]float64, 0, n)
	for _, r := range risk[:n] {
		if !math.IsNaN(r) {
			vals = append(vals, r)
		}
	}
	sort.Float64s(vals)
	k := 0
	for i, v := range vals {
		if i == 0 || v != vals[k-1] {
			vals[k] = v
			k++
		}
	}
	vals = vals[:k]
	rank := make([]int, n) // 0 for a NaN risk
	for i := 0; i < n; i++ {
		if !math.IsNaN(risk[i]) {
			rank[i] = sort.SearchFloat64s(vals, risk[i]) + 1
		}
	}
	t := newCountTree(k)
	var conc, disc, tied int64
	ask := func(i int) {
		if rank[i] == 0 {
			tied += t.total
			return
		}
		below, same := t.below(rank[i]), t.at(rank[i])
		conc += below
		tied += same + t.nan
		disc += t.total - t.nan - below - same
	}
	// Subjects with a NaN time are later than every event's time (and are
	// asked about last, against everyone).
	var nanT []int
	order := make([]int, 0, n)
	for i := 0; i < n; i++ {
		if math.IsNaN(time[i]) {
			nanT = append(nanT, i)
			t.add(rank[i])
		} else {
			order = append(order, i)
		}
	}
	sort.Slice(order, func(a, b int) bool { return time[order[a]] > time[order[b]] })
	for lo := 0; lo < len(order); {
		hi := lo
		for hi < len(order) && time[order[hi]] == time[order[lo]] {
			hi++
		}
		group := order[lo:hi]
		for _, i := range group { // censored at this time count as later
			if !event[i] {
				t.add(rank[i])
			}
		}
		for _, i := range group {
			if event[i] {
				ask(i)
			}
		}
		for _, i := range group {
			if event[i] {
				t.add(rank[i])
			}
		}
		lo = hi
	}
	for _, i := range nanT {
		if event[i] {
			ask(i)
			tied-- // the subject itself, counted as a tie with itself
		}
	}
	c, d, e := float64(conc), float64(disc), float64(tied)
	return (c + e/2) / (c + d + e)
}

// countTree is a Fenwick (binary indexed) tree of counts over ranks 1..n,
// plus the number of NaN entries (rank 0) and the total.
type countTree struct {
	c          []int64
	total, nan int64
}

func newCountTree(n int) *countTree { return &countTree{c: make([]int64, n+1)} }

func (t *countTree) add(r int) {
	t.total++
	if r == 0 {
		t.nan++
		return
	}
	for ; r < len(t.c); r += r & -r {
		t.c[r]++
	}
}

// upTo is the count of entries with rank 1..r.
func (t *countTree) upTo(r int) int64 {
	var s int64
	for ; r > 0; r -= r & -r {
		s += t.c[r]
	}
	return s
}

func (t *countTree) below(r int) int64 { return t.upTo(r - 1) }
func (t *countTree) at(r int) int64    { return t.upTo(r) - t.upTo(r-1) }
