package formats

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"sync"

	"github.com/klauspost/compress/gzip"
)

// OpenText opens a plain or gzip-compressed text file (recognised by its magic
// bytes, not its name) and returns a buffered reader over its text.
func OpenText(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 1<<20)
	magic, _ := br.Peek(2)
	if bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		gz, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, Errorf(path, 0, "", "check the file with 'gzip -t' and copy it again", "not a readable gzip file: %w", err)
		}
		return newReadAhead(&gzFile{gz: gz, f: f, path: path}), nil
	}
	return &plainFile{Reader: br, f: f}, nil
}

type plainFile struct {
	*bufio.Reader
	f *os.File
}

func (p *plainFile) Close() error { return p.f.Close() }

type gzFile struct {
	gz   *gzip.Reader
	f    *os.File
	path string
}

func (g *gzFile) Read(b []byte) (int, error) {
	n, err := g.gz.Read(b)
	if err != nil && !errors.Is(err, io.EOF) {
		return n, Errorf(g.path, 0, "", "the compressed file is truncated or damaged: copy it again, and check it with 'gzip -t'", "gzip stream broken: %w", err)
	}
	return n, err
}

func (g *gzFile) Close() error { g.gz.Close(); return g.f.Close() }

// Lines reads a text file line by line with line numbers, without the line
// terminator (LF or CRLF). Lines longer than 64 MiB are an error.
type Lines struct {
	sc   *bufio.Scanner
	rc   io.ReadCloser
	Path string
	N    int // number of the line last returned, 1-based
}

// NewLines opens path (plain or gzip).
func NewLines(path string) (*Lines, error) {
	rc, err := OpenText(path)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	return &Lines{sc: sc, rc: rc, Path: path}, nil
}

// NewLineReader reads lines from r; name is the file name errors give.
func NewLineReader(r io.Reader, name string) *Lines {
	rc, ok := r.(io.ReadCloser)
	if !ok {
		rc = io.NopCloser(r)
	}
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	return &Lines{sc: sc, rc: rc, Path: name}
}

// Next returns the next line, or io.EOF.
func (l *Lines) Next() ([]byte, error) {
	if !l.sc.Scan() {
		if err := l.sc.Err(); err != nil {
			if _, ok := AsParseError(err); ok {
				return nil, err
			}
			if errors.Is(err, bufio.ErrTooLong) {
				return nil, Errorf(l.Path, l.N+1, "", "is this a text matrix? binary files cannot be read as text", "line longer than 64 MiB")
			}
			return nil, Errorf(l.Path, l.N+1, "", "", "read error: %w", err)
		}
		return nil, io.EOF
	}
	l.N++
	return bytes.TrimSuffix(l.sc.Bytes(), []byte{'\r'}), nil
}

// Close closes the file.
func (l *Lines) Close() error { return l.rc.Close() }

// readAhead decompresses in its own goroutine, a few blocks ahead of the
// reader, so that inflating and parsing overlap (gzip is single-threaded and
// otherwise as slow as the parsing it feeds).
type readAhead struct {
	src   io.ReadCloser
	ch    chan block
	free  chan []byte
	cur   []byte
	buf   []byte
	err   error
	done  chan struct{}
	close sync.Once
}

type block struct {
	b   []byte
	err error
}

func newReadAhead(src io.ReadCloser) *readAhead {
	const n, size = 4, 1 << 20
	r := &readAhead{src: src, ch: make(chan block, n), free: make(chan []byte, n+1), done: make(chan struct{})}
	for i := 0; i < n+1; i++ {
		r.free <- make([]byte, size)
	}
	go func() {
		defer close(r.ch)
		for {
			var b []byte
			select {
			case b = <-r.free:
			case <-r.done:
				return
			}
			k, err := io.ReadFull(r.src, b)
			if k > 0 {
				select {
				case r.ch <- block{b: b[:k]}:
				case <-r.done:
					return
				}
			}
			if err != nil {
				if err == io.ErrUnexpectedEOF { //nolint:errorlint // ReadFull's own short read, not a wrapped cause such as a truncated gzip stream
					err = io.EOF
				}
				select {
				case r.ch <- block{err: err}:
				case <-r.done:
				}
				return
			}
		}
	}()
	return r
}

func (r *readAhead) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.buf != nil {
			r.free <- r.buf[:cap(r.buf)]
			r.buf = nil
		}
		blk, ok := <-r.ch
		if !ok {
			r.err = io.EOF
			return 0, r.err
		}
		if blk.err != nil {
			r.err = blk.err
			return 0, r.err
		}
		r.cur, r.buf = blk.b, blk.b
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

func (r *readAhead) Close() error {
	r.close.Do(func() { close(r.done) })
	for range r.ch { // let the goroutine finish before closing its source
	}
	return r.src.Close()
}
