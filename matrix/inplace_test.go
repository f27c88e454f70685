package matrix

import (
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
