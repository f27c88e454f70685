package tenx

import (
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
