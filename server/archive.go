package server

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/store"
)

// Limits on an uploaded run archive: a run folder holds a few tables and
// reports, so these are far above real use and far below a disk-filling
// bomb.
const (
	maxArchiveFiles = 10000
	maxArchiveBytes = 4 << 30 // uncompressed
)

// ErrArchive reports an upload that is not a safe tar, tar.gz or zip.
var ErrArchive = errors.New("bad run archive")

// extractArchive unpacks a tar, gzip-compressed tar or zip read from body
// into dir. Entries must be regular files or folders with relative paths
// that stay inside dir; links, devices, absolute paths and ".." are
// refused. When every entry sits under one top-level folder, that folder
// becomes dir (so `tar czf run.tgz stem/` works).
func extractArchive(body io.Reader, dir string) error {
	br := bufio.NewReaderSize(body, 1<<16)
	head, _ := br.Peek(512)
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return extractZip(br, dir)
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%w: gzip: %v", ErrArchive, err)
		}
		return extractTar(zr, dir)
	case len(head) >= 262 && string(head[257:262]) == "ustar":
		return extractTar(br, dir)
	}
	return fmt.Errorf("%w: send the run folder as a tar, tar.gz or zip archive", ErrArchive)
}

func cleanName(name string) (string, error) {
	n := strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(name, "\\", "/")), "/")
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains("/"+strings.ReplaceAll(name, "\\", "/")+"/", "/../") || n == "" || n == "." {
		return "", fmt.Errorf("%w: entry %q: paths must be relative and stay inside the folder", ErrArchive, name)
	}
	return n, nil
}

type extractor struct {
	dir   string
	files int
	bytes int64
	seen  map[string]bool
}

func (x *extractor) file(name string, r io.Reader) error {
	n, err := cleanName(name)
	if err != nil {
		return err
	}
	if x.seen[n] {
		return fmt.Errorf("%w: entry %q appears twice", ErrArchive, name)
	}
	x.seen[n] = true
	if x.files++; x.files > maxArchiveFiles {
		return fmt.Errorf("%w: more than %d files", ErrArchive, maxArchiveFiles)
	}
	p := filepath.Join(x.dir, filepath.FromSlash(n))
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return fmt.Errorf("%w: entry %q: %v", ErrArchive, name, err)
	}
	left := int64(maxArchiveBytes) - x.bytes
	w, err := io.Copy(f, io.LimitReader(r, left+1))
	f.Close()
	if err != nil {
		return fmt.Errorf("%w: entry %q: %v", ErrArchive, name, err)
	}
	if x.bytes += w; x.bytes > maxArchiveBytes {
		return fmt.Errorf("%w: more than %d bytes unpacked", ErrArchive, int64(maxArchiveBytes))
	}
	return nil
}

func extractTar(r io.Reader, dir string) error {
	x := &extractor{dir: dir, seen: map[string]bool{}}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: tar: %v", ErrArchive, err)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if _, err := cleanName(h.Name); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := x.file(h.Name, tr); err != nil {
				return err
			}
		case tar.TypeXGlobalHeader:
		default:
			return fmt.Errorf("%w: entry %q is not a regular file (links and devices are refused)", ErrArchive, h.Name)
		}
	}
	return hoist(dir)
}

func extractZip(r io.Reader, dir string) error {
	tmp, err := os.CreateTemp("", "lsc-upload-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	size, err := io.Copy(tmp, r)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrArchive, err)
	}
	zr, err := zip.NewReader(tmp, size)
	if err != nil {
		return fmt.Errorf("%w: zip: %v", ErrArchive, err)
	}
	x := &extractor{dir: dir, seen: map[string]bool{}}
	for _, f := range zr.File {
		mode := f.Mode()
		switch {
		case mode.IsDir():
			if _, err := cleanName(f.Name); err != nil {
				return err
			}
		case mode.IsRegular():
			rc, err := f.Open()
			if err != nil {
				return fmt.Errorf("%w: entry %q: %v", ErrArchive, f.Name, err)
			}
			err = x.file(f.Name, rc)
			rc.Close()
			if err != nil {
				return err
			}
		default:
			return fmt.Errorf("%w: entry %q is not a regular file (links and devices are refused)", ErrArchive, f.Name)
		}
	}
	return hoist(dir)
}

// hoist moves the contents of a single top-level folder up into dir.
func hoist(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(ents) != 1 || !ents[0].IsDir() {
		return nil
	}
	sub := filepath.Join(dir, ents[0].Name())
	inner, err := os.ReadDir(sub)
	if err != nil {
		return err
	}
	tmp := dir + ".hoist"
	if err := os.Rename(sub, tmp); err != nil {
		return err
	}
	for _, e := range inner {
		if err := os.Rename(filepath.Join(tmp, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return os.Remove(tmp)
}

// importAuditWait bounds the wait for a successful import's audit commit.
const importAuditWait = 2 * time.Minute

func (s *Server) apiImport(w http.ResponseWriter, r *http.Request, idn *identity) {
	study := r.PathValue("study")
	base, err := os.MkdirTemp("", "lsc-import-*")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer os.RemoveAll(base)
	dir := filepath.Join(base, "run")
	os.Mkdir(dir, 0o700)
	if err := extractArchive(r.Body, dir); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			writeError(w, http.StatusRequestEntityTooLarge, "archive larger than the server's limit")
		case errors.Is(err, ErrArchive):
			writeError(w, http.StatusBadRequest, err.Error())
		default:
			s.fail(w, r, err)
		}
		s.audit(r, idn.User.Name, "import", study, "", "failed")
		return
	}
	res, err := s.cfg.Data.ImportRun(r.Context(), study, dir, store.ImportOptions{User: idn.User.Name})
	if err != nil {
		s.audit(r, idn.User.Name, "import", study, "", "failed")
		if errors.Is(err, store.ErrNotRun) {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		// the store's messages name the file and line of a bad row
		writeError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	// The run is committed: its audit row is waited for under a bound of
	// its own, not the request's remaining deadline (the import may have
	// used most of it), so a slow audit commit cannot turn a successful
	// import into a failed request. The row is written either way.
	actx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), importAuditWait)
	defer cancel()
	s.audit(r.WithContext(actx), idn.User.Name, "import", study, res.Run, "ok")
	w.Header().Set("Location", "/api/v1/runs/"+res.Run+"?study="+urlq(study))
	w.Header().Set("Content-Type", "application/json")
	if res.AlreadyImported {
		w.WriteHeader(http.StatusOK)
	} else {
		w.WriteHeader(http.StatusCreated)
	}
	report.JSON(w, res)
}
