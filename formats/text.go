package formats

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"runtime/debug"
	"sync"

	"github.com/lsc-bio/lsc/inflate"
	"github.com/lsc-bio/lsc/internal/hugepage"
	"github.com/lsc-bio/lsc/internal/mapfile"
)

// OpenText opens a plain or gzip-compressed text file (recognised by its magic
// bytes, not its name) and returns a buffered reader over its text. A gzip
// file is inflated by package inflate in a goroutine of its own, a few
// blocks ahead of the reader, so that inflating and parsing overlap.
func OpenText(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	// The magic bytes are read, then the file is read again from its
	// start: a gzip file goes straight into the inflater's own input
	// buffer (a 1 MiB buffer here copied every compressed byte once
	// more). A file that cannot seek (a pipe) is read on after them.
	var magic [2]byte
	n, _ := io.ReadFull(f, magic[:])
	var src io.Reader = f
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		src = io.MultiReader(bytes.NewReader(magic[:n]), f)
	}
	if n == 2 && magic == [2]byte{0x1f, 0x8b} {
		size := int64(inflate.MinBuffer)
		st, err := f.Stat()
		if err == nil {
			size = min(max(4*st.Size(), size), 1<<20)
		}
		// A large regular file is mapped (internal/mapfile), and the
		// inflater reads it where the page cache holds it: read(2) had
		// copied every compressed byte once more, on the inflating core
		// (the UCell MTX job, 10k cells, 8 alternating runs, 2026-12-03:
		// 0.53 -> 0.505 s median). Elsewhere, or when mapping fails, the
		// file is read.
		if err == nil && st.Mode().IsRegular() && st.Size() >= mapMin {
			if m, err := mapfile.Map(f, st.Size()); err == nil {
				return newReadAhead(inflate.NewGzipReaderBytes(m), f, path, int(size), m), nil
			}
		}
		return newReadAhead(inflate.NewGzipReader(src), f, path, int(size), nil), nil
	}
	return &plainFile{Reader: bufio.NewReaderSize(src, 1<<20), f: f}, nil
}

type plainFile struct {
	*bufio.Reader
	f   *os.File
	blk []byte
}

func (p *plainFile) Close() error { return p.f.Close() }

// next reads the next block of the file (block).
func (p *plainFile) next() ([]byte, error) {
	if p.blk == nil {
		p.blk = make([]byte, 1<<20)
	}
	return readBlock(p.Reader, p.blk)
}

// readBlock fills b from r as far as r goes; io.EOF only with no bytes.
func readBlock(r io.Reader, b []byte) ([]byte, error) {
	n, err := io.ReadFull(r, b)
	if n > 0 && (err == io.ErrUnexpectedEOF || errors.Is(err, io.EOF)) { //nolint:errorlint // ReadFull's own short read
		err = nil
	}
	return b[:n], err
}

// block is a source of text in blocks: each call returns the next block
// (io.EOF after the last); the block before it is no longer used.
type blockSource interface {
	next() ([]byte, error)
	Close() error
}

// readerBlocks reads an io.Reader in blocks.
type readerBlocks struct {
	r   io.Reader
	blk []byte
}

func (r *readerBlocks) next() ([]byte, error) { return readBlock(r.r, r.blk) }

