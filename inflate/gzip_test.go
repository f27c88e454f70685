package inflate

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func gz(t testing.TB, b []byte, level int) []byte {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// fillAll decodes c with Fill into buffers of size size, read from r (c
// itself when r is nil); it returns the output and the first error other
// than io.EOF.
func fillAll(c []byte, r io.Reader, size int) ([]byte, error) {
	if r == nil {
		r = bytes.NewReader(c)
	}
	if testZ == nil {
		testZ = NewGzipReader(r)
	}
	z := testZ
	z.Reset(r)
	return fillFrom(z, size)
}

// fillFrom calls z.Fill with a buffer of size bytes until the input ends.
func fillFrom(z *GzipReader, size int) ([]byte, error) {
	if len(testBuf) != size {
		testBuf = make([]byte, size)
	}
	buf := testBuf
	var out []byte
	for i := 0; ; i++ {
		b, err := z.Fill(buf)
		if err == nil && len(b) == 0 {
			return out, errors.New("Fill returned no output and no error")
		}
		out = append(out, b...)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if i > 1<<20 {
			return out, errors.New("Fill does not end")
		}
	}
}

// The reader and buffer of fillAll, reused (tests and fuzzing call it
// from one goroutine).
var (
	testZ   *GzipReader
	testBuf []byte
)

// goGunzip is the oracle: compress/gzip (multi-member, as by default).
func goGunzip(c []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(c))
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	return io.ReadAll(zr)
}

// agreeGzip checks Fill (buffer size size, input split by split) against
// compress/gzip on c: the same bytes, or both fail and lsc's output is a
// prefix of compress/gzip's.
func agreeGzip(t *testing.T, name string, c []byte, size int, split func(io.Reader) io.Reader) {
	t.Helper()
	want, werr := goGunzip(c)
	agreeWith(t, name, c, want, werr, size, split)
}

// agreeWith is agreeGzip with compress/gzip's answer given.
func agreeWith(t *testing.T, name string, c, want []byte, werr error, size int, split func(io.Reader) io.Reader) {
	t.Helper()
	if werr != nil && errors.Is(werr, gzip.ErrHeader) && longHeaderString(c) {
		return // compress/gzip's 511-byte limit on names and comments: no oracle
	}
	var r io.Reader = bytes.NewReader(c)
	if split != nil {
		r = split(r)
	}
	got, err := fillAll(c, r, size)
	agreeOutput(t, name, size, want, werr, got, err)
}

func agreeOutput(t *testing.T, name string, size int, want []byte, werr error, got []byte, err error) {
	t.Helper()
	if (werr != nil) != (err != nil) {
		t.Fatalf("%s (buffer %d): compress/gzip %d bytes, %v; GzipReader %d bytes, %v", name, size, len(want), werr, len(got), err)
	}
	if werr == nil && !bytes.Equal(got, want) {
		t.Fatalf("%s (buffer %d): output differs (%d vs %d bytes)", name, size, len(got), len(want))
	}
	if werr != nil && (len(got) > len(want) || !bytes.Equal(got, want[:len(got)])) {
		t.Fatalf("%s (buffer %d): on error, %d bytes that are not a prefix of compress/gzip's %d", name, size, len(got), len(want))
	}
}

// longHeaderString reports whether c holds, at some gzip magic (a member
// start, or bytes that look like one), a name or comment of 511 bytes or
// more: compress/gzip refuses those, RFC 1952 sets no limit.
func longHeaderString(c []byte) bool {
	for off := 0; ; {
		k := bytes.Index(c[off:], []byte{0x1f, 0x8b, 8})
		if k < 0 {
			return false
		}
		h := c[off+k:]
		off += k + 1
		if len(h) < 10 || h[3]&(8|16) == 0 {
			continue
		}
		p := 10
		if h[3]&4 != 0 {
			if len(h) < 12 {
				continue
			}
			p = 12 + int(binary.LittleEndian.Uint16(h[10:]))
		}
		for _, f := range []byte{8, 16} {
			if h[3]&f == 0 || p > len(h) {
				continue
			}
			i := bytes.IndexByte(h[p:], 0)
			if i >= 511 || (i < 0 && len(h)-p >= 511) {
				return true
			}
			if i < 0 {
				break
			}
			p += i + 1
		}
	}
}

