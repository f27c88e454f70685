package formats

import (
	"os"
	"strconv"
	"testing"
)

// BenchmarkReadAheadRing: LSC_BENCH_GZ=FILE (a large gzip text file, as
// bench/gen's matrix.mtx.gz) read through OpenText with rings of 8-64
// buffers, by a reader that loads a byte of every 8 as it goes (as a
// parser reads the text on the other core). MB/s is text per second of
// wall time; the inflating goroutine is the bound, so a slower rate is a
// slower inflate (bench/README.md, "Where the MTX job's time went").
func BenchmarkReadAheadRing(b *testing.B) {
	path := os.Getenv("LSC_BENCH_GZ")
	if path == "" {
		b.Skip("set LSC_BENCH_GZ to a gzip text file")
	}
	defer func(r int) { aheadRing = r }(aheadRing)
	for _, ring := range []int{8, 16, 32, 64} {
		b.Run(strconv.Itoa(ring), func(b *testing.B) {
			aheadRing = ring
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
