package formats

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mtxText is n lines of MTX-like text ("row col value"), rising columns, a
// fixed seed.
func mtxText(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	var b bytes.Buffer
	col, row := 1, 0
	for range n {
		row += 1 + rng.IntN(20)
		if row > 30000 {
			col, row = col+1, 1+rng.IntN(20)
		}
		fmt.Fprintf(&b, "%d %d %d\n", row, col, 1+rng.IntN(3)*rng.IntN(4))
	}
	return b.Bytes()
}

func gzipped(t *testing.T, text []byte, level int) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := gzip.NewWriterLevel(&b, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(text)
	w.Close()
	return b.Bytes()
}

// TestOpenTextGzip: a gzip file read through OpenText gives the text that
// was compressed, member after member, and an error naming the file for
// every damaged one (the expectation is the text written; a damaged file
// must not yield text silently).
func TestOpenTextGzip(t *testing.T) {
	a, b := mtxText(60000, 1), mtxText(40000, 2)
	good := gzipped(t, a, 6)
	cases := []struct {
		name string
		data []byte
		want []byte // nil: an error is expected
	}{
		{"one member", good, a},
		{"level 1", gzipped(t, a, 1), a},
		{"two members", append(gzipped(t, a, 9), gzipped(t, b, 6)...), append(append([]byte(nil), a...), b...)},
		{"truncated", good[:len(good)/2], nil},
		{"bad CRC", append(append([]byte(nil), good[:len(good)-8]...), 0, 0, 0, 0, 0, 0, 0, 0), nil},
		{"damaged in the middle", func() []byte {
			d := append([]byte(nil), good...)
			for i := len(d) / 2; i < len(d)/2+64; i++ {
				d[i] ^= 0x5a
			}
			return d
		}(), nil},
	}
	dir := t.TempDir()
	for _, c := range cases {
		p := filepath.Join(dir, "f.gz")
		if err := os.WriteFile(p, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		rc, err := OpenText(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := rc.(*readAhead); !ok {
			t.Fatalf("%s: not inflated ahead", c.name)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		switch {
		case c.want == nil && err == nil:
			t.Errorf("%s: no error", c.name)
		case c.want == nil && !strings.Contains(err.Error(), p):
			t.Errorf("%s: %v does not name the file", c.name, err)
		case c.want != nil && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != nil && !bytes.Equal(got, c.want):
			t.Errorf("%s: %d bytes of text, want the %d written", c.name, len(got), len(c.want))
		}
	}
}