// Every sample at several levels, as one member and as several, through
// buffers of several sizes and readers that return a byte or half a
// request at a time.
func TestGzipRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	big := make([]byte, 3<<20) // spans many buffers: text with far matches
	for i := 0; i < len(big); {
		n := copy(big[i:], []byte("ENSG00000141510\t"+strings.Repeat("x", r.IntN(40))+"\n"))
		i += n
		if i > 40000 && r.IntN(4) == 0 {
			from := i - 1 - r.IntN(32000)
			i += copy(big[i:], big[from:from+r.IntN(200)])
		}
	}
	s := samples()
	s["big"] = big
	splits := map[string]func(io.Reader) io.Reader{
		"whole": nil, "half": iotest.HalfReader, "onebyte": iotest.OneByteReader, "dataerr": iotest.DataErrReader,
	}
	for name, b := range s {
		for _, level := range []int{gzip.HuffmanOnly, 0, 1, 6, 9} {
			c := gz(t, b, level)
			multi := append(append(append([]byte(nil), c...), gz(t, nil, 6)...), gz(t, b[:len(b)/3], level)...)
			want, werr := goGunzip(c)
			wantm, werrm := goGunzip(multi)
			for sname, split := range splits {
				if sname == "onebyte" && len(b) > 100000 {
					continue
				}
				for _, size := range []int{MinBuffer, MinBuffer + 12345, 1 << 20} {
					agreeWith(t, name+"/"+sname, c, want, werr, size, split)
					agreeWith(t, name+"/multi/"+sname, multi, wantm, werrm, size, split)
				}
			}
		}
	}
}

// Read gives the same bytes as Fill, through reads of random sizes.
func TestGzipRead(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for name, b := range samples() {
		c := gz(t, b, 6)
		z := NewGzipReader(bytes.NewReader(c))
		var out []byte
		p := make([]byte, 70000)
		for {
			n, err := z.Read(p[:1+r.IntN(len(p)-1)])
			out = append(out, p[:n]...)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("%s: Read gives %d bytes of %d", name, len(out), len(b))
		}
		if z.Members() != 1 {
			t.Errorf("%s: %d members", name, z.Members())
		}
	}
}

// member builds one gzip member by hand: header flags and fields, a raw
// DEFLATE stream, and a trailer with the given CRC and size.
func member(flg byte, extra, name, comment []byte, deflated []byte, crc, size uint32, hcrc bool) []byte {
	b := []byte{0x1f, 0x8b, 8, flg, 0, 0, 0, 0, 0, 3}
	if flg&4 != 0 {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(extra)))
		b = append(b, extra...)
	}
	if flg&8 != 0 {
		b = append(append(b, name...), 0)
	}
	if flg&16 != 0 {
		b = append(append(b, comment...), 0)
	}
	if flg&2 != 0 {
		c := uint16(crc32.ChecksumIEEE(b))
		if !hcrc {
			c++
		}
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	b = append(b, deflated...)
	b = binary.LittleEndian.AppendUint32(b, crc)
	return binary.LittleEndian.AppendUint32(b, size)
}

// bitWriter writes DEFLATE bits: values from their lowest bit, Huffman
// codes from their highest (RFC 1951 section 3.1.1).
type bitWriter struct {
	b  []byte
	nb uint
}

func (w *bitWriter) bits(v uint32, n uint) {
	for i := uint(0); i < n; i++ {
		if w.nb%8 == 0 {
			w.b = append(w.b, 0)
		}
		w.b[len(w.b)-1] |= byte(v>>i&1) << (w.nb % 8)
		w.nb++
	}
}

func (w *bitWriter) code(c uint32, n uint) {
	for i := int(n) - 1; i >= 0; i-- {
		w.bits(c>>uint(i)&1, 1)
	}
}

