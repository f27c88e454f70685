package tenx

import (
	"os"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/matrix"
)

// testdata/cite_small.h5 (made with h5py, see its README): cell1 G1=1 CD3=7;
// cell2 G2=2; cell3 CD3=4 CD19=9; cell4 G3=3 CD19=1.
func TestH5AntibodyCapture(t *testing.T) {
	h, err := OpenH5("testdata/cite_small.h5", "")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if len(h.Features()) != 3 || len(h.Other()) != 2 || h.Other()[1].Name != "CD19" {
		t.Fatalf("features %v other %v", h.Features(), h.Other())
	}
	o, err := h.OtherMatrix()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{7, 0}, {0, 0}, {4, 9}, {0, 1}}
	for c, w := range want {
		got := []float64{0, 0}
		idx, val := o.Row(c)
		for k, j := range idx {
			got[j] = val[k]
		}
		if got[0] != w[0] || got[1] != w[1] {
			t.Errorf("cell %d: %v, want %v", c+1, got, w)
		}
	}
}

// A barcode whose column lists a feature twice is an error naming the file,
// the barcode and the feature. testdata/repeat_feature.h5: barcode 3
// (AAAG-1) lists G2 twice (README).
func TestH5RepeatedFeature(t *testing.T) {
	h, err := OpenH5("testdata/repeat_feature.h5", "")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var ch matrix.Chunk
	err = h.Next(&ch, 10)
	if err == nil || !strings.Contains(err.Error(), "repeat_feature.h5") || !strings.Contains(err.Error(), "barcode 3 (AAAG-1) lists feature G2 twice") {
		t.Fatalf("got %v", err)
	}
}

// A chunk of a Cell Ranger .h5 says it holds counts (matrix.Chunk.Counts)
// exactly when its values are whole numbers >= 0: on Cell Ranger 3.0's
// filtered matrix from ../shared/testdata (int32 data, gzip chunks, read by
// the chunk reader) every chunk does; on cite_small.h5 (int32, not chunked:
// read through scigolib) no chunk claims it, and the scorer tests the
// values itself. The expectation is matrix.IsCount on every value.
func TestH5ChunksSayCounts(t *testing.T) {
	for _, c := range []struct {
		path   string
		counts bool
	}{
		{"../../../shared/testdata/10x/scanpy/10x_data/3.0.0/filtered_feature_bc_matrix.h5", true},
		{"testdata/cite_small.h5", false},
	} {
		if _, err := os.Stat(c.path); err != nil {
			t.Logf("%s absent: skipped", c.path)
			continue
		}
		h, err := OpenH5(c.path, "")
		if err != nil {
			t.Fatal(err)
		}
		var ch matrix.Chunk
		chunks := 0
		for {
			err := h.Next(&ch, 64)
			if err != nil {
				break
			}
			chunks++
			byValue := true
			for _, v := range ch.Data {
				byValue = byValue && matrix.IsCount(v)
			}
			if ch.Counts && !byValue {
				t.Fatalf("%s: chunk at cell %d says counts, its values are not", c.path, ch.Start)
			}
			if ch.Counts != c.counts {
				t.Errorf("%s: chunk at cell %d: Counts %v, want %v (values counts: %v)", c.path, ch.Start, ch.Counts, c.counts, byValue)
			}
		}
		h.Close()
		if chunks == 0 {
			t.Errorf("%s: no chunk read", c.path)
		}
	}
}
