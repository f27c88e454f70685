package inflate_test

import (
	"bytes"
	"compress/zlib"
	"fmt"

	"github.com/lsc-bio/lsc/inflate"
)

// An HDF5 chunk's decoded size is known from the dataset, so it is inflated
// whole into a buffer of that size.
func ExampleDecodeZlib() {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write([]byte("CD34 CD34 CD34 CD38"))
	w.Close()

	out := make([]byte, 19)
	n, err := inflate.DecodeZlib(out, buf.Bytes())
	fmt.Println(n, err, string(out[:n]))
	// Output: 19 <nil> CD34 CD34 CD34 CD38
}