// Hand-made files at the edges of the format, each decoded as compress/gzip
// decodes it; the errors are the expected kind and name a byte offset.
func TestGzipEdges(t *testing.T) {
	text := []byte("ENSG00000141510\tTP53\tGene Expression\n")
	raw := deflate(t, text, 6)
	crc, n := crc32.ChecksumIEEE(text), uint32(len(text))
	empty := member(0, nil, nil, nil, []byte{3, 0}, 0, 0, true)
	stored := member(0, nil, nil, nil, deflate(t, text, 0), crc, n, true)
	// Two stored blocks, the first not final, then an empty fixed block.
	two := []byte{0x00, 5, 0, 0xfa, 0xff}
	two = append(two, text[:5]...)
	two = append(two, 0x00, byte(len(text)-5), 0, ^byte(len(text)-5), 0xff)
	two = append(two, text[5:]...)
	two = append(two, 0x03, 0x00)
	long := bytes.Repeat([]byte("n"), 3000)
	// A final fixed block whose first symbol is a match (length 3,
	// distance 1) with nothing before it, then the end of the block.
	var bw bitWriter
	bw.bits(1, 1)
	bw.bits(1, 2)
	bw.code(1, 7) // length code 257
	bw.code(0, 5) // distance code 0
	bw.code(0, 7) // end of block
	tooFar := bw.b
	cases := []struct {
		name string
		c    []byte
		want error // nil: decodes as compress/gzip does
	}{
		{"empty input", nil, nil},
		{"empty member", empty, nil},
		{"two empty members", append(append([]byte(nil), empty...), empty...), nil},
		{"stored", stored, nil},
		{"stored blocks", member(0, nil, nil, nil, two, crc, n, true), nil},
		{"all header fields", member(4|8|16|2, []byte("AB\x02\x00hi"), []byte("matrix.mtx"), []byte("a comment"), raw, crc, n, true), nil},
		{"long name", member(8, nil, long, nil, raw, crc, n, true), nil},
		{"multi-member", append(append(member(0, nil, nil, nil, raw, crc, n, true), empty...), stored...), nil},
		{"bad header crc", member(2|8, nil, []byte("x"), nil, raw, crc, n, false), ErrHeader},
		{"bad crc", member(0, nil, nil, nil, raw, crc^1, n, true), ErrChecksum},
		{"bad isize", member(0, nil, nil, nil, raw, crc, n+1, true), ErrChecksum},
		{"bad method", append([]byte{0x1f, 0x8b, 7}, stored[3:]...), ErrHeader},
		{"trailing garbage", append(append([]byte(nil), stored...), "junk and more junk"...), ErrHeader},
		{"trailing zeros", append(append([]byte(nil), stored...), make([]byte, 20)...), ErrHeader},
		{"reserved block type", member(0, nil, nil, nil, []byte{0x07}, 0, 0, true), ErrCorrupt},
		{"distance too far", member(0, nil, nil, nil, tooFar, 0, 0, true), ErrCorrupt},
	}
	for _, tc := range cases {
		agreeGzip(t, tc.name, tc.c, MinBuffer, nil)
		_, err := fillAll(tc.c, nil, MinBuffer)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if tc.want != nil && !strings.Contains(err.Error(), "byte ") {
			t.Errorf("%s: error names no byte offset: %v", tc.name, err)
		}
	}
	// A member may not reach back into the one before it.
	first := member(0, nil, nil, nil, raw, crc, n, true)
	back := member(0, nil, nil, nil, tooFar, 0, 0, true)
	if _, err := fillAll(append(first, back...), nil, MinBuffer); !errors.Is(err, ErrCorrupt) {
		t.Errorf("match into the previous member: %v", err)
	}
}

// A stream cut anywhere is an error (io.ErrUnexpectedEOF, or ErrHeader for a
// cut inside the magic bytes of a second member), never short output
// without one, and the output before it is a prefix of the data.
func TestGzipTruncated(t *testing.T) {
	b := samples()["text"]
	c := gz(t, b, 6)
	c2 := append(append([]byte(nil), c...), c...)
	for _, in := range [][]byte{c, c2} {
		for cut := 1; cut < len(in); cut++ {
			if len(in) == len(c2) && cut == len(c) {
				continue // exactly one whole member
			}
			got, err := fillAll(in[:cut], nil, MinBuffer)
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("cut at %d of %d: %v", cut, len(in), err)
			}
			if !strings.Contains(err.Error(), "byte") {
				t.Fatalf("cut at %d: no offset in %v", cut, err)
			}
			want := append(append([]byte(nil), b...), b...)
			if !bytes.Equal(got, want[:len(got)]) {
				t.Fatalf("cut at %d: output is not a prefix", cut)
			}
			if cut%97 == 0 {
				agreeGzip(t, "truncated", in[:cut], MinBuffer, iotest.HalfReader)
			}
		}
	}
}

