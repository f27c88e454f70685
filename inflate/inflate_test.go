package inflate

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
)

// samples returns inputs shaped like the data lsc inflates (HDF5 chunks of
// sorted int32 gene indices and float32 counts), plus text, random bytes,
// runs and the empty input.
func samples() map[string][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	s := map[string][]byte{"empty": {}, "one": {7}}
	idx := make([]byte, 0, 4*80000)
	val := make([]byte, 0, 4*80000)
	g := 0
	for i := 0; i < 80000; i++ {
		g += 1 + int(r.ExpFloat64()*10)
		if g > 30000 {
			g = r.IntN(50)
		}
		idx = binary.LittleEndian.AppendUint32(idx, uint32(g))
		val = binary.LittleEndian.AppendUint32(val, math.Float32bits(float32(1+int(r.ExpFloat64()*1.5))))
	}
	s["indices"], s["values"] = idx, val
	text := bytes.Repeat([]byte("ENSG00000141510\tTP53\tGene Expression\nCD34 CD38 PROM1 THY1 "), 3000)
	s["text"] = text
	rnd := make([]byte, 100000)
	for i := range rnd {
		rnd[i] = byte(r.Uint32())
	}
	s["random"] = rnd
	s["zeros"] = make([]byte, 300000)
	skew := make([]byte, 200000)
	for i := range skew {
		skew[i] = byte(r.ExpFloat64() * 3) // long codes for rare bytes: subtables
	}
	s["skewed"] = skew
	short := make([]byte, 70000)
	for i := range short {
		short[i] = "abcabcdabcdeab"[i%(2+i/5000%12)]
	}
	s["shortdist"] = short
	return s
}

func deflate(t testing.TB, b []byte, level int) []byte {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// Every sample at every compress/flate level (stored, fixed and dynamic
// blocks; level 2 and HuffmanOnly give literal-only blocks) decodes to the
// original bytes, with an exact-size buffer and with a larger one.
func TestRoundTrip(t *testing.T) {
	var d Decoder
	for name, b := range samples() {
		for _, level := range []int{flate.HuffmanOnly, 0, 1, 2, 4, 6, 9} {
			c := deflate(t, b, level)
			for _, extra := range []int{0, 1000} {
				out := make([]byte, len(b)+extra)
				n, read, err := d.Decode(out, c)
				if err != nil || n != len(b) || !bytes.Equal(out[:n], b) {
					t.Fatalf("%s level %d extra %d: n=%d of %d, err %v, equal %v", name, level, extra, n, len(b), err, bytes.Equal(out[:n], b))
				}
				if read != len(c) {
					t.Errorf("%s level %d: read %d of %d bytes", name, level, read, len(c))
				}
			}
			if len(b) > 0 {
				out := make([]byte, len(b)-1)
				if _, _, err := d.Decode(out, c); !errors.Is(err, ErrShortBuffer) {
					t.Errorf("%s level %d: one byte short: %v, want ErrShortBuffer", name, level, err)
				}
			}
		}
	}
}

// Truncated streams report io.ErrUnexpectedEOF (compress/flate's answer too).
func TestTruncated(t *testing.T) {
	b := samples()["indices"]
	c := deflate(t, b, 4)
	out := make([]byte, len(b))
	for _, cut := range []int{1, 2, 5, 100, len(c) / 2, len(c) - 1} {
		_, _, err := Decode(out, c[:cut])
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("cut at %d of %d: %v", cut, len(c), err)
		}
		if _, err := io.ReadAll(flate.NewReader(bytes.NewReader(c[:cut]))); err == nil {
			t.Errorf("compress/flate accepts the stream cut at %d", cut)
		}
	}
}

