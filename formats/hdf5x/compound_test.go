package hdf5x

import (
	"fmt"
	"os"
	"testing"

	"github.com/scigolib/hdf5"
)

// testdata/compound.h5 was written by h5py 3.7 (Debian python3-h5py): 50
// records (index "c<i>", code i%3-1 as int8, n i*1000 as int64, x i/4 as
// float32, y -i/2 as big-endian float64, flag i even as numpy bool (an HDF5
// enum), u 65535-i as uint16), once chunked (7 records, gzip+shuffle) and
// once contiguous. The expected values are those formulas.
func TestReadCompound(t *testing.T) {
	f, err := Open("testdata/compound.h5")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, name := range []string{"chunked", "contiguous"} {
		cols, err := f.ReadCompound(f.Lookup(name).(*hdf5.Dataset))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := map[string]Column{}
		for _, c := range cols {
			got[c.Name] = c
		}
		if len(cols) != 7 {
			t.Fatalf("%s: %d members", name, len(cols))
		}
		for i := 0; i < 50; i++ {
			flag := 0.0
			if i%2 == 0 {
				flag = 1
			}
			want := map[string]float64{"code": float64(i%3 - 1), "n": float64(i * 1000), "x": float64(i) / 4,
				"y": -float64(i) / 2, "flag": flag, "u": float64(65535 - i)}
			if s := got["index"].Strings[i]; s != fmt.Sprintf("c%d", i) {
				t.Fatalf("%s index[%d] = %q", name, i, s)
			}
			for k, w := range want {
				if v := got[k].Numbers[i]; v != w {
					t.Fatalf("%s %s[%d] = %v, want %v", name, k, i, v, w)
				}
			}
		}
	}
}

// The compound datatype parser never panics or runs away on arbitrary bytes.
func FuzzParseCompound(f *testing.F) {
	h, err := Open("testdata/compound.h5")
	if err != nil {
		f.Fatal(err)
	}
	raw, _ := os.Open("testdata/compound.h5")
	msgs, err := headerMessages(raw, h.Lookup("chunked").(*hdf5.Dataset).Address())
	raw.Close()
	h.Close()
	if err != nil {
		f.Fatal(err)
	}
	for _, m := range msgs {
		if m.typ == 3 {
			f.Add(m.data)
		}
	}
	f.Add([]byte{0x36, 1, 0, 0, 8, 0, 0, 0, 'a', 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		parseCompound(b)
	})
}

// Corrupted copies of testdata/compound.h5 read by lsc's own compound reader
// fail or succeed, never panic, hang or over-allocate.
func FuzzReadCompound(f *testing.F) {
	f.Add(uint32(800), byte(0xff))
	f.Add(uint32(2000), byte(3))
	fuzzCorrupted(f, "testdata/compound.h5", []string{"chunked", "contiguous"}, 4, 2053, func(r *os.File, addrs []uint64) {
		for _, a := range addrs {
			readCompound(r, a, "x")
		}
	})
}
