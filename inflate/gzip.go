package inflate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// ErrHeader: the input is not a gzip member where one should start (RFC 1952
// section 2.3: magic bytes, compression method 8, header CRC).
var ErrHeader = errors.New("inflate: invalid gzip header")

const (
	// MinBuffer is the smallest buffer GzipReader.Fill accepts.
	MinBuffer = 256 << 10

	window = 32 << 10 // DEFLATE's history: the farthest a match reaches back
	// room is the output kept free before a block starts or the last input
	// bytes are decoded by the general loop: a stored block (at most 65,535
	// bytes) fits whole, and so do the symbols the last 8 input bytes and
	// the bit buffer can hold (at most 191 bits, at least 2 bits per match of
	// at most 258 bytes: under 25 KB).
	room = 66 << 10
	// keep is the input held before a block header is read (unless the input
	// ends first): a stored block whole (65,535 + 5 bytes) or a dynamic
	// header (at most 563 bytes), so that neither ever waits for input.
	keep    = 70 << 10
	inSize  = 1 << 20 // input buffer
	readBuf = 1 << 20 // Read's output buffer
)

type gzState uint8

const (
	gzHeader  gzState = iota // next: a member header, or the end of the input
	gzBlock                  // next: a block header (or the trailer after the final block)
	gzCodes                  // inside a Huffman-coded block
	gzTrailer                // after the final block: CRC-32 and ISIZE
	gzEnd                    // every member decoded
)

// GzipReader decodes a gzip file (RFC 1952: one or more members, each a
// header, a DEFLATE stream and a CRC-32 and length trailer) as it is read,
// with the whole-buffer decoder of Decode: output is decoded into a large
// caller's buffer whose first bytes are the last 32 KiB decoded before (the
// window that matches refer back to), so the fast loop runs unchanged;
// decoding stops between two symbols when the buffer is nearly full or the
// input nearly used up, and resumes there, a Huffman block's state (tables,
// bit buffer) kept in between. Every member's CRC-32 and length are checked,
// and members are decoded one after the other up to the end of the input.
//
// Errors wrap ErrCorrupt, ErrHeader, ErrChecksum or io.ErrUnexpectedEOF and
// name the byte offset in the compressed input.
type GzipReader struct {
	d       Decoder
	r       io.Reader
	in      []byte // input buffer; d.src is in[:n]
	n       int
	eof     bool // r reported the end of its data
	st      gzState
	final   bool
	lt      *[litSize]uint32
	dt      *[distSize]uint32
	crc     uint32
	size    uint32
	members int
	hist    []byte // the current member's last output (up to 32 KiB)
	err     error

	rbuf, rcur []byte // Read's buffer and its unread part
}

// NewGzipReader returns a reader of the gzip data read from r. Nothing is
// read until the first Fill or Read.
func NewGzipReader(r io.Reader) *GzipReader {
	return &GzipReader{r: r, in: make([]byte, inSize), hist: make([]byte, 0, window)}
}

// Reset makes z read a new gzip input from r, keeping its buffers.
func (z *GzipReader) Reset(r io.Reader) {
	*z = GzipReader{r: r, in: z.in, hist: z.hist[:0], rbuf: z.rbuf}
}

// Members returns the number of members decoded and checked so far.
func (z *GzipReader) Members() int { return z.members }

// fill makes at least need bytes of input available after d.pos, unless the
// input ends first: the bytes not yet used move to the front, then r is read
// until need is met or r ends.
func (z *GzipReader) fill(need int) error {
	d := &z.d
	if z.eof || z.n-d.pos >= need {
		return nil
	}
	// Whole bytes in the bit buffer stay too: a stored block or the
	// trailer gives them back.
	if from := d.pos - int(d.nb/8); from > 0 {
		z.n = copy(z.in, z.in[from:z.n])
		d.base += int64(from)
		d.pos -= from
	}
	for empty := 0; z.n-d.pos < need; {
		k, err := z.r.Read(z.in[z.n:])
		z.n += k
		if errors.Is(err, io.EOF) {
			z.eof = true
			break
		}
		if err != nil {
			return fmt.Errorf("inflate: reading the gzip input after byte %d: %w", d.base+int64(z.n), err)
		}
		if k == 0 {
			if empty++; empty == 100 {
				return fmt.Errorf("inflate: reading the gzip input after byte %d: %w", d.base+int64(z.n), io.ErrNoProgress)
			}
		}
	}
	d.src = z.in[:z.n]
	return nil
}