// Zlib streams written by compress/zlib decode and their checksum is
// checked; a flipped checksum byte is ErrChecksum.
func TestZlib(t *testing.T) {
	for name, b := range samples() {
		var buf bytes.Buffer
		w, _ := zlib.NewWriterLevel(&buf, 4)
		w.Write(b)
		w.Close()
		c := buf.Bytes()
		out := make([]byte, len(b))
		n, err := DecodeZlib(out, c)
		if err != nil || !bytes.Equal(out[:n], b) {
			t.Fatalf("%s: %v", name, err)
		}
		c[len(c)-1] ^= 1
		if _, err := DecodeZlib(out, c); !errors.Is(err, ErrChecksum) {
			t.Errorf("%s: bad checksum gives %v", name, err)
		}
	}
	if _, err := DecodeZlib(make([]byte, 10), []byte{0x78, 0x9d, 3, 0}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("bad header check: %v", err)
	}
}

// Hand-made streams at the edges of the format, each decoded as
// compress/flate decodes it (or rejected as it rejects it).
func TestEdgeStreams(t *testing.T) {
	cases := map[string][]byte{
		"fixed empty":        {0x03, 0x00},
		"stored empty":       {0x01, 0x00, 0x00, 0xff, 0xff},
		"stored bad nlen":    {0x01, 0x01, 0x00, 0xff, 0xff, 'a'},
		"reserved type":      {0x07},
		"distance too far":   {0x63, 0x00, 0x02}, // fixed: literal then a match of distance > output
		"fixed length 286":   {0x03, 0x0c},
		"two stored":         {0x00, 0x01, 0x00, 0xfe, 0xff, 'x', 0x01, 0x01, 0x00, 0xfe, 0xff, 'y'},
		"only final missing": {0x00, 0x00, 0x00, 0xff, 0xff},
	}
	for name, c := range cases {
		want, werr := io.ReadAll(flate.NewReader(bytes.NewReader(c)))
		out := make([]byte, 1000)
		n, _, err := Decode(out, c)
		if (werr != nil) != (err != nil) || (err == nil && !bytes.Equal(out[:n], want)) {
			t.Errorf("%s: got %q, %v; compress/flate %q, %v", name, out[:n], err, want, werr)
		}
	}
}

// cpuRate reports MB per second of this thread's CPU time (the per-core
// rate, which holds when other processes share the machine).
func cpuRate(b *testing.B, size int, fn func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.SetBytes(int64(size))
	t0 := threadCPU()
	for range b.N {
		fn()
	}
	b.ReportMetric(float64(size)*float64(b.N)/(threadCPU()-t0)/1e6, "MB/cpu-s")
}

func threadCPU() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(1, &ru) // RUSAGE_THREAD
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// BenchmarkDecode: the synthetic index and value chunks at zlib level 4
// (h5py's gzip default), package inflate beside compress/flate.
func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"indices", "values"} {
		p := samples()[name]
		c := deflate(b, p, 4)
		out := make([]byte, len(p))
		var d Decoder
		b.Run(name+"/inflate", func(b *testing.B) { cpuRate(b, len(p), func() { d.Decode(out, c) }) })
		b.Run(name+"/compress-flate", func(b *testing.B) {
			cpuRate(b, len(p), func() { io.ReadFull(flate.NewReader(bytes.NewReader(c)), out) })
		})
	}
}

// With bytes after the stream the fast loop runs up to the end of the last
// block (without, the general loop finishes the last 8 input bytes): same
// output and the same count of bytes read either way, at every level.
func TestTrailingBytes(t *testing.T) {
	for name, b := range samples() {
		for _, level := range []int{flate.HuffmanOnly, 1, 4, 9} {
			c := deflate(t, b, level)
			tail := append(append([]byte(nil), c...), bytes.Repeat([]byte{0xa5}, 16)...)
			for _, in := range [][]byte{c, tail} {
				out := make([]byte, len(b)+300)
				n, read, err := Decode(out, in)
				if err != nil || n != len(b) || !bytes.Equal(out[:n], b) || read != len(c) {
					t.Fatalf("%s level %d (%d input bytes): n=%d of %d, read %d of %d, err %v", name, level, len(in), n, len(b), read, len(c), err)
				}
			}
		}
	}
}
