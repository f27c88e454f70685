package inflate

import "math/bits"

// A table entry is one uint32:
//
//	bits  0-7   bits to consume: code length plus extra bits (two code
//	            lengths for a pair of literals)
//	bits  8-11  code length alone (where the extra bits start); for a
//	            subtable pointer, the subtable's index bits
//	bits 12-15  flags
//	bits 16-31  literal byte(s), length or distance base, precode symbol,
//	            or subtable offset
//
// An entry with neither fSub nor fEOB nor fLit is a length (or distance).
const (
	fLit = 1 << 12 // one literal in bits 16-23

	fTwoShift = 13
	fTwo      = 1 << fTwoShift // and a second in bits 24-31
	fSub      = 1 << 14        // pointer to a subtable (code longer than the primary bits)
	fEOB      = 1 << 15        // end of block

	invalid = fSub | fEOB // a bit pattern no code starts with, or a forbidden symbol

	litBits  = 11
	distBits = 8
	preBits  = 7
	maxLen   = 15

	// Table sizes: the primary table and room for every subtable (at most
	// one per code longer than the primary bits, each at most 2^(15-bits)).
	litSize  = 1<<litBits + 288<<(maxLen-litBits)
	distSize = 1<<distBits + 32<<(maxLen-distBits)
	preSize  = 1 << preBits
)

// Per-symbol templates: payload and flags, with the number of extra bits in
// bits 0-7 (the builder turns them into the bits to consume).
var litTemplates, distTemplates, preTemplates [288]uint32

