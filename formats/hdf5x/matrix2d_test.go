package hdf5x

import (
	"os"
	"testing"

	"github.com/scigolib/hdf5"
)

// testdata/matrix2d.h5 was written by h5py 3.7 (Debian python3-h5py): 97 x 41
// matrices, value at (i, j): f32 = (100i + j)/4 as float32 in 10 x 7 chunks
// (gzip+shuffle, edge chunks partial); i32 = 1000i - j in 16 x 16 LZF chunks;
// f64be = i - j/2 big-endian float64 in 97 x 5 unfiltered chunks; partial =
// 1.5 in rows 20-39 and never written elsewhere (fill value 0), 10 x 10 gzip
// chunks. The expected values are those formulas; where scigolib reads the
// dataset (not LZF) its hyperslab reader must agree as well.
func TestReadRows2D(t *testing.T) {
	f, err := Open("testdata/matrix2d.h5")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]func(i, j int) float64{
		"f32":   func(i, j int) float64 { return float64(float32(100*i+j) / 4) },
		"i32":   func(i, j int) float64 { return float64(1000*i - j) },
		"f64be": func(i, j int) float64 { return float64(i) - float64(j)*0.5 },
		"partial": func(i, j int) float64 {
			if i >= 20 && i < 40 {
				return 1.5
			}
			return 0
		},
	}
	for name, w := range want {
		d := f.Lookup(name).(*hdf5.Dataset)
		for _, r := range [][2]int{{0, 1}, {0, 97}, {5, 13}, {19, 3}, {90, 7}, {39, 2}, {96, 1}} {
			got, err := f.readRowsIndexed(d, r[0], r[1], 41)
			if err != nil {
				t.Fatalf("%s rows %v: own reader refused: %v", name, r, err)
			}
			for k, v := range got {
				i, j := r[0]+k/41, k%41
				if v != w(i, j) {
					t.Fatalf("%s (%d, %d) = %v, want %v", name, i, j, v, w(i, j))
				}
			}
			if name == "i32" {
				continue // scigolib has no LZF
			}
			ref, err := d.ReadSlice([]uint64{uint64(r[0]), 0}, []uint64{uint64(r[1]), 41})
			if err != nil {
				t.Fatalf("%s: scigolib: %v", name, err)
			}
			for k, v := range ref.([]float64) {
				if v != got[k] {
					t.Fatalf("%s rows %v element %d: scigolib %v, lsc %v", name, r, k, v, got[k])
				}
			}
		}
	}
	// A read past the last row is an error, not a short or padded result.
	if _, err := f.ReadRows(f.Lookup("f32").(*hdf5.Dataset), 90, 8, 41); err == nil {
		t.Error("rows 90-97 of 97: no error")
	}
}

// Corrupted copies of testdata/matrix2d.h5 through lsc's own 2-D index and
// chunk decoding: fail or succeed, never panic, hang or over-allocate.
func FuzzReadRows2D(f *testing.F) {
	f.Add(uint32(1200), byte(0xff))
	f.Add(uint32(3000), byte(7))
	fuzzCorrupted(f, "testdata/matrix2d.h5", []string{"f32", "i32", "f64be", "partial"}, 4, 3079, func(r *os.File, addrs []uint64) {
		for _, a := range addrs {
			decodeAll(r, a)
		}
	})
}
