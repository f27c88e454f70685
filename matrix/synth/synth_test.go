package synth

import (
	"testing"

	"github.com/lsc-bio/lsc/matrix"
)

// The same cells come out whatever the chunk size, and a typical cell has
// about 2,000 detected genes with 5,000 UMIs over 30,000 genes.
func TestDeterministicAndRealistic(t *testing.T) {
	a, err := matrix.Collect(New(30000, 200, 5000, 1))
	if err != nil {
		t.Fatal(err)
	}
	s := New(30000, 200, 5000, 1)
	var c matrix.Chunk
	cell := 0
	for s.Next(&c, 7) == nil {
		for i := 0; i < c.Cells; i++ {
			ix, v := c.Row(i)
			bx, bv := a.Row(cell)
			if len(ix) != len(bx) || ix[0] != bx[0] || v[0] != bv[0] {
				t.Fatalf("cell %d differs between chunk sizes", cell)
			}
			cell++
		}
	}
	var nnz int
	for i := 0; i < 200; i++ {
		ix, _ := a.Row(i)
		nnz += len(ix)
	}
	if m := nnz / 200; m < 1500 || m > 2600 {
		t.Errorf("mean detected genes %d", m)
	}
}
