package inflate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Errors returned by Decode and DecodeZlib (wrapped with the byte offset in
// the input where the problem was seen).
var (
	// ErrCorrupt: the input is not valid DEFLATE (or zlib) data.
	ErrCorrupt = errors.New("inflate: corrupt input")
	// ErrShortBuffer: the decoded data does not fit in the output buffer.
	ErrShortBuffer = errors.New("inflate: output buffer too small")
	// ErrChecksum: zlib data whose Adler-32, or a gzip member whose CRC-32
	// or length, does not match what was decoded.
	ErrChecksum = errors.New("inflate: checksum mismatch")
)

// A Decoder holds the tables of one decoding; reuse one (not concurrently)
// to save their allocation. The zero value is ready.
type Decoder struct {
	lit  [litSize]uint32
	dist [distSize]uint32
	pre  [preSize]uint32
	lens [286 + 30]uint8

	src  []byte
	pos  int    // next byte of src to load into bits
	bits uint64 // bit buffer, next bit lowest; bits above nb are the stream's next bits or 0
	nb   uint   // valid bits in bits
	pad  int    // zero bytes loaded past the end of src
	base int64  // offset of src[0] in the whole input (errors); GzipReader's window
}

// Decode inflates the raw DEFLATE stream at the start of src into dst and
// returns the bytes written and the bytes of src read (up to the end of the
// final block, rounded up to a whole byte). Bytes of dst past n may have been
// overwritten. The output must fit in dst (ErrShortBuffer otherwise).
func Decode(dst, src []byte) (n, read int, err error) {
	var d Decoder
	return d.Decode(dst, src)
}

// Decode is the function Decode using d's tables.
func (d *Decoder) Decode(dst, src []byte) (n, read int, err error) {
	d.src, d.pos, d.bits, d.nb, d.pad, d.base = src, 0, 0, 0, 0, 0
	defer func() { d.src = nil }()
	out := 0
	for {
		v, err := d.take(3)
		if err != nil {
			return out, 0, err
		}
		final := v&1 != 0
		switch v >> 1 {
		case 0:
			if out, err = d.stored(dst, out); err != nil {
				return out, 0, err
			}
		case 1:
			if out, err = d.codes(dst, out, &fixedLit, &fixedDist); err != nil {
				return out, 0, err
			}
		case 2:
			if err = d.dynamic(); err != nil {
				return out, 0, err
			}
			if out, err = d.codes(dst, out, &d.lit, &d.dist); err != nil {
				return out, 0, err
			}
		default:
			return out, 0, d.corrupt("reserved block type")
		}
		if final {
			break
		}
	}
	return out, d.pos - int(d.nb/8) + d.pad, nil
}

func (d *Decoder) corrupt(what string) error {
	return fmt.Errorf("%w: %s near input byte %d", ErrCorrupt, what, d.base+int64(d.offset()))
}

func (d *Decoder) offset() int { return d.pos - int(d.nb/8) + d.pad }

// refill loads whole bytes until at least 56 bits are held, zeros past the
// end of the input (counted in pad, checked by check).
func (d *Decoder) refill() {
	if d.pos+8 <= len(d.src) {
		d.bits |= binary.LittleEndian.Uint64(d.src[d.pos:]) << d.nb
		d.pos += int((63 - d.nb) >> 3)
		d.nb |= 56
		return
	}
	for d.nb <= 56 {
		if d.pos < len(d.src) {
			d.bits |= uint64(d.src[d.pos]) << d.nb
			d.pos++
		} else {
			d.pad++
		}
		d.nb += 8
	}
}

// check reports truncated input when bits past the end have been consumed.
func (d *Decoder) check() error {
	if d.pad > 0 && int(d.nb) < 8*d.pad {
		return fmt.Errorf("inflate: %w after %d input bytes", io.ErrUnexpectedEOF, d.base+int64(len(d.src)))
	}
	return nil
}

// take consumes n <= 32 bits.
func (d *Decoder) take(n uint) (uint32, error) {
	if d.nb < n {
		d.refill()
	}
	v := uint32(d.bits & (1<<n - 1))
	d.bits >>= n
	d.nb -= n
	return v, d.check()
}

func (d *Decoder) stored(dst []byte, out int) (int, error) {
	// Drop to a byte boundary and give back the whole bytes held.
	d.nb -= d.nb & 7
	back := int(d.nb/8) - d.pad
	if back < 0 {
		return out, d.check()
	}
	d.pos -= back
	d.bits, d.nb, d.pad = 0, 0, 0
	if d.pos+4 > len(d.src) {
		return out, fmt.Errorf("inflate: %w in a stored block header at input byte %d", io.ErrUnexpectedEOF, d.base+int64(d.pos))
	}
	n := int(binary.LittleEndian.Uint16(d.src[d.pos:]))
	if uint16(n) != ^binary.LittleEndian.Uint16(d.src[d.pos+2:]) {
		return out, d.corrupt("stored block length and its complement differ")
	}
	d.pos += 4
	if d.pos+n > len(d.src) {
		return out, fmt.Errorf("inflate: %w in a stored block at input byte %d", io.ErrUnexpectedEOF, d.base+int64(d.pos))
	}
	if out+n > len(dst) {
		return out + copy(dst[out:], d.src[d.pos:d.pos+n]), ErrShortBuffer
	}
	copy(dst[out:], d.src[d.pos:d.pos+n])
	d.pos += n
	return out + n, nil
}

var lengthOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// dynamic reads a dynamic block's code lengths and builds its tables.
func (d *Decoder) dynamic() error {
	h, err := d.take(14)
	if err != nil {
		return err
	}
	nlit, ndist, nclen := int(h&31)+257, int(h>>5&31)+1, int(h>>10)+4
	if nlit > 286 || ndist > 30 {
		return d.corrupt("too many literal/length or distance codes")
	}
	var cl [19]uint8
	for i := 0; i < nclen; i++ {
		v, err := d.take(3)
		if err != nil {
			return err
		}
		cl[lengthOrder[i]] = uint8(v)
	}
	if !build(d.pre[:], cl[:], preBits, preTemplates[:]) {
		return d.corrupt("bad code length code")
	}
	lens := d.lens[:nlit+ndist]
	for i := 0; i < len(lens); {
		if d.nb < 16 {
			d.refill()
		}
		e := d.pre[d.bits&(1<<preBits-1)]
		if e&invalid != 0 {
			return d.corrupt("bad code length symbol")
		}
		d.bits >>= e & 0xff
		d.nb -= uint(e & 0xff)
		if err := d.check(); err != nil {
			return err
		}
		sym := e >> 16
		if sym < 16 {
			lens[i] = uint8(sym)
			i++
			continue
		}
		var rep int
		var v uint8
		switch sym {
		case 16:
			if i == 0 {
				return d.corrupt("repeat with no previous length")
			}
			r, err := d.take(2)
			if err != nil {
				return err
			}
			rep, v = 3+int(r), lens[i-1]
		case 17:
			r, err := d.take(3)
			if err != nil {
				return err
			}
			rep = 3 + int(r)
		default:
			r, err := d.take(7)
			if err != nil {
				return err
			}
			rep = 11 + int(r)
		}
		if i+rep > len(lens) {
			return d.corrupt("code lengths repeat past the end")
		}
		for ; rep > 0; rep-- {
			lens[i] = v
			i++
		}
	}
	if !build(d.lit[:], lens[:nlit], litBits, litTemplates[:]) {
		return d.corrupt("bad literal/length code")
	}
	if !build(d.dist[:], lens[nlit:], distBits, distTemplates[:]) {
		return d.corrupt("bad distance code")
	}
	// Pair literals only if two literal codes can fit in the primary bits
	// (the pass costs as much as the table build; index streams, whose
	// literals are rare and long, never have a pair).
	short := uint8(maxLen)
	for _, n := range lens[:256] {
		if n != 0 && n < short {
			short = n
		}
	}
	if 2*uint(short) <= litBits {
		pairLiterals(&d.lit, lens[:nlit])
	}
	return nil
}

// codes decodes one Huffman-coded block into dst from out: fastCodes while
// the input and output are far from their ends, then the general loop.
//
// The general loop keeps the bit buffer and positions in locals. While at
// least 8 input bytes remain the refill is one unaligned load; while the
// output has room for the longest match plus 8 bytes, literals and matches
// are written without bounds on their length, matches 8 bytes at a time.
func (d *Decoder) codes(dst []byte, out int, lt *[litSize]uint32, dt *[distSize]uint32) (int, error) {
	out, done, err := d.fastCodes(dst, out, lt, dt)
	if done || err != nil {
		return out, err
	}
	src := d.src
	pos, bits, nb, pad := d.pos, d.bits, d.nb, d.pad
	fastEnd := len(dst) - 258 - 8
	for {
		// Refill to at least 56 bits: enough for a length with its extra
		// bits (20) and a distance with its extra bits (28). Shift counts
		// are masked with 63 so that the compiler emits plain shifts.
		if pos+8 <= len(src) {
			bits |= binary.LittleEndian.Uint64(src[pos:]) << (nb & 63)
			pos += int((63 - nb) >> 3)
			nb |= 56
		} else {
			for nb <= 56 {
				if pos < len(src) {
					bits |= uint64(src[pos]) << (nb & 63)
					pos++
				} else {
					pad++
				}
				nb += 8
			}
		}
		e := lt[bits&(1<<litBits-1)]
		if e&fLit != 0 && out < fastEnd {
			// Runs of literals, two per entry where their codes fit,
			// while the buffer holds a whole code (15 bits).
			for {
				n := e & 0xff
				bits >>= n & 63
				nb -= uint(n)
				dst[out] = byte(e >> 16)
				dst[out+1] = byte(e >> 24)
				out += 1 + int(e>>13&1)
				if nb < 15 || out >= fastEnd {
					break
				}
				e = lt[bits&(1<<litBits-1)]
				if e&fLit == 0 {
					break
				}
			}
			if pad > 0 && int(nb) < 8*pad {
				err = io.ErrUnexpectedEOF
				break
			}
			if e&fLit != 0 || nb < 15 || out >= fastEnd {
				continue
			}
			// e is the next entry, not a literal: refill for the match.
			if pos+8 <= len(src) {
				bits |= binary.LittleEndian.Uint64(src[pos:]) << (nb & 63)
				pos += int((63 - nb) >> 3)
				nb |= 56
			} else {
				continue
			}
		}
		if e&fSub != 0 && e&fEOB == 0 {
			e = lt[e>>16+uint32(bits>>litBits)&(1<<(e>>8&15)-1)]
		}
		if e&fLit != 0 {
			n := e & 0xff
			bits >>= n & 63
			nb -= uint(n)
			if out >= len(dst) {
				err = ErrShortBuffer
				break
			}
			dst[out] = byte(e >> 16)
			out++
			if e&fTwo != 0 {
				if out >= len(dst) {
					err = ErrShortBuffer
					break
				}
				dst[out] = byte(e >> 24)
				out++
			}
			if pad > 0 && int(nb) < 8*pad {
				err = io.ErrUnexpectedEOF
				break
			}
			continue
		}
		if e&(fSub|fEOB) != 0 {
			if e&fSub != 0 {
				err = ErrCorrupt
				break
			}
			n := e & 0xff
			bits >>= n & 63
			nb -= uint(n)
			if pad > 0 && int(nb) < 8*pad {
				err = io.ErrUnexpectedEOF
			}
			break
		}
		// A match: length, then distance.
		saved := bits
		n := e & 0xff
		bits >>= n & 63
		nb -= uint(n)
		length := int(e>>16) + int(saved>>(e>>8&15)&(1<<((n-e>>8&15)&63)-1))
		e = dt[bits&(1<<distBits-1)]
		if e&fSub != 0 && e&fEOB == 0 {
			e = dt[e>>16+uint32(bits>>distBits)&(1<<(e>>8&15)-1)]
		}
		if e&(fSub|fEOB) != 0 {
			err = ErrCorrupt
			break
		}
		saved = bits
		n = e & 0xff
		bits >>= n & 63
		nb -= uint(n)
		dist := int(e>>16) + int(saved>>(e>>8&15)&(1<<((n-e>>8&15)&63)-1))
		if pad > 0 && int(nb) < 8*pad {
			err = io.ErrUnexpectedEOF
			break
		}
		if dist > out {
			err = ErrCorrupt
			break
		}
		if out < fastEnd {
			// Copy 8 bytes at a time, past the match's end if need be
			// (the margin before fastEnd allows it). A distance under 8
			// advances by the distance, so each load reads bytes already
			// written; a distance of 1 is a run of one byte.
			from := out - dist
			end := out + length
			switch {
			case dist >= 8:
				// Most matches are short: two words without a loop.
				binary.LittleEndian.PutUint64(dst[out:], binary.LittleEndian.Uint64(dst[from:]))
				binary.LittleEndian.PutUint64(dst[out+8:], binary.LittleEndian.Uint64(dst[from+8:]))
				out += 16
				from += 16
				for out < end {
					binary.LittleEndian.PutUint64(dst[out:], binary.LittleEndian.Uint64(dst[from:]))
					out += 8
					from += 8
				}
			case dist == 1:
				v := uint64(dst[from]) * 0x0101010101010101
				for out < end {
					binary.LittleEndian.PutUint64(dst[out:], v)
					out += 8
				}
			default:
				for out < end {
					binary.LittleEndian.PutUint64(dst[out:], binary.LittleEndian.Uint64(dst[from:]))
					out += dist
					from += dist
				}
			}
			out = end
			continue
		}
		if out+length > len(dst) {
			err = ErrShortBuffer
			break
		}
		from := out - dist
		for i := 0; i < length; i++ {
			dst[out+i] = dst[from+i]
		}
		out += length
	}
	d.pos, d.bits, d.nb, d.pad = pos, bits, nb, pad
	switch err {
	case nil:
		return out, nil
	case ErrCorrupt:
		return out, d.corrupt("bad literal/length or distance code or distance too far back")
	case io.ErrUnexpectedEOF:
		return out, fmt.Errorf("inflate: %w after %d input bytes", err, d.base+int64(len(src)))
	}
	return out, err
}
