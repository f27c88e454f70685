package input

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/lsc-bio/lsc/formats/gmt"
	"github.com/lsc-bio/lsc/matrix"
)

// Fuzz targets: every parser returns a value or an error, never panics or
// hangs. Run e.g. go test ./formats/input -fuzz FuzzTable -fuzztime 60s.

func FuzzTable(f *testing.F) {
	f.Add([]byte("gene\ta\tb\nX\t1\t2\nY\t0\t3.5\n"))
	f.Add([]byte("a,b\nX,1,2\n"))
	f.Add([]byte("\x1f\x8b"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "m.tsv")
		os.WriteFile(p, b, 0o644)
		if s, err := Open(p, Options{}); err == nil {
			matrix.Collect(s)
		}
	})
}

func FuzzMTX(f *testing.F) {
	f.Add([]byte("%%MatrixMarket matrix coordinate integer general\n2 2 2\n1 1 5\n2 2 1\n"))
	f.Add([]byte("%%MatrixMarket matrix coordinate real general\n%c\n2 2 1\n2 1 0.5\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d := t.TempDir()
		os.WriteFile(filepath.Join(d, "features.tsv"), []byte("g1\tA\tGene Expression\ng2\tB\tAntibody Capture\n"), 0o644)
		os.WriteFile(filepath.Join(d, "barcodes.tsv"), []byte("c1\nc2\n"), 0o644)
		os.WriteFile(filepath.Join(d, "matrix.mtx"), b, 0o644)
		if s, err := Open(d, Options{}); err == nil {
			matrix.Collect(s)
		}
	})
}

func FuzzGMT(f *testing.F) {
	f.Add([]byte("S1\tdesc\tA\tB\nS2\tna\tC\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		gmt.Read(bytes.NewReader(b), "fuzz.gmt")
		gmt.ReadWeighted(bytes.NewReader(b), "fuzz.tsv")
	})
}
