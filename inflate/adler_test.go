package inflate

import (
	"bytes"
	"hash/adler32"
	"math/rand/v2"
	"testing"
)

// adler32Sum gives hash/adler32's checksum (the reference) on random data of
// every length up to 300 bytes and at random offsets, on long runs of 0xff
// (the largest sums, past the 4 MB reduction span) and of zeros.
func TestAdler32IsHashAdler32(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	buf := make([]byte, 1<<16)
	for i := range buf {
		buf[i] = byte(r.Uint32())
	}
	for n := 0; n <= 300; n++ {
		for k := 0; k < 8; k++ {
			at := r.IntN(len(buf) - n)
			p := buf[at : at+n]
			if got, want := adler32Sum(p), adler32.Checksum(p); got != want {
				t.Fatalf("%d bytes at %d: %#x, hash/adler32 %#x", n, at, got, want)
			}
		}
	}
	for _, p := range [][]byte{buf, bytes.Repeat([]byte{0xff}, 9<<20+13), make([]byte, 5<<20+7)} {
		if got, want := adler32Sum(p), adler32.Checksum(p); got != want {
			t.Fatalf("%d bytes: %#x, hash/adler32 %#x", len(p), got, want)
		}
	}
}

func BenchmarkAdler32(b *testing.B) {
	p := make([]byte, 317384)
	for i := range p {
		p[i] = byte(i * 7 >> 3)
	}
	b.Run("lsc", func(b *testing.B) {
		b.SetBytes(int64(len(p)))
		for i := 0; i < b.N; i++ {
			adler32Sum(p)
		}
	})
	b.Run("hash/adler32", func(b *testing.B) {
		b.SetBytes(int64(len(p)))
		for i := 0; i < b.N; i++ {
			adler32.Checksum(p)
		}
	})
}

// FuzzAdler32: adler32Sum equals hash/adler32 on any input, read from any
// offset (the 96-byte spans and the byte tail meet everywhere).
func FuzzAdler32(f *testing.F) {
	f.Add([]byte("Wikipedia"), uint8(0))
	f.Add(bytes.Repeat([]byte{0xff}, 1000), uint8(3))
	f.Add(make([]byte, 200), uint8(95))
	f.Fuzz(func(t *testing.T, p []byte, skip uint8) {
		if int(skip) <= len(p) {
			p = p[skip:]
		}
		if got, want := adler32Sum(p), adler32.Checksum(p); got != want {
			t.Fatalf("%d bytes: %#x, hash/adler32 %#x", len(p), got, want)
		}
	})
}
