package formats

import (
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenTextMappedTruncated: a mapped gzip file truncated by another
// program while it is read faults past its new end (SIGBUS); the reader
// reports an error naming the file instead of crashing.
func TestOpenTextMappedTruncated(t *testing.T) {
	// Incompressible text, so that the compressed file runs far past what
	// the inflater reads ahead (about 9 MiB).
	raw := make([]byte, 24<<20)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range raw {
		raw[i] = 'a' + byte(rng.IntN(26))
		if i%64 == 63 {
			raw[i] = '\n'
		}
	}
	p := filepath.Join(t.TempDir(), "m.gz")
	if err := os.WriteFile(p, gzipped(t, raw, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	rc, err := OpenText(p)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if ra, ok := rc.(*readAhead); !ok || ra.mem == nil {
		t.Fatal("the file was not mapped")
	}
	if _, err := io.ReadFull(rc, make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, 1<<20); err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(rc)
	if err == nil || !strings.Contains(err.Error(), "changed while it was read") || !strings.Contains(err.Error(), p) {
		t.Fatalf("reading on after truncation: %v, want an error naming %s", err, p)
	}
}
