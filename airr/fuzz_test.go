package airr

import (
	"bytes"
	"os"
	"testing"
)

// FuzzRead feeds arbitrary bytes to every reader: an error or chains, never
// a panic or a hang.
func FuzzRead(f *testing.F) {
	for _, p := range []string{"filtered_contig_annotations.csv", "all_contig_annotations.json", "rearrangement_tra.tsv",
		"changeodb.tab", "test_per_cell_chain.csv", "feature_reference.csv"} {
		b, err := os.ReadFile("testdata/" + p)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 4000 {
			b = b[:4000]
		}
		f.Add(b)
	}
	f.Add([]byte(`[{"barcode":"A","annotations":[{"feature":{"chain":"TRA","region_type":"J-REGION"}}]}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, fm := range []Format{Format10xCSV, Format10xJSON, FormatAIRR, FormatChangeO, FormatBD, Detect(b)} {
			ReadFormat(fm, bytes.NewReader(b), "fuzz")
		}
		ReadFeatureReference(bytes.NewReader(b), "fuzz")
	})
}
