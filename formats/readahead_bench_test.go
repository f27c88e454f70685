package formats

import (
	"fmt"
	"os"
	"testing"
)

// BenchmarkReadAheadRing: LSC_BENCH_GZ=FILE (a large gzip text file, as
// bench/gen's matrix.mtx.gz) read through OpenText with rings of 8-16
// buffers of 1-4 MiB, by a reader that loads a byte of every 8 as it goes (as a
// parser reads the text on the other core). MB/s is text per second of
// wall time; the inflating goroutine is the bound, so a slower rate is a
// slower inflate (bench/README.md, "Where the MTX job's time went").
func BenchmarkReadAheadRing(b *testing.B) {
	path := os.Getenv("LSC_BENCH_GZ")
	if path == "" {
		b.Skip("set LSC_BENCH_GZ to a gzip text file")
	}
	defer func(r int, s int64) { aheadRing, aheadBuf = r, s }(aheadRing, aheadBuf)
	for _, c := range []struct{ ring, mib int }{{16, 1}, {8, 4}, {12, 4}, {16, 4}} {
		b.Run(fmt.Sprintf("%dx%dMiB", c.ring, c.mib), func(b *testing.B) {
			aheadRing, aheadBuf = c.ring, int64(c.mib)<<20
			var n int64
			var sum byte
			for range b.N {
				rc, err := OpenText(path)
				if err != nil {
					b.Fatal(err)
				}
				ra := rc.(*readAhead)
				n = 0
				for {
					blk, err := ra.next()
					if err != nil {
						break
					}
					for i := 0; i < len(blk); i += 8 {
						sum += blk[i]
					}
					n += int64(len(blk))
				}
				rc.Close()
			}
			b.SetBytes(n)
			_ = sum
		})
	}
}
