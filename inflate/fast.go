package inflate

import (
	"encoding/binary"
	"unsafe"
)

// fastCodes decodes symbols of one Huffman-coded block while at least 8
// input bytes remain to load and the output has room for the longest match
// plus 16 bytes; it returns the output position and whether the block's end
// was decoded. The caller's general loop finishes the block otherwise.
//
// Every refill is one unaligned 8-byte load, so the bit buffer holds 64 bits
// of the stream right after it, of which nb (at least 56) are counted; the
// bits above nb are the stream's next bits. A symbol consumes at most 48
// bits after a refill (length code and extra bits 20, distance 28), so the
// buffer still holds at least 16 real bits, more than a primary table
// lookup needs: the next literal/length entry is looked up as soon as the
// current symbol's bits are consumed, before the refill and the copy, which
// takes the refill off the chain from one table lookup to the next. Up to
// three literal entries (each at most 11 bits) are decoded per refill.
//
// The loop's loads and stores go through load64, store64 and store16,
// which do not check bounds: the loop's own conditions are the bounds, and
// they hold for every access. Each input load reads src[pos:pos+8] with
// pos <= len(src)-8 (checked before the loop and by its condition). Each
// iteration starts with out < len(dst)-274 and writes at most 6 literal
// bytes (as 2-byte stores) or one match: a match's stores end by
// out+258+8 and its loads start at out-dist >= 0 (a larger distance is an
// error before any copy). The tables are still indexed with checks. With
// the compiler's checks, the loop decoded 690-720 MB of MTX text per CPU
// second; without them 770-800 (BenchmarkGzip, 2026-12-03). FuzzDecode and
// FuzzGzip hold it to compress/flate and compress/gzip; TestDecodeStaysInBounds
// decodes into and from buffers that end (and start) at inaccessible pages.
func (d *Decoder) fastCodes(dst []byte, out int, lt *[litSize]uint32, dt *[distSize]uint32) (int, bool, error) {
	src := d.src
	pos, bits, nb := d.pos, d.bits, d.nb
	srcEnd := len(src) - 8
	fastEnd := len(dst) - 258 - 16
	if d.pad != 0 || pos > srcEnd || out >= fastEnd {
		return out, false, nil
	}
	const litMask = 1<<litBits - 1
	sp, dp := unsafe.Pointer(unsafe.SliceData(src)), unsafe.Pointer(unsafe.SliceData(dst))
	// Shift counts are masked with 63 (every count here is below 64) so
	// that the compiler emits plain shifts.
	bits |= load64(sp, pos) << (nb & 63)
	pos += int((63 - nb) >> 3)
	nb |= 56
	e := lt[bits&litMask]
	done := false
	bad := ""
	for pos <= srcEnd && out < fastEnd {
		bits |= load64(sp, pos) << (nb & 63)
		pos += int((63 - nb) >> 3)
		nb |= 56
		if e&fLit != 0 {
			bits >>= e & 63
			nb -= uint(e & 0xff)
			store16(dp, out, uint16(e>>16))
			out += 1 + int(e>>fTwoShift&1)
			e = lt[bits&litMask]
			if e&fLit == 0 {
				continue
			}
			bits >>= e & 63
			nb -= uint(e & 0xff)
			store16(dp, out, uint16(e>>16))
			out += 1 + int(e>>fTwoShift&1)
			e = lt[bits&litMask]
			if e&fLit == 0 {
				continue
			}
			bits >>= e & 63
			nb -= uint(e & 0xff)
			store16(dp, out, uint16(e>>16))
			out += 1 + int(e>>fTwoShift&1)
			e = lt[bits&litMask]
			continue
		}
		if e&(fSub|fEOB) != 0 {
			if e&fSub != 0 {
				if e&fEOB != 0 {
					bad = "bad literal/length code"
					break
				}
				e = lt[e>>16+uint32(bits>>litBits)&(1<<(e>>8&15)-1)]
				if e&fLit != 0 {
					bits >>= e & 63
					nb -= uint(e & 0xff)
					dst[out] = byte(e >> 16)
					out++
					e = lt[bits&litMask]
					continue
				}
			}
			if e&(fSub|fEOB) != 0 {
				if e&fSub != 0 {
					bad = "bad literal/length code"
					break
				}
				bits >>= e & 63
				nb -= uint(e & 0xff)
				done = true
				break
			}
		}
		// A match: length, then distance.
		saved := bits
		bits >>= e & 63
		nb -= uint(e & 0xff)
		length := int(e>>16) + int((saved&(1<<(e&63)-1))>>(e>>8&15))
		de := dt[bits&(1<<distBits-1)]
		if de&fSub != 0 {
			if de&fEOB != 0 {
				bad = "bad distance code"
				break
			}
			de = dt[de>>16+uint32(bits>>distBits)&(1<<(de>>8&15)-1)]
			if de&(fSub|fEOB) != 0 {
				bad = "bad distance code"
				break
			}
		}
		saved = bits
		bits >>= de & 63
		nb -= uint(de & 0xff)
		dist := int(de>>16) + int((saved&(1<<(de&63)-1))>>(de>>8&15))
		e = lt[bits&litMask]
		if dist > out {
			bad = "distance too far back"
			break
		}
		// The same copy as in codes, written out in both loops on purpose:
		// as a function it is not inlined (cost 119 > 80) and the call cost
		// 15-20 % of the decode rate on real chunks (BenchmarkInflate,
		// 2026-12-03).
		// Copy 8 bytes at a time, past the match's end if need be (the
		// margin before fastEnd allows it). A distance under 8 advances by
		// the distance, so each load reads bytes already written; a
		// distance of 1 is a run of one byte.
		from := out - dist
		end := out + length
		switch {
		case dist >= 8:
			// Most matches are short: two words without a loop.
			store64(dp, out, load64(dp, from))
			store64(dp, out+8, load64(dp, from+8))
			out += 16
			from += 16
			for out < end {
				store64(dp, out, load64(dp, from))
				out += 8
				from += 8
			}
		case dist == 1:
			v := uint64(dst[from]) * 0x0101010101010101
			for out < end {
				store64(dp, out, v)
				out += 8
			}
		default:
			for out < end {
				store64(dp, out, load64(dp, from))
				out += dist
				from += dist
			}
		}
		out = end
	}
	d.pos, d.bits, d.nb = pos, bits, nb
	if bad != "" {
		return out, false, d.corrupt(bad)
	}
	return out, done, nil
}

// load64 reads the 8 bytes at p+i, little-endian; store64 and store16 write
// them. The caller keeps i in bounds (fastCodes).
func load64(p unsafe.Pointer, i int) uint64 {
	return binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, i))[:])
}

func store64(p unsafe.Pointer, i int, v uint64) {
	binary.LittleEndian.PutUint64((*[8]byte)(unsafe.Add(p, i))[:], v)
}

func store16(p unsafe.Pointer, i int, v uint16) {
	binary.LittleEndian.PutUint16((*[2]byte)(unsafe.Add(p, i))[:], v)
}
