//go:build unix

package formats

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// OpenText reads the magic bytes, then the file again from its start; a
// pipe cannot seek, so it is read on after them. Plain and gzip text
// through a named pipe come out whole (the expectation is the text written).
func TestOpenTextPipe(t *testing.T) {
	text := strings.Repeat("gene\t12\t3.5\n", 20000)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(text))
	zw.Close()
	for name, data := range map[string][]byte{"plain": []byte(text), "gzip": gz.Bytes()} {
		p := filepath.Join(t.TempDir(), name)
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skipf("no named pipes here: %v", err)
		}
		go func() {
			w, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err != nil {
				return
			}
			w.Write(data)
			w.Close()
		}()
		rc, err := OpenText(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || string(got) != text {
			t.Fatalf("%s through a pipe: %d bytes (%v), want %d", name, len(got), err, len(text))
		}
	}
}
