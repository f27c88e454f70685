package hdf5x

import (
	"testing"
)

// testdata/counts.h5 was written by h5py 3.7.0 with numpy 1.24.2 (Debian
// python3-h5py): 5,000 integers drawn from [0, 40) (numpy default_rng(7)),
// chunks of 512, gzip level 4, stored as int32, uint16, int64 (with the
// shuffle filter) and float32, and once more as int32 with element 3777 set
// to -2. ReadCountsInto gives ReadFloatsInto's values, and says "counts"
// exactly for the integer datasets whose range holds no negative value (the
// expectation is the file's construction).
func TestReadCountsInto(t *testing.T) {
	f, err := Open("testdata/counts.h5")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, c := range []struct {
		name     string
		off, n   int
		isCounts bool
	}{
		{"int32_counts", 0, 5000, true},
		{"uint16_counts", 100, 3000, true},
		{"int64_counts", 511, 2, true},
		{"float32_counts", 0, 5000, false}, // not by type: the caller checks the values
		{"int32_negative", 0, 5000, false},
		{"int32_negative", 3000, 1000, false}, // the -2 inside the range
		{"int32_negative", 0, 3777, true},     // ... and just outside it
		{"int32_negative", 3778, 1222, true},
	} {
		d := f.Dataset(c.name)
		if d == nil {
			t.Fatalf("%s not found", c.name)
		}
		if f.fastIndex(d) == nil {
			t.Fatalf("%s: not read by the chunk reader", c.name)
		}
		want := make([]float64, c.n)
		if err := f.ReadFloatsInto(d, c.off, want); err != nil {
			t.Fatal(err)
		}
		got := make([]float64, c.n)
		counts, err := f.ReadCountsInto(d, c.off, got)
		if err != nil {
			t.Fatal(err)
		}
		if counts != c.isCounts {
			t.Errorf("%s [%d, %d): counts %v, want %v", c.name, c.off, c.off+c.n, counts, c.isCounts)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: element %d = %v, ReadFloatsInto %v", c.name, c.off+i, got[i], want[i])
			}
		}
	}
}
