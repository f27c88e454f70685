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
// vlen-string readers: they must fail or succeed, never panic, hang or
// over-allocate.
func FuzzChunkReader(f *testing.F) {
	f.Add(uint32(100), byte(0xff))
	f.Add(uint32(4000), byte(1))
	fuzzCorrupted(f, "../h5ad/testdata/synth_chunked.h5ad", []string{"X/data", "X/indices", "obs/_index", "var/_index"}, 8, 4099,
		func(r *os.File, addrs []uint64) {
			for i, a := range addrs {
				if i >= 2 {
					readVlenStrings(r, a)
					continue
				}
				decodeAll(r, a)
			}
		})
}

// decodeAll inflates and converts every chunk of the dataset at addr, if its index reads.
func decodeAll(r *os.File, addr uint64) {
	ix, err := buildIndex(r, addr)
	if err != nil {
		return
	}
	for c := range ix.starts {
		if raw, err := ix.chunkBytes(r, c); err == nil {
			ix.convert(raw, make([]float64, ix.chunkLen))
			if ix.class == 0 {
				ix.convertIndices(raw, make([]int32, ix.chunkLen), 1000)
			}
		}
	}
}

// fuzzCorrupted fuzzes a reader on copies of the file at path with flips
// bytes changed, stride bytes apart from a fuzzed position. read gets the
// corrupted file and the addresses of the named datasets as found in the
// intact file: scigolib's own Open is not fuzzed here (it can exhaust memory
// on corrupt files, an upstream gap recorded in ../shared/docs/dependencies.md).
func fuzzCorrupted(f *testing.F, path string, names []string, flips, stride int, read func(r *os.File, addrs []uint64)) {
	orig, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	h, err := Open(path)
	if err != nil {
		f.Fatal(err)
	}
	var addrs []uint64
	for _, name := range names {
		addrs = append(addrs, h.Lookup(name).(*hdf5.Dataset).Address())
	}
	h.Close()
	f.Fuzz(func(t *testing.T, pos uint32, val byte) {
		b := append([]byte(nil), orig...)
		for k := 0; k < flips; k++ {
			b[(int(pos)+k*stride)%len(b)] ^= val + byte(k)
		}
		p := t.TempDir() + "/x.h5"
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		read(r, addrs)
	})
}