func (z *GzipReader) at() int64 { return z.d.base + int64(z.d.pos) }

// bytes returns the next k input bytes (nil if the input ends first).
func (z *GzipReader) bytes(k int) ([]byte, error) {
	if err := z.fill(k); err != nil {
		return nil, err
	}
	if z.n-z.d.pos < k {
		return nil, nil
	}
	b := z.in[z.d.pos : z.d.pos+k]
	z.d.pos += k
	return b, nil
}

// header reads a member header (RFC 1952 section 2.3), or returns io.EOF
// when the input ends where a member could start.
func (z *GzipReader) header() error {
	d := &z.d
	d.bits, d.nb, d.pad = 0, 0, 0
	start := z.at()
	if err := z.fill(10); err != nil {
		return err
	}
	if z.n == d.pos {
		return io.EOF
	}
	short := func() error {
		return fmt.Errorf("inflate: %w in the gzip header of the member at byte %d", io.ErrUnexpectedEOF, start)
	}
	h, err := z.bytes(10)
	if err != nil {
		return err
	}
	if h == nil {
		return short()
	}
	if h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 {
		return fmt.Errorf("%w: bytes %x at byte %d (a gzip member starts 1f8b08)", ErrHeader, h[:3], start)
	}
	flg := h[3]
	crc := crc32.ChecksumIEEE(h)
	if flg&4 != 0 { // FEXTRA: a length and that many bytes
		x, err := z.bytes(2)
		if err != nil {
			return err
		}
		if x == nil {
			return short()
		}
		crc = crc32.Update(crc, crc32.IEEETable, x)
		x, err = z.bytes(int(binary.LittleEndian.Uint16(x)))
		if err != nil {
			return err
		}
		if x == nil {
			return short()
		}
		crc = crc32.Update(crc, crc32.IEEETable, x)
	}
	for _, f := range []byte{8, 16} { // FNAME, FCOMMENT: zero-terminated
		if flg&f == 0 {
			continue
		}
		for {
			if err := z.fill(1); err != nil {
				return err
			}
			if z.n == d.pos {
				return short()
			}
			b := z.in[d.pos:z.n]
			i := 0
			for i < len(b) && b[i] != 0 {
				i++
			}
			if i < len(b) {
				i++ // the terminator, in the header CRC too
			}
			crc = crc32.Update(crc, crc32.IEEETable, b[:i])
			d.pos += i
			if b[i-1] == 0 {
				break
			}
		}
	}
	if flg&2 != 0 { // FHCRC: the low 16 bits of the header's CRC-32
		x, err := z.bytes(2)
		if err != nil {
			return err
		}
		if x == nil {
			return short()
		}
		if binary.LittleEndian.Uint16(x) != uint16(crc) {
			return fmt.Errorf("%w: header CRC of the member at byte %d does not match", ErrHeader, start)
		}
	}
	return nil
}