func (r *readerBlocks) Close() error {
	if c, ok := r.r.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// Lines reads a text file line by line with line numbers, without the line
// terminator (LF or CRLF). Lines longer than 64 MiB are an error.
type Lines struct {
	src   blockSource
	cur   []byte // rest of the block in hand
	carry []byte // a line begun in earlier blocks
	err   error
	Path  string
	N     int // number of the line last returned, 1-based
}

const maxLine = 64 << 20

// NewLines opens path (plain or gzip).
func NewLines(path string) (*Lines, error) {
	rc, err := OpenText(path)
	if err != nil {
		return nil, err
	}
	return &Lines{src: rc.(blockSource), Path: path}, nil
}

// NewLineReader reads lines from r; name is the file name errors give.
func NewLineReader(r io.Reader, name string) *Lines {
	if b, ok := r.(blockSource); ok {
		return &Lines{src: b, Path: name}
	}
	return &Lines{src: &readerBlocks{r: r, blk: make([]byte, 64<<10)}, Path: name}
}

// NewLinesBytes reads lines from text held in memory (in blocks of 4 MiB,
// not copied); name is the file name errors give.
func NewLinesBytes(text []byte, name string) *Lines {
	return &Lines{src: &bytesBlocks{b: text}, Path: name}
}

type bytesBlocks struct{ b []byte }

func (r *bytesBlocks) next() ([]byte, error) {
	if len(r.b) == 0 {
		return nil, io.EOF
	}
	n := min(len(r.b), 4<<20)
	b := r.b[:n]
	r.b = r.b[n:]
	return b, nil
}

func (r *bytesBlocks) Close() error { return nil }

// Next returns the next line, or io.EOF. The line is valid until the next
// call.
func (l *Lines) Next() ([]byte, error) {
	if i := bytes.IndexByte(l.cur, '\n'); i >= 0 {
		line := l.cur[:i]
		l.cur = l.cur[i+1:]
		l.N++
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		return line, nil
	}
	return l.slow()
}

// slow joins a line that runs past the block in hand.
func (l *Lines) slow() ([]byte, error) {
	l.carry = l.carry[:0]
	for {
		if i := bytes.IndexByte(l.cur, '\n'); i >= 0 {
			l.carry = append(l.carry, l.cur[:i]...)
			l.cur = l.cur[i+1:]
			break
		}
		l.carry = append(l.carry, l.cur...)
		l.cur = nil
		if len(l.carry) > maxLine {
			return nil, Errorf(l.Path, l.N+1, "", "is this a text matrix? binary files cannot be read as text", "line longer than 64 MiB")
		}
		if l.err == nil {
			l.cur, l.err = l.src.next()
		}
		if l.err != nil {
			if !errors.Is(l.err, io.EOF) {
				if _, ok := AsParseError(l.err); ok {
					return nil, l.err
				}
				return nil, Errorf(l.Path, l.N+1, "", "", "read error: %w", l.err)
			}
			if len(l.carry) == 0 {
				return nil, io.EOF
			}
			break
		}
	}
	if len(l.carry) > maxLine {
		return nil, Errorf(l.Path, l.N+1, "", "is this a text matrix? binary files cannot be read as text", "line longer than 64 MiB")
	}
	l.N++
	line := l.carry
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, nil
}

// Rest returns the complete lines in hand after the last line returned (up
// to and including the block's last newline; empty if none), for a reader
// that parses many lines in one pass; Skip then consumes what it used. The
// bytes are valid until the next call of Next.
func (l *Lines) Rest() []byte {
	return l.cur[:bytes.LastIndexByte(l.cur, '\n')+1]
}

// Skip consumes the first n bytes of Rest, which hold lines whole lines.
func (l *Lines) Skip(n, lines int) {
	l.cur = l.cur[n:]
	l.N += lines
}

// Close closes the file.
func (l *Lines) Close() error { return l.src.Close() }

// readAhead inflates a gzip file in its own goroutine into a few large
// buffers, handed to the reader whole and recycled, so that inflating and
// parsing overlap.
type readAhead struct {
	z     *inflate.GzipReader
	f     *os.File
	path  string
	mem   []byte // the mapped file the inflater reads, or nil
	ch    chan block
	free  chan []byte
	held  []byte // the buffer of the block last returned by next
	cur   []byte // Read's unread part of it
	err   error
	done  chan struct{}
	close sync.Once
}

type block struct {
	b, buf []byte // the text, and the buffer it is in
	err    error
}

// aheadRing is the number of buffers in a large file's ring (a variable for
// BenchmarkReadAheadRing).
var aheadRing = 16

// mapMin is the size from which a gzip file is mapped rather than read (a
// variable for tests).
var mapMin int64 = 1 << 20

// releaseEvery is how far the inflater reads a mapped file before its pages
// behind are released (mapfile.Release), so that the resident set holds at
// most this much of the file, not all of it.
const releaseEvery = 8 << 20

func newReadAhead(z *inflate.GzipReader, f *os.File, path string, size int, mem []byte) *readAhead {
	ahead, ring := 4, 4
	var slab []byte
	if size >= 1<<20 {
		// A large file: 8 MiB ahead, so that it inflates while the
		// reader opens its other files, from a ring of 16 buffers taken
		// in turn, in one slab advised for huge pages: its first use
		// costs a few faults instead of 4,000 (internal/hugepage; about
		// 9 us each on the benchmark VM). The UCell MTX job, 7 runs of
		// each alternating (2026-12-03): 1 MiB buffers of the heap 0.63 s
		// median; the slab with 8 buffers 0.60 s, with 16 0.59 s (in a
		// slower window 0.74 and 0.67; 32 and 64 no better and 96-129
		// MB at peak). BenchmarkReadAheadRing times the ring alone.
		ahead, ring = 8, aheadRing
		slab = hugepage.Bytes(ring * size)
	}
	r := &readAhead{z: z, f: f, path: path, mem: mem, ch: make(chan block, ahead), free: make(chan []byte, ring), done: make(chan struct{})}
	for i := range ring {
		if slab != nil {
			r.free <- slab[i*size : (i+1)*size : (i+1)*size]
		} else {
			r.free <- make([]byte, size)
		}
	}
	go func() {
		defer close(r.ch)
		released := 0
		for {
			var b []byte
			select {
			case b = <-r.free:
			case <-r.done:
				return
			}
			text, err := r.fill(b)
			if r.mem != nil {
				if at := int(r.z.InputOffset()); at-released >= releaseEvery {
					mapfile.Release(r.mem, released, at)
					released = at
				}
			}
			if len(text) > 0 {
				select {
				case r.ch <- block{b: text, buf: b}:
				case <-r.done:
					return
				}
			} else {
				r.free <- b
			}
			if err != nil {
				if !errors.Is(err, io.EOF) {
					err = Errorf(r.path, 0, "", "the compressed file is truncated or damaged: copy it again, and check it with 'gzip -t'", "gzip stream broken: %w", err)
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

// fill inflates the next text into b. A mapped file that shrinks while it
// is read faults past its new end: the fault is recovered here and becomes
// an error (mapfile).
func (r *readAhead) fill(b []byte) (text []byte, err error) {
	if r.mem == nil {
		return r.z.Fill(b)
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if _, ok := p.(interface{ Addr() uintptr }); !ok {
			panic(p)
		}
		text, err = nil, Errorf(r.path, 0, "", "another program changed or truncated the file while it was read: read it again once it is complete", "the file changed while it was read (%v)", p)
	}()
	return r.z.Fill(b)
}

// next returns the next block of text (block).
func (r *readAhead) next() ([]byte, error) {
	if r.held != nil {
		r.free <- r.held
		r.held = nil
	}
	if r.err != nil {
		return nil, r.err
	}
	blk, ok := <-r.ch
	if !ok {
		r.err = io.EOF
		return nil, r.err
	}
	if blk.err != nil {
		r.err = blk.err
		return nil, r.err
	}
	r.held = blk.buf
	return blk.b, nil
}

func (r *readAhead) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		b, err := r.next()
		if err != nil {
			return 0, err
		}
		r.cur = b
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

func (r *readAhead) Close() error {
	r.close.Do(func() { close(r.done) })
	for range r.ch { // let the goroutine finish before closing its file
	}
	if r.mem != nil {
		mapfile.Unmap(r.mem)
		r.mem = nil
	}
	return r.f.Close()
}
