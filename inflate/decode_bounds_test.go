package inflate

import (
	"bytes"
	"compress/flate"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/lsc-bio/lsc/internal/guardpage"
)

// The decoder's fast loop loads and stores without bounds checks (fast.go):
// on random streams it reads nothing past the end of its input and writes
// and reads nothing outside its output. Both are sized exactly and end at
// (the output also starts at) an inaccessible page on Linux (guardpage), so
// an access out of bounds faults. The output equals compress/flate's input.
func TestDecodeStaysInBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for trial := 0; trial < 300; trial++ {
		data := guardTestData(r)
		var z bytes.Buffer
		level := []int{flate.HuffmanOnly, flate.BestSpeed, 6, flate.BestCompression}[r.IntN(4)]
		w, _ := flate.NewWriter(&z, level)
		w.Write(data)
		w.Close()
		src := guardpage.Buf(t, z.Len(), false)
		copy(src, z.Bytes())
		for _, before := range []bool{false, true} {
			dst := guardpage.Buf(t, len(data), before)
			n, read, err := Decode(dst, src)
			if err != nil || n != len(data) || read != len(src) || !bytes.Equal(dst[:n], data) {
				t.Fatalf("trial %d (level %d, %d bytes, guard before %v): n %d of %d, read %d of %d, err %v", trial, level, len(data), before, n, len(data), read, len(src), err)
			}
		}
	}
}

// guardTestData draws inputs that exercise literals, short and long matches
// and far distances: random bytes, MTX-like text, and runs.
func guardTestData(r *rand.Rand) []byte {
	var b bytes.Buffer
	n := 1 + r.IntN(200000)
	for b.Len() < n {
		switch r.IntN(4) {
		case 0:
			for range 1 + r.IntN(300) {
				b.WriteByte(byte(r.IntN(256)))
			}
		case 1:
			for range 1 + r.IntN(200) {
				fmt.Fprintf(&b, "%d %d %d\n", 1+r.IntN(30000), 1+r.IntN(10000), 1+r.IntN(20))
			}
		case 2:
			b.Write(bytes.Repeat([]byte{byte(r.IntN(256))}, 1+r.IntN(2000)))
		case 3:
			if b.Len() > 0 { // a copy of something earlier, up to 32 KiB back
				from := max(0, b.Len()-1-r.IntN(32768))
				k := min(1+r.IntN(300), b.Len()-from)
				b.Write(append([]byte(nil), b.Bytes()[from:from+k]...))
			}
		}
	}
	return b.Bytes()[:n]
}
