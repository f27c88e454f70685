package h5ad

import (
	"testing"

	"github.com/lsc-bio/lsc/matrix"
	"github.com/lsc-bio/lsc/matrix/synth"
)

// A CSR h5ad whose data and indices span 125 gzip+shuffle chunks reads back
// exactly as the matrix it was written from (the chunk-aligned reading in
// hdf5x, including chunks split between cell blocks).
func TestChunkedCSRReadsExactly(t *testing.T) {
	f, err := Open("testdata/synth_chunked.h5ad", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := matrix.Collect(f)
	if err != nil {
		t.Fatal(err)
	}
	want, err := matrix.Collect(synth.New(2000, 300, 800, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Cells) != 300 || len(got.Indices) != len(want.Indices) {
		t.Fatalf("%d cells, %d non-zeros; want 300, %d", len(got.Cells), len(got.Indices), len(want.Indices))
	}
	for i := range want.Indices {
		if got.Indices[i] != want.Indices[i] || got.Data[i] != want.Data[i] {
			t.Fatalf("entry %d: (%d, %v), want (%d, %v)", i, got.Indices[i], got.Data[i], want.Indices[i], want.Data[i])
		}
	}
}

// The same with blocks of 7 cells, so that reads start and end inside chunks.
func TestChunkedCSRSmallBlocks(t *testing.T) {
	f, err := Open("testdata/synth_chunked.h5ad", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, _ := matrix.Collect(synth.New(2000, 300, 800, 1))
	var c matrix.Chunk
	k := 0
	for f.Next(&c, 7) == nil {
		for i := 0; i < c.Cells; i++ {
			idx, val := c.Row(i)
			wi, wv := want.Row(c.Start + i)
			if len(idx) != len(wi) {
				t.Fatalf("cell %d: %d values, want %d", c.Start+i, len(idx), len(wi))
			}
			for j := range idx {
				if idx[j] != wi[j] || val[j] != wv[j] {
					t.Fatalf("cell %d differs", c.Start+i)
				}
			}
			k++
		}
	}
	if k != 300 {
		t.Errorf("%d cells", k)
	}
}