func init() {
	for s := 0; s < 256; s++ {
		litTemplates[s] = fLit | uint32(s)<<16
	}
	litTemplates[256] = fEOB
	base := [...]uint32{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
		35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	extra := [...]uint32{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
		3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	for i := range base {
		litTemplates[257+i] = base[i]<<16 | extra[i]
	}
	litTemplates[286], litTemplates[287] = invalid, invalid
	dbase := [...]uint32{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
		257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	for i := range dbase {
		e := uint32(0)
		if i >= 4 {
			e = uint32(i/2 - 1)
		}
		distTemplates[i] = dbase[i]<<16 | e
	}
	distTemplates[30], distTemplates[31] = invalid, invalid
	for s := range preTemplates {
		preTemplates[s] = uint32(s) << 16
	}
	buildFixed()
}

var fixedLit [litSize]uint32
var fixedDist [distSize]uint32

func buildFixed() {
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	if !build(fixedLit[:], l[:], litBits, litTemplates[:]) {
		panic("inflate: fixed literal/length code")
	}
	pairLiterals(&fixedLit, l[:])
	var d [32]uint8
	for i := range d {
		d[i] = 5
	}
	if !build(fixedDist[:], d[:], distBits, distTemplates[:]) {
		panic("inflate: fixed distance code")
	}
}

// build fills table with the decoding table of the canonical Huffman code
// whose code lengths are lengths (0 = symbol unused): a primary table indexed
// by the next tbits bits of the stream, followed by subtables for longer codes.
// It reports false for a code compress/flate rejects: over-subscribed, or
// incomplete unless it is a single code of length one. An empty code (all
// lengths 0) is accepted and every lookup in it is invalid.
func build(table []uint32, lengths []uint8, tbits uint, tmpl []uint32) bool {
	var count [maxLen + 1]int
	max := 0
	for _, n := range lengths {
		count[n]++
		if int(n) > max {
			max = int(n)
		}
	}
	count[0] = 0
	prim := table[:1<<tbits]
	if max == 0 {
		for i := range prim {
			prim[i] = invalid
		}
		return true
	}
	// Kraft: the code must fill the code space exactly, except one code of
	// length one (zlib's and compress/flate's exception).
	var offs [maxLen + 2]int
	code := 0
	for n := 1; n <= maxLen; n++ {
		code = code<<1 + count[n]
		offs[n+1] = offs[n] + count[n]
	}
	// code now counts the code space used in units of 2^-15.
	if code != 1<<maxLen && !(code == 1<<(maxLen-1) && max == 1) {
		return false
	}
	incomplete := code != 1<<maxLen
	if incomplete {
		for i := range prim {
			prim[i] = invalid
		}
	}
	// Symbols sorted by code length, then by value: their canonical codes
	// are consecutive.
	var sorted [288]uint16
	for s, n := range lengths {
		if n != 0 {
			sorted[offs[n]] = uint16(s)
			offs[n]++
		}
	}
	remaining := count
	next := 1 << tbits // next free subtable slot
	curPrefix, subBits, subOff := -1, uint(0), 0
	code = 0
	i := 0
	for n := uint(1); n <= uint(max); n++ {
		for j := 0; j < count[n]; j++ {
			s := sorted[i]
			i++
			t := tmpl[s]
			extra := t & 0xff
			e := t&^0xff | (uint32(n) + extra) | uint32(n)<<8
			rev := int(bits.Reverse16(uint16(code)) >> (16 - n))
			if n <= tbits {
				for k := rev; k < len(prim); k += 1 << n {
					prim[k] = e
				}
			} else {
				prefix := rev & (1<<tbits - 1)
				if prefix != curPrefix {
					// Size the subtable to the longest code sharing this
					// prefix, counting the code space still unfilled (zlib's
					// inflate_table method).
					subBits = n - tbits
					left := 1 << subBits
					for int(subBits+tbits) < max {
						left -= remaining[subBits+tbits]
						if left <= 0 {
							break
						}
						subBits++
						left <<= 1
					}
					subOff = next
					next += 1 << subBits
					if next > len(table) {
						return false
					}
					curPrefix = prefix
					prim[prefix] = fSub | uint32(subBits)<<8 | uint32(subOff)<<16 | uint32(tbits)
				}
				sub := table[subOff : subOff+1<<subBits]
				for k := rev >> tbits; k < len(sub); k += 1 << (n - tbits) {
					sub[k] = e
				}
			}
			remaining[n]--
			code++
		}
		code <<= 1
	}
	return true
}

// pairLiterals rewrites the primary literal/length table t, built from the
// code lengths lens (literals first), so that an entry whose bits start with
// a literal's code followed by a second literal's code, both within the
// primary bits, decodes both. It visits the pairs of literal codes that fit
// (a and b with len(a)+len(b) <= litBits) and writes their entries, every
// 2^(len(a)+len(b)) from the index whose low bits are a's code then b's
// (codes enter the table bit-reversed, first bit lowest). The pairs number
// at most 2^litBits (Kraft's inequality bounds, for each a, the literals b
// that fit with it by 2^(litBits-len(a)), and only those are visited), so
// the pass costs at most one visit per entry and reads no entries. An
// entry-by-entry pass over the whole table, reading each entry and the one
// for the bits after its literal, cost 4 % of the inflating in the MTX job
// (2026-12-03), its branches being taken at random;
// TestPairLiteralsAsEntryByEntry holds the two to the same tables.
func pairLiterals(t *[litSize]uint32, lens []uint8) {
	var count [maxLen + 1]uint16
	for _, n := range lens {
		count[n]++
	}
	count[0] = 0
	var next [maxLen + 1]uint16
	code := uint16(0)
	for n := 1; n <= maxLen; n++ {
		code = (code + count[n-1]) << 1
		next[n] = code
	}
	// Canonical codes of the literals shorter than the primary bits
	// (symbols below 256 take their codes before every length symbol of
	// the same code length), kept in order of code length: upto[m] is the
	// number of them with a code of at most m bits, so the second code of
	// a pair is looked for only among those that fit.
	var upto [litBits + 1]int
	for _, n := range lens[:256] {
		if n != 0 && n < litBits {
			upto[n]++
		}
	}
	for m := 1; m <= litBits; m++ {
		upto[m] += upto[m-1]
	}
	place := upto // place[n-1]: where the next literal of n bits goes
	var sym [256]uint8
	var ln [256]uint8
	var rev [256]uint16
	for s, n := range lens[:256] {
		if n == 0 {
			continue
		}
		c := next[n]
		next[n]++
		if n < litBits {
			k := place[n-1]
			place[n-1]++
			sym[k], ln[k], rev[k] = uint8(s), n, bits.Reverse16(c)>>(16-n)
		}
	}
	for a := range upto[litBits-1] {
		la := uint(ln[a])
		first := fLit | fTwo | uint32(sym[a])<<16 | uint32(la)<<8
		for b := range upto[litBits-la] {
			lb := uint(ln[b])
			e := first | uint32(sym[b])<<24 | uint32(la+lb)
			step := 1 << (la + lb)
			for i := int(rev[a]) | int(rev[b])<<la; i < 1<<litBits; i += step {
				t[i] = e
			}
		}
	}
}
