package score

import (
	"math"
	"slices"
)

// ranker computes, for one cell, where any gene stands in the cell's
// expression order without materialising the ranks of all genes: the
// non-zero values are sorted once (value descending, gene position
// ascending), zeros form one implicit block between positive and negative
// values. Queries then cost O(1) for non-zero genes and O(log nnz) for zeros.
type ranker struct {
	G       int       // genes in the matrix
	pos     []int32   // gene -> position in sorted order (valid where isSet)
	isSet   []bool    // gene has a non-zero value in the current cell
	val     []float64 // gene -> value in current cell
	keys    []uint64  // packed sort keys (fast path)
	order   []int32   // sorted non-zero gene positions
	sorted  []float64 // values in sorted order
	start   []int32   // for each sorted position, first position of its tie block
	end     []int32   // ... and one past its last
	idx     []int32   // current row's gene positions (ascending)
	nPos    int       // number of positive values
	nZero   int       // number of zero genes
	touched []int32
	bucket  []int32 // counting-sort offsets for small integer values
}

func newRanker(G int) *ranker {
	return &ranker{G: G, pos: make([]int32, G), isSet: make([]bool, G), val: make([]float64, G)}
}

// load prepares the ranker for one cell.
func (r *ranker) load(idx []int32, val []float64) {
	for _, g := range r.touched {
		r.isSet[g] = false
		r.val[g] = 0
	}
	r.touched = append(r.touched[:0], idx...)
	r.idx = idx
	n := len(idx)
	r.order = r.order[:0]
	fast, small := true, true
	maxV := 0.0
	for _, v := range val {
		if float64(float32(v)) != v {
			fast = false
		}
		if small && (v < 0 || v > 65535 || v != math.Trunc(v)) {
			small = false
		}
		maxV = max(maxV, v)
	}
	if small {
		r.loadCounts(idx, val, int(maxV)+1)
		return
	}
	if fast {
		// value descending, gene ascending in one integer key
		r.keys = r.keys[:0]
		for k, g := range idx {
			b := math.Float32bits(float32(val[k]))
			if b&(1<<31) != 0 {
				b = ^b
			} else {
				b |= 1 << 31
			}
			r.keys = append(r.keys, uint64(^b)<<32|uint64(uint32(g)))
		}
		slices.Sort(r.keys)
		for _, k := range r.keys {
			r.order = append(r.order, int32(uint32(k)))
		}
	} else {
		for _, g := range idx {
			r.order = append(r.order, g)
		}
		vm := map[int32]float64{}
		for k, g := range idx {
			vm[g] = val[k]
		}
		slices.SortFunc(r.order, func(a, b int32) int {
			va, vb := vm[a], vm[b]
			switch {
			case va > vb:
				return -1
			case va < vb:
				return 1
			}
			return int(a - b)
		})
	}
	for k, g := range idx {
		r.isSet[g] = true
		r.val[g] = val[k]
	}
	r.sorted = r.sorted[:0]
	for s, g := range r.order {
		r.pos[g] = int32(s)
		r.sorted = append(r.sorted, r.val[g])
	}
	r.start = slices.Grow(r.start[:0], n)[:n]
	r.end = slices.Grow(r.end[:0], n)[:n]
	for s := 0; s < n; {
		e := s + 1
		for e < n && r.sorted[e] == r.sorted[s] {
			e++
		}
		for k := s; k < e; k++ {
			r.start[k], r.end[k] = int32(s), int32(e)
		}
		s = e
	}
	r.countBlocks(n)
}

// loadCounts is load for raw counts (integers 0..65535, m-1 the largest): a
// counting sort by value, descending; idx is in ascending gene order, so
// ties stay in gene order, and each value's bucket is its tie block.
func (r *ranker) loadCounts(idx []int32, val []float64, m int) {
	n := len(idx)
	if cap(r.bucket) < m+1 {
		r.bucket = make([]int32, m+1)
	}
	b := r.bucket[:m+1]
	clear(b)
	for _, v := range val {
		b[int(v)]++
	}
	var off int32
	for v := m - 1; v >= 0; v-- { // offsets, largest value first
		c := b[v]
		b[v] = off
		off += c
	}
	r.order = slices.Grow(r.order[:0], n)[:n]
	r.sorted = slices.Grow(r.sorted[:0], n)[:n]
	r.start = slices.Grow(r.start[:0], n)[:n]
	r.end = slices.Grow(r.end[:0], n)[:n]
	for k, g := range idx {
		v := val[k]
		s := b[int(v)]
		b[int(v)]++
		r.order[s] = g
		r.sorted[s] = v
		r.pos[g] = s
		r.isSet[g] = true
		r.val[g] = v
	}
	// b[v] is now the end of v's block; blocks run in descending v.
	var st int32
	for v := m - 1; v >= 0 && st < int32(n); v-- {
		en := b[v]
		for s := st; s < en; s++ {
			r.start[s], r.end[s] = st, en
		}
		st = en
	}
	r.countBlocks(n)
}

// countBlocks sets the sizes of the positive block and the implicit zero
// block once the n non-zero values are sorted.
func (r *ranker) countBlocks(n int) {
	r.nPos = 0
	for _, v := range r.sorted {
		if v > 0 {
			r.nPos++
		}
	}
	r.nZero = r.G - n
}

// rank returns, for gene g of the loaded cell, the number of genes with a
// strictly greater value and the size of its tie block, in O(1).
func (r *ranker) rank(g int32) (greater, eq int) {
	if r.isSet[g] {
		s := int(r.pos[g])
		st, en := int(r.start[s]), int(r.end[s])
		greater, eq = st, en-st
		if r.sorted[s] < 0 {
			greater += r.nZero
		}
		return
	}
	return r.nPos, r.nZero
}

// stat is rank plus the number of genes of g's tie block that come before
// g in matrix order (O(log nnz) for a zero gene).
func (r *ranker) stat(g int32) (greater, eq, before int) {
	if r.isSet[g] {
		s := int(r.pos[g])
		st, en := int(r.start[s]), int(r.end[s])
		greater, eq, before = st, en-st, s-st
		if r.sorted[s] < 0 {
			greater += r.nZero
		}
		return
	}
	// zero: genes with index < g that are zero
	nzBefore, _ := slices.BinarySearch(r.idx, g)
	return r.nPos, r.nZero, int(g) - nzBefore
}