// Random and corrupted files: GzipReader agrees with compress/gzip on each.
func TestGzipRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 3000; i++ {
		c := make([]byte, 3+r.IntN(64))
		for j := range c {
			c[j] = byte(r.Uint32())
		}
		c[0], c[1], c[2] = 0x1f, 0x8b, 8
		agreeGzip(t, "random", c, MinBuffer, nil)
	}
	for name, b := range samples() {
		if len(b) > 30000 {
			b = b[:30000]
		}
		c := gz(t, b, 4)
		for i := 0; i < 300; i++ {
			m := append([]byte(nil), c...)
			m[r.IntN(len(m))] ^= byte(1 + r.IntN(255))
			agreeGzip(t, name, m, MinBuffer, nil)
		}
	}
}

// Every gzip file of the shared test data decodes as compress/gzip
// decodes it, through two buffer sizes.
func TestGzipSharedTestdata(t *testing.T) {
	root := "../../shared/testdata"
	if _, err := os.Stat(root); err != nil {
		t.Skip("no shared test data")
	}
	n := 0
	filepath.WalkDir(root, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return nil
		}
		magic := make([]byte, 2)
		io.ReadFull(f, magic)
		f.Close()
		if magic[0] != 0x1f || magic[1] != 0x8b {
			return nil
		}
		c, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{MinBuffer, 4 << 20} {
			agreeGzip(t, path, c, size, nil)
		}
		n++
		return nil
	})
	if n == 0 {
		t.Fatal("no gzip file found in the shared test data")
	}
	t.Logf("%d gzip files", n)
}

// FuzzGzip: any input decodes to what compress/gzip decodes (or both
// reject it), with a buffer size and read split drawn from the input.
func FuzzGzip(f *testing.F) {
	for _, b := range samples() {
		if len(b) > 20000 {
			b = b[:20000]
		}
		for _, level := range []int{gzip.HuffmanOnly, 0, 1, 6} {
			c := gz(f, b, level)
			f.Add(c, uint16(0), uint8(0))
			f.Add(append(c, gz(f, b[:len(b)/2], level)...), uint16(5000), uint8(1))
		}
	}
	f.Fuzz(func(t *testing.T, c []byte, extra uint16, split uint8) {
		var s func(io.Reader) io.Reader
		switch split % 4 {
		case 1:
			s = iotest.HalfReader
		case 2:
			s = iotest.OneByteReader
		case 3:
			s = iotest.DataErrReader
		}
		agreeGzip(t, "fuzz", c, MinBuffer+int(extra)*7, s)
	})
}

// BenchmarkGzip: LSC_BENCH_GZ=FILE (a single-member gzip file that fits in
// memory decoded) decoded by GzipReader.Fill into 4 MiB buffers, by the
// whole-buffer Decode of its DEFLATE stream (output size from the trailer),
// by compress/gzip and by klauspost/compress/gzip (see gzip_klauspost_test.go).
// MB/cpu-s: decoded bytes per CPU second of the benchmark's thread.
func BenchmarkGzip(b *testing.B) {
	path := os.Getenv("LSC_BENCH_GZ")
	if path == "" {
		b.Skip("set LSC_BENCH_GZ to a gzip file")
	}
	c, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	size := int(binary.LittleEndian.Uint32(c[len(c)-4:]))
	buf := make([]byte, 4<<20)
	b.Run("lsc-stream", func(b *testing.B) {
		cpuRate(b, size, func() {
			z := NewGzipReader(bytes.NewReader(c))
			for {
				if _, err := z.Fill(buf); err != nil {
					if !errors.Is(err, io.EOF) {
						b.Fatal(err)
					}
					return
				}
			}
		})
	})
	b.Run("lsc-whole", func(b *testing.B) {
		out := make([]byte, size)
		p := 10 // header without optional fields
		if c[3]&8 != 0 {
			p += bytes.IndexByte(c[p:], 0) + 1
		}
		var d Decoder
		cpuRate(b, size, func() {
			if n, _, err := d.Decode(out, c[p:]); err != nil || n != size {
				b.Fatal(n, err)
			}
		})
	})
	b.Run("compress-gzip", func(b *testing.B) {
		cpuRate(b, size, func() {
			zr, _ := gzip.NewReader(bytes.NewReader(c))
			for {
				if _, err := zr.Read(buf); err != nil {
					return
				}
			}
		})
	})
	benchKlauspost(b, c, size, buf)
}
