package hdf5x

import "errors"

// lzfDecompress inflates an LZF block (Marc Lehmann's liblzf format, as
// h5py's "lzf" filter, id 32000, writes it) into exactly outLen bytes.
func lzfDecompress(in []byte, outLen int) ([]byte, error) {
	out := make([]byte, 0, outLen)
	for ip := 0; ip < len(in); {
		ctrl := int(in[ip])
		ip++
		if ctrl < 32 {
			n := ctrl + 1
			if ip+n > len(in) || len(out)+n > outLen {
				return nil, errors.New("lzf: literal run past the end")
			}
			out = append(out, in[ip:ip+n]...)
			ip += n
			continue
		}
		n := ctrl >> 5
		if n == 7 {
			if ip >= len(in) {
				return nil, errors.New("lzf: truncated")
			}
			n += int(in[ip])
			ip++
		}
		if ip >= len(in) {
			return nil, errors.New("lzf: truncated")
		}
		ref := len(out) - ((ctrl & 0x1f) << 8) - 1 - int(in[ip])
		ip++
		n += 2
		if ref < 0 || len(out)+n > outLen {
			return nil, errors.New("lzf: back reference out of range")
		}
		for k := 0; k < n; k++ { // may overlap: byte by byte
			out = append(out, out[ref+k])
		}
	}
	if len(out) != outLen {
		return nil, errors.New("lzf: wrong decompressed size")
	}
	return out, nil
}
