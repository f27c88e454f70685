package inflate

import (
	"bytes"
	"compress/flate"
	"io"
	"math/rand/v2"
	"testing"
)

// FuzzDecode: any input decodes to what compress/flate decodes, or both
// reject it. Seeds are compressed samples, so mutations reach dynamic
// headers, subtables and matches.
func FuzzDecode(f *testing.F) {
	for _, b := range samples() {
		if len(b) > 20000 {
			b = b[:20000]
		}
		for _, level := range []int{flate.HuffmanOnly, 1, 6} {
			f.Add(deflate(f, b, level))
		}
	}
	f.Add([]byte{0x03, 0x00})
	out := make([]byte, 1<<20)
	f.Fuzz(func(t *testing.T, c []byte) {
		want, werr := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(c)), int64(len(out))+1))
		n, _, err := Decode(out, c)
		if werr != nil || len(want) > len(out) {
			if err == nil {
				t.Fatalf("compress/flate: %v (%d bytes); inflate accepted %d bytes", werr, len(want), n)
			}
			return
		}
		if err != nil {
			t.Fatalf("compress/flate decodes %d bytes; inflate: %v", len(want), err)
		}
		if !bytes.Equal(out[:n], want) {
			t.Fatalf("output differs from compress/flate (%d vs %d bytes)", n, len(want))
		}
	})
}

// Random inputs and single-byte corruptions of valid streams: package
// inflate agrees with compress/flate on each (same output, or both reject).
func TestRandomInputs(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	out := make([]byte, 1<<18)
	var d Decoder
	agree := func(c []byte) {
		want, werr := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(c)), int64(len(out))+1))
		n, _, err := d.Decode(out, c)
		if werr != nil || len(want) > len(out) {
			if err == nil {
				t.Fatalf("%x: compress/flate %v, inflate accepted %d bytes", c, werr, n)
			}
			return
		}
		if err != nil || !bytes.Equal(out[:n], want) {
			t.Fatalf("%x: compress/flate %d bytes, inflate %d (%v)", c, len(want), n, err)
		}
	}
	for i := 0; i < 5000; i++ {
		c := make([]byte, 1+r.IntN(64))
		for j := range c {
			c[j] = byte(r.Uint32())
		}
		agree(c)
	}
	for name, b := range samples() {
		if len(b) > 30000 {
			b = b[:30000]
		}
		c := deflate(t, b, 4)
		for i := 0; i < 300 && len(c) > 0; i++ {
			m := append([]byte(nil), c...)
			m[r.IntN(len(m))] ^= byte(1 + r.IntN(255))
			agree(m)
		}
		_ = name
	}
}
