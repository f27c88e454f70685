package mapfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestMapReleaseKeepsBytes: a mapped file holds the bytes written; after
// Release of a range (whole pages below its end) every byte still reads as written,
// from the page cache. Elsewhere than Linux, Map says it is unsupported.
func TestMapReleaseKeepsBytes(t *testing.T) {
	want := make([]byte, 3<<20+123)
	for i := range want {
		want[i] = byte(i*7 + i>>12)
	}
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, want, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Map(f, int64(len(want)))
	if runtime.GOOS != "linux" {
		if !errors.Is(err, errors.ErrUnsupported) {
			t.Fatalf("Map: %v, want ErrUnsupported", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	defer Unmap(m)
	if !bytes.Equal(m, want) {
		t.Fatal("mapped bytes differ from the file's")
	}
	Release(m, 100, 2<<20+5)
	Release(m, 0, len(m))
	Release(m, 5, 3) // empty: nothing
	if !bytes.Equal(m, want) {
		t.Fatal("bytes differ after Release")
	}
	if _, err := Map(f, 0); err == nil {
		t.Error("Map of 0 bytes: no error")
	}
}