// Fill decodes the next part of the output into buf and returns it (a
// subslice of buf, never empty with a nil error); io.EOF after the last.
// buf must hold at least MinBuffer bytes; its first bytes receive the
// previous window, the rest the new output (up to about 66 KiB short of
// its end). A call may return output and an error together; the error then
// stays.
func (z *GzipReader) Fill(buf []byte) ([]byte, error) {
	if z.err != nil {
		return nil, z.err
	}
	if len(buf) < MinBuffer {
		return nil, fmt.Errorf("inflate: GzipReader.Fill needs a buffer of at least %d bytes, got %d", MinBuffer, len(buf))
	}
	d := &z.d
	d.src = z.in[:z.n]
	h := copy(buf, z.hist)
	// out: next byte of buf to write; base: the current member's first byte
	// in buf (the window counts as the member's); sum: bytes up to which the
	// member's CRC-32 and length are counted.
	out, base, sum := h, 0, h
	full := len(buf) - 258 - 16 // where fastCodes stops
	var err error
loop:
	for {
		switch z.st {
		case gzHeader:
			if err = z.header(); err != nil {
				if errors.Is(err, io.EOF) {
					err, z.st = nil, gzEnd
					continue
				}
				break loop
			}
			base, sum = out, out
			z.crc, z.size, z.final, z.st = 0, 0, false, gzBlock
		case gzBlock:
			if z.final {
				z.st = gzTrailer
				continue
			}
			if len(buf)-out < room {
				break loop
			}
			if err = z.fill(keep); err != nil {
				break loop
			}
			var v uint32
			if v, err = d.take(3); err != nil {
				break loop
			}
			z.final = v&1 != 0
			switch v >> 1 {
			case 0:
				var o int
				o, err = d.stored(buf[base:], out-base)
				out = base + o
				if err != nil {
					break loop
				}
			case 1:
				z.lt, z.dt, z.st = &fixedLit, &fixedDist, gzCodes
			case 2:
				if err = d.dynamic(); err != nil {
					break loop
				}
				z.lt, z.dt, z.st = &d.lit, &d.dist, gzCodes
			default:
				err = d.corrupt("reserved block type")
				break loop
			}
		case gzCodes:
			if d.pos > z.n-8 && !z.eof {
				if err = z.fill(keep); err != nil {
					break loop
				}
				continue
			}
			if d.pos <= z.n-8 {
				o, done, e := d.fastCodes(buf[base:], out-base, z.lt, z.dt)
				out = base + o
				if err = e; err != nil {
					break loop
				}
				if done {
					z.st = gzBlock
				} else if out >= full {
					break loop
				}
				continue
			}
			// The last bytes of the input: the general loop, which reads
			// zeros past the end and reports a truncated stream. Room for
			// all it can decode is kept, so it never stops for output.
			if len(buf)-out < room {
				break loop
			}
			// On an error nothing of this call is returned: symbols may
			// have been decoded from the zeros read past the end.
			o, e := d.codes(buf[base:], out-base, z.lt, z.dt)
			if errors.Is(e, ErrShortBuffer) {
				e = fmt.Errorf("inflate: internal error: output bound exceeded near input byte %d", z.at())
			}
			if err = e; err != nil {
				break loop
			}
			out = base + o
			z.st = gzBlock
		case gzTrailer:
			// Whole bytes loaded but not used go back to the input.
			d.pos = d.pos - int(d.nb/8) + d.pad
			d.bits, d.nb, d.pad = 0, 0, 0
			z.crc = crc32.Update(z.crc, crc32.IEEETable, buf[sum:out])
			z.size += uint32(out - sum)
			sum = out
			start := z.at()
			var t []byte
			if t, err = z.bytes(8); err != nil {
				break loop
			}
			if t == nil {
				err = fmt.Errorf("inflate: %w in the gzip trailer at byte %d", io.ErrUnexpectedEOF, start)
				break loop
			}
			if c := binary.LittleEndian.Uint32(t); c != z.crc {
				err = fmt.Errorf("%w: gzip member's CRC-32 %08x, decoded data's %08x (trailer at byte %d)", ErrChecksum, c, z.crc, start)
				break loop
			}
			if s := binary.LittleEndian.Uint32(t[4:]); s != z.size {
				err = fmt.Errorf("%w: gzip member's length %d (mod 2^32), decoded %d (trailer at byte %d)", ErrChecksum, s, z.size, start)
				break loop
			}
			z.members++
			z.st = gzHeader
		case gzEnd:
			break loop
		}
	}
	z.crc = crc32.Update(z.crc, crc32.IEEETable, buf[sum:out])
	z.size += uint32(out - sum)
	k := min(window, out-base)
	z.hist = append(z.hist[:0], buf[out-k:out]...)
	if err != nil {
		z.err = err
		return buf[h:out], err
	}
	if out == h && z.st == gzEnd {
		z.err = io.EOF
		return nil, io.EOF
	}
	return buf[h:out], nil
}

// Read implements io.Reader (through a 1 MiB buffer filled by Fill).
func (z *GzipReader) Read(p []byte) (int, error) {
	for len(z.rcur) == 0 {
		if z.rbuf == nil {
			z.rbuf = make([]byte, readBuf)
		}
		b, err := z.Fill(z.rbuf)
		z.rcur = b
		if len(b) == 0 && err != nil {
			return 0, err
		}
	}
	n := copy(p, z.rcur)
	z.rcur = z.rcur[n:]
	return n, nil
}
