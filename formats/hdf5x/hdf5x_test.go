package hdf5x

import (
	"os"
	"testing"

	"github.com/scigolib/hdf5"
)

// The fast chunk reader and scigolib give the same values for every range
// shape on a gzip+shuffle chunked CSR (chunks of 997 elements).
func TestIndexedReaderMatchesScigolib(t *testing.T) {
	f, err := Open("../h5ad/testdata/synth_chunked.h5ad")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, name := range []string{"X/data", "X/indices"} {
		ds, ok := f.Lookup(name).(*hdf5.Dataset)
		if !ok {
			t.Fatalf("%s not found", name)
		}
		ix, err := buildIndex(mustRaw(t, f), ds.Address())
		if err != nil {
			t.Fatalf("%s: fast reader refused: %v", name, err)
		}
		if ix.chunkLen != 997 || len(ix.starts) < 100 {
			t.Errorf("%s: chunk %d, %d chunks", name, ix.chunkLen, len(ix.starts))
		}
		for _, r := range [][2]int{{0, 1}, {0, 997}, {996, 2}, {500, 5000}, {123000, 1515}} {
			a, err := f.readIndexed(ds, r[0], r[1])
			if err != nil {
				t.Fatal(err)
			}
			b, err := f.readSlice(ds, r[0], r[1])
			if err != nil {
				t.Fatal(err)
			}
			for i := range b {
				if a[i] != b[i] {
					t.Fatalf("%s %v: element %d = %v, scigolib %v", name, r, i, a[i], b[i])
				}
			}
		}
	}
}

func mustRaw(t *testing.T, f *File) *os.File {
	if _, err := f.readIndexed(f.Lookup("X/data").(*hdf5.Dataset), 0, 1); err != nil {
		t.Fatal(err)
	}
	return f.raw
}
