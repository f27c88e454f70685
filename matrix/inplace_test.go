package matrix

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Rows written in place through Extend and AppendRows equal the same rows
// added one by one with AppendRow (zeros and negative positions dropped,
// unsorted rows sorted), after rows already in the chunk.
func TestAppendRowsEqualsAppendRow(t *testing.T) {
	rows := [][2][]float64{
		{{3, 1, 7}, {1, 0, 2}},
		{{}, {}},
		{{0, 5, 9, 2}, {4, 4, 0, 1}},
		{{-1, 4, 6}, {9, 3, 5}},
	}
	var want, got Chunk
	want.Reset(10)
	got.Reset(10)
	want.AppendRow([]int32{2, 8}, []float64{1, 1})
	got.AppendRow([]int32{2, 8}, []float64{1, 1})
	ptr := []int64{100}
	var n int
	for _, r := range rows {
		var idx []int32
		var val []float64
		for k, g := range r[0] {
			if g >= 0 {
				idx, val = append(idx, int32(g)), append(val, r[1][k])
			}
		}
		want.AppendRow(idx, val)
		n += len(r[0])
		ptr = append(ptr, ptr[len(ptr)-1]+int64(len(r[0])))
	}
	idx, val := got.Extend(n)
	p := 0
	for _, r := range rows {
		for k, g := range r[0] {
			idx[p], val[p] = int32(g), r[1][k]
			p++
		}
	}
	got.AppendRows(ptr, n)
	if got.Cells != want.Cells || !slices.Equal(got.Indptr, want.Indptr) || !slices.Equal(got.Indices, want.Indices) || !slices.Equal(got.Data, want.Data) {
		t.Errorf("in place %+v\none by one %+v", got, want)
	}
}

// The same on random rows: mostly sorted rows without zeros (kept in place),
// with zeros, negative positions, repeats and unsorted rows mixed in.
func TestAppendRowsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 200; trial++ {
		var want, got Chunk
		want.Reset(0)
		got.Reset(0)
		ptr := []int64{0}
		var all [][2][]float64
		for range 1 + r.IntN(20) {
			n := r.IntN(12)
			var g, v []float64
			at := -1
			for range n {
				at += 1 + r.IntN(5)
				x, y := float64(at), float64(1+r.IntN(3))
				switch r.IntN(40) {
				case 0:
					y = 0
				case 1:
					x = -1
				case 2:
					x = float64(r.IntN(at + 1)) // repeat or out of order
				}
				g, v = append(g, x), append(v, y)
			}
			all = append(all, [2][]float64{g, v})
			ptr = append(ptr, ptr[len(ptr)-1]+int64(n))
		}
		n := int(ptr[len(ptr)-1])
		idx, val := got.Extend(n)
		p := 0
		for _, row := range all {
			var wi []int32
			var wv []float64
			for k, g := range row[0] {
				idx[p], val[p] = int32(g), row[1][k]
				p++
				if g >= 0 {
					wi, wv = append(wi, int32(g)), append(wv, row[1][k])
				}
			}
			want.AppendRow(wi, wv)
		}
		got.AppendRows(ptr, n)
		if got.Cells != want.Cells || !slices.Equal(got.Indptr, want.Indptr) || !slices.Equal(got.Indices, want.Indices) || !slices.Equal(got.Data, want.Data) {
			t.Fatalf("trial %d: in place %+v\none by one %+v", trial, got, want)
		}
	}
}

// IsCounts: non-negative integers (any size, +0 and -0) and nothing else.
func TestIsCountsValues(t *testing.T) {
	old := func(v float64) bool { return !(v < 0 || v != math.Trunc(v) || math.IsInf(v, 0)) }
	vals := []float64{0, math.Copysign(0, -1), 1, 2, 0.5, -1, -0.5, 1e15 + 0.5, 1 << 53, 1<<62 - 512, 1 << 62, 1 << 63, 1e300,
		math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), math.SmallestNonzeroFloat64, 4503599627370495.5}
	for _, v := range vals {
		c := Chunk{Data: []float64{3, v, 1}}
		if IsCounts(&c) != old(v) {
			t.Errorf("%v: IsCounts %v, want %v", v, IsCounts(&c), old(v))
		}
	}
}
