package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The mode of a written file is 0666 less the umask, as os.Create gives
// (before this package, every output was 0600).
func TestWriteRespectsUmask(t *testing.T) {
	for _, mask := range []int{0o022, 0o002, 0o077} {
		old := syscall.Umask(mask)
		dir := t.TempDir()
		p := filepath.Join(dir, "sub", "out.tsv")
		err := Write(p, func(w io.Writer) error { _, err := io.WriteString(w, "a\n"); return err })
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if want := os.FileMode(0o666 &^ mask); st.Mode().Perm() != want {
			t.Errorf("umask %o: mode %o, want %o", mask, st.Mode().Perm(), want)
		}
		dst, _ := os.Stat(filepath.Dir(p))
		if want := os.FileMode(0o777 &^ mask); dst.Mode().Perm() != want {
			t.Errorf("umask %o: dir mode %o, want %o", mask, dst.Mode().Perm(), want)
		}
	}
}

func TestWriteFailureLeavesOld(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.tsv")
	os.WriteFile(p, []byte("old"), 0o644)
	boom := errors.New("boom")
	if err := Write(p, func(w io.Writer) error { io.WriteString(w, "half"); return boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	b, _ := os.ReadFile(p)
	ents, _ := os.ReadDir(dir)
	if string(b) != "old" || len(ents) != 1 {
		t.Errorf("content %q, %d entries", b, len(ents))
	}
}

func TestWriteDirRefuses(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.tsv"), nil, 0o644)
	err := WriteDir(dir, false, []File{{"a.tsv", func(io.Writer) error { return nil }}, {"b.tsv", func(io.Writer) error { return nil }}})
	var ee *ExistsError
	if !errors.As(err, &ee) || !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "a.tsv") || strings.Contains(err.Error(), "b.tsv") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.tsv")); err == nil {
		t.Error("b.tsv written although the check failed")
	}
	if err := WriteDir(filepath.Join(dir, "new", "deep"), false, []File{{"c.tsv", func(io.Writer) error { return nil }}}); err != nil {
		t.Error(err)
	}
	if err := CheckFile(filepath.Join(dir, "a.tsv"), false); !errors.Is(err, ErrExists) {
		t.Errorf("CheckFile: %v", err)
	}
}
