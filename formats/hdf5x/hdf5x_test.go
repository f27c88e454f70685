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

// Corrupted copies of a chunked file, read by lsc's own chunk and
// vlen-string readers (the dataset addresses come from the intact file):
// they must fail or succeed, never panic, hang or over-allocate.
// (scigolib's own Open can still exhaust memory on some corrupt files; that
// gap is upstream and recorded in ../shared/docs/dependencies.md.)
func FuzzChunkReader(f *testing.F) {
	orig, err := os.ReadFile("../h5ad/testdata/synth_chunked.h5ad")
	if err != nil {
		f.Skip()
	}
	h, err := Open("../h5ad/testdata/synth_chunked.h5ad")
	if err != nil {
		f.Fatal(err)
	}
	var addrs []uint64
	for _, name := range []string{"X/data", "X/indices", "obs/_index", "var/_index"} {
		addrs = append(addrs, h.Lookup(name).(*hdf5.Dataset).Address())
	}
	h.Close()
	f.Add(uint32(100), byte(0xff))
	f.Add(uint32(4000), byte(1))
	f.Fuzz(func(t *testing.T, pos uint32, val byte) {
		b := append([]byte(nil), orig...)
		for k := 0; k < 8; k++ {
			b[(int(pos)+k*4099)%len(b)] ^= val + byte(k)
		}
		path := t.TempDir() + "/x.h5ad"
		os.WriteFile(path, b, 0o644)
		r, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for i, a := range addrs {
			if i >= 2 {
				readVlenStrings(r, a)
				continue
			}
			ix, err := buildIndex(r, a)
			if err != nil {
				continue
			}
			for c := range ix.starts {
				ix.decode(r, c)
			}
		}
	})
}
