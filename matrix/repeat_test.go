package matrix

import (
	"math/rand/v2"
	"testing"
)

// AppendRow and AppendRows note the first cell whose row lists a gene
// position twice (zeros aside: a dropped zero is no entry), whatever the
// order of the row, and RepeatedGene names the position; rows without a
// repeat leave Repeat at 0. Counted by hand against a map per row.
func TestRepeat(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	for trial := 0; trial < 500; trial++ {
		var rows [][]int32
		var vals [][]float64
		want, wantGene := 0, map[int32]bool{}
		for cell := 0; cell < 1+r.IntN(8); cell++ {
			var idx []int32
			var val []float64
			for g := int32(0); g < 30; g++ {
				if r.IntN(3) == 0 {
					idx = append(idx, g)
					val = append(val, float64(r.IntN(3))) // some zeros
				}
			}
			if len(idx) > 0 && r.IntN(6) == 0 { // a repeat, maybe of a zero
				k := r.IntN(len(idx))
				idx = append(idx, idx[k])
				val = append(val, float64(r.IntN(3)))
			}
			if r.IntN(3) == 0 {
				r.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i]; val[i], val[j] = val[j], val[i] })
			}
			seen, dup := map[int32]bool{}, map[int32]bool{}
			for k, g := range idx {
				if val[k] != 0 {
					if seen[g] {
						dup[g] = true
					}
					seen[g] = true
				}
			}
			if want == 0 && len(dup) > 0 {
				want, wantGene = cell+1, dup
			}
			rows, vals = append(rows, idx), append(vals, val)
		}
		var one, many Chunk
		one.Reset(0)
		for i := range rows {
			one.AppendRow(rows[i], vals[i])
		}
		many.Reset(0)
		ptr := []int64{0}
		for i := range rows {
			idx, val := many.Extend(len(rows[i]))
			copy(idx, rows[i])
			copy(val, vals[i])
			ptr = append(ptr, ptr[len(ptr)-1]+int64(len(rows[i])))
		}
		many.AppendRows(ptr, int(ptr[len(ptr)-1]))
		for name, c := range map[string]*Chunk{"AppendRow": &one, "AppendRows": &many} {
			if c.Repeat != want {
				t.Fatalf("trial %d, %s: Repeat %d, want %d (rows %v, values %v)", trial, name, c.Repeat, want, rows, vals)
			}
			if g := c.RepeatedGene(); want != 0 && !wantGene[g] || want == 0 && g != -1 {
				t.Fatalf("trial %d, %s: RepeatedGene %d, want one of %v", trial, name, g, wantGene)
			}
		}
		one.Reset(0)
		if one.Repeat != 0 {
			t.Fatal("Reset kept Repeat")
		}
	}
}
