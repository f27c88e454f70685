package formats

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"sync"

	"github.com/lsc-bio/lsc/inflate"
	"github.com/lsc-bio/lsc/internal/hugepage"
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
		// Buffers of about the text's size (4x the compressed size) up
		// to aheadBuf, and a ring no larger than the text needs: a 300
		// KB file takes 4 buffers of 1.2 MB, not a 48 MiB slab to clear
		// (each OpenText of a command reading many files pays for its
		// ring's new memory).
		size, ring := int64(inflate.MinBuffer), 4
		st, err := f.Stat()
		if err == nil {
			size = min(max(4*st.Size(), size), aheadBuf)
			ring = min(max(int(4*st.Size()/size)+2, 4), aheadRing)
		}
		// The file is read, in the inflating goroutine, into the
		// inflater's own input buffer. Mapping it instead (read in
		// place from the page cache) was tried: on the VM of
		// 2026-12-03 an earlier session measured it 5 % faster for the
		// UCell MTX job, and on this session's VM it was 5 % slower
		// (0.685 s median against 0.65 s, 8 alternating runs; reading
		// the 94 MB mapping costs 60 ms there against 20 ms for
		// read(2) and its copy), with a larger resident set and a
		// SIGBUS to recover if the file shrinks: bench/README.md,
		// "Mapping undone".
		return newReadAhead(inflate.NewGzipReader(src), f, path, int(size), ring), nil
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

// aheadRing is the number of buffers in a large file's ring, and aheadBuf
// their largest size (variables for BenchmarkReadAheadRing).
var (
	aheadRing = 12
	aheadBuf  = int64(4 << 20)
)

func newReadAhead(z *inflate.GzipReader, f *os.File, path string, size, ring int) *readAhead {
	ahead := min(4, ring)
	var slab []byte
	if size >= 1<<20 {
		// A large file: a ring of 12 buffers of up to 4 MiB, 10 of them
		// ahead of the reader, in one slab advised for huge pages (its
		// first use costs a few faults instead of thousands:
		// internal/hugepage). With 1 MiB buffers the reader, faster than
		// the inflater, caught up with it every 1.3 ms or so, and the
		// inflater spent 555-585 ms of CPU on the 10k-cell MTX against
		// 444-475 ms with 4 MiB buffers (its thread's CPU clock; 410 ms
		// alone in BenchmarkGzip, and 444-465 ms with 1 MiB buffers when
		// its thread had a core to itself): the frequent hand-overs, not
		// the decoding, cost the difference. The UCell MTX job,
		// 8 runs of each alternating (2026-12-03): a ring of 16 x 1 MiB
		// 0.60 s median, 12 x 4 MiB (10 ahead) 0.515 s, 8 x 4 MiB (6
		// ahead) 0.52 s; peak RSS 78 -> 115 MB (bench/README.md, "Larger
		// blocks to the parser"). BenchmarkReadAheadRing times the ring
		// alone.
		ahead = ring - 2
		slab = hugepage.Bytes(ring * size)
	}
	r := &readAhead{z: z, f: f, path: path, ch: make(chan block, ahead), free: make(chan []byte, ring), done: make(chan struct{})}
	for i := range ring {
		if slab != nil {
			r.free <- slab[i*size : (i+1)*size : (i+1)*size]
		} else {
			r.free <- make([]byte, size)
		}
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
			text, err := r.z.Fill(b)
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
	return r.f.Close()
}
