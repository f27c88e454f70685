package score_test

import (
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
)

// Scores read through each file reader (h5ad with chunks inflated in the
// background, 10x HDF5, 10x MTX) are the same bits whatever the number of
// workers (--jobs) and cells per chunk (--chunk): chunk boundaries, the
// order in which workers finish and background inflating change nothing.
func TestSameBitsWhateverJobsAndChunk(t *testing.T) {
	files := []string{
		"../formats/h5ad/testdata/synth_chunked.h5ad",
		"../formats/tenx/testdata/cite_small.h5",
		"../../shared/testdata/10x/scanpy/10x_data/3.0.0/filtered_feature_bc_matrix.h5",
		"../../shared/testdata/10x/seurat/cr2",
		"../../shared/testdata/10x/seurat/cr3.0",
	}
	for _, path := range files {
		if _, err := os.Stat(path); err != nil {
			t.Logf("%s absent: skipped", path)
			continue
		}
		src, err := input.Open(path, input.Options{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		feats := src.Features()
		var sigs []signature.Signature
		for s := 0; s < 3; s++ {
			var g []string
			for k := s; k < len(feats) && len(g) < 20; k += 1 + len(feats)/23 {
				g = append(g, feats[k].Name)
			}
			sigs = append(sigs, signature.Signature{Name: fmt.Sprint("s", s), Up: g})
		}
		for _, m := range []string{"ucell", "aucell", "singscore", "ssgsea", "zscore", "modulescore", "mean"} {
			var ref *score.Result
			for _, o := range []score.Options{{Workers: 1, ChunkSize: 1024}, {Workers: 2, ChunkSize: 1}, {Workers: 2, ChunkSize: 37}, {Workers: 4, ChunkSize: 500}} {
				o.Method, o.Seed = m, 3
				o.Limits.MaxMissing = 1
				res, err := score.Run(src, sigs, o)
				if err != nil {
					t.Fatalf("%s %s: %v", path, m, err)
				}
				if ref == nil {
					ref = res
					continue
				}
				for s := range ref.Scores {
					for c := range ref.Scores[s] {
						if math.Float64bits(ref.Scores[s][c]) != math.Float64bits(res.Scores[s][c]) {
							t.Fatalf("%s %s: signature %d cell %d: %v with 1 worker, %v with %d workers and chunks of %d",
								path, m, s, c, ref.Scores[s][c], res.Scores[s][c], o.Workers, o.ChunkSize)
						}
					}
				}
			}
		}
		src.Close()
	}
}
