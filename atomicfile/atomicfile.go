// Package atomicfile writes output files so that a reader never sees a
// half-written file and a killed run leaves nothing behind: each file is
// written to a temporary name in its own directory and renamed into place.
// Files are created with mode 0666 and directories with 0777, both less the
// process umask, as os.Create and os.Mkdir do, so colleagues and a web
// server can read what lsc writes where the umask allows it.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrExists reports an output that is already there and was not to be
// replaced; the caller's fix is another name or an explicit force.
var ErrExists = errors.New("output exists")

// ExistsError names the outputs that already exist.
type ExistsError struct {
	Dir   string   // directory, or "" for a single file
	Names []string // the existing files
}

func (e *ExistsError) Error() string {
	if e.Dir == "" {
		return fmt.Sprintf("%s exists; choose another name or add --force to replace it", e.Names[0])
	}
	return fmt.Sprintf("%s already holds %s; choose another --out directory or add --force to replace them", e.Dir, strings.Join(e.Names, ", "))
}

// Unwrap makes errors.Is(err, ErrExists) true.
func (e *ExistsError) Unwrap() error { return ErrExists }

// Write writes path atomically with what fill writes. The parent directory
// is created when missing. On any error the temporary file is removed and
// an existing file at path is left as it was.
func Write(path string, fill func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return fmt.Errorf("creating directory for %s: %w", path, err)
	}
	tmp, err := createTemp(dir, "."+filepath.Base(path)+".tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := fill(tmp); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	ok = true
	return nil
}

// createTemp opens a new file with a random suffix, mode 0666 less umask
// (os.CreateTemp would use 0600).
func createTemp(dir, prefix string) (*os.File, error) {
	var b [8]byte
	for i := 0; i < 100; i++ {
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(filepath.Join(dir, prefix+hex.EncodeToString(b[:])), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("no free temporary name in %s", dir)
}

// File is one file of an output directory.
type File struct {
	Name string
	Fill func(io.Writer) error
}

// CheckFile returns an *ExistsError when path exists and force is false,
// and makes sure the parent directory can be created. Commands call it
// before any work so that a bad --out fails at once.
func CheckFile(path string, force bool) error {
	if !force {
		if _, err := os.Stat(path); err == nil {
			return &ExistsError{Names: []string{path}}
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return fmt.Errorf("cannot create the directory for %s: %w", path, err)
	}
	return nil
}

// CheckDir creates dir when missing and returns an *ExistsError naming
// the given files that are already in it, unless force.
func CheckDir(dir string, force bool, names ...string) error {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return fmt.Errorf("cannot create output directory %s: %w", dir, err)
	}
	if force {
		return nil
	}
	var exist []string
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			exist = append(exist, n)
		}
	}
	if len(exist) > 0 {
		return &ExistsError{Dir: dir, Names: exist}
	}
	return nil
}

// WriteDir writes files into dir (created when missing), each atomically.
// Existing files are never replaced unless force.
func WriteDir(dir string, force bool, files []File) error {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	if err := CheckDir(dir, force, names...); err != nil {
		return err
	}
	for _, f := range files {
		p := filepath.Join(dir, f.Name)
		if err := Write(p, f.Fill); err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
	}
	return nil
}
