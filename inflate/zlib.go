package inflate

import (
	"encoding/binary"
	"fmt"
	"io"
)

// DecodeZlib inflates the zlib stream (RFC 1950) src into dst, checks its
// Adler-32 and returns the bytes written. Data after the checksum is ignored.
func DecodeZlib(dst, src []byte) (int, error) {
	var d Decoder
	return d.DecodeZlib(dst, src)
}

// DecodeZlib is the function DecodeZlib using d's tables.
func (d *Decoder) DecodeZlib(dst, src []byte) (int, error) {
	if len(src) < 2 {
		return 0, fmt.Errorf("inflate: %w in the zlib header", io.ErrUnexpectedEOF)
	}
	cmf, flg := src[0], src[1]
	if cmf&15 != 8 || cmf>>4 > 7 || (uint(cmf)<<8|uint(flg))%31 != 0 {
		return 0, fmt.Errorf("%w: not a zlib header (%#x %#x)", ErrCorrupt, cmf, flg)
	}
	if flg&0x20 != 0 {
		return 0, fmt.Errorf("%w: zlib preset dictionary not supported", ErrCorrupt)
	}
	n, read, err := d.Decode(dst, src[2:])
	if err != nil {
		return n, err
	}
	read += 2
	if read+4 > len(src) {
		return n, fmt.Errorf("inflate: %w in the zlib checksum", io.ErrUnexpectedEOF)
	}
	if binary.BigEndian.Uint32(src[read:]) != adler32Sum(dst[:n]) {
		return n, ErrChecksum
	}
	return n, nil
}
