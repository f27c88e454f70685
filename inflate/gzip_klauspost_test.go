package inflate

import (
	"bytes"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
)

func benchKlauspost(b *testing.B, c []byte, size int, buf []byte) {
	b.Run("klauspost-gzip", func(b *testing.B) {
		cpuRate(b, size, func() {
			zr, _ := kgzip.NewReader(bytes.NewReader(c))
			for {
				if _, err := zr.Read(buf); err != nil {
					return
				}
			}
		})
	})
}
