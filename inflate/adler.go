package inflate

import "encoding/binary"

// adler32Sum returns the Adler-32 checksum of p (RFC 1950 section 8.2), the
// value hash/adler32.Checksum gives, 16 bytes per step: with s1 the running
// byte sum and s2 the sum of the s1s, 16 bytes b0..b15 add sum(b) to s1 and
// 16*s1 + sum((16-i)*b_i) to s2. The bytes of a word are split into even and
// odd 16-bit lanes and the lanes summed, or weighted, by one multiplication
// each: the top lane of a product collects sum(lane_i * c_(3-i)), and no lane
// carries into the next (each stays below 2^16). Sums are kept in 64 bits
// and reduced modulo 65521 every 4 MB, far before they could overflow.
func adler32Sum(p []byte) uint32 {
	const (
		mod   = 65521
		lanes = 0x00FF00FF00FF00FF
		ones  = 0x0001000100010001
		wEven = 0x0008000600040002 // bytes 0, 2, 4, 6 of a word weigh 8, 6, 4, 2
		wOdd  = 0x0007000500030001 // bytes 1, 3, 5, 7 weigh 7, 5, 3, 1
	)
	s1, s2 := uint64(1), uint64(0)
	for len(p) > 0 {
		q := p[:min(len(p), 1<<22)]
		p = p[len(q):]
		for len(q) >= 16 {
			a, b := binary.LittleEndian.Uint64(q), binary.LittleEndian.Uint64(q[8:])
			ae, ao := a&lanes, a>>8&lanes
			be, bo := b&lanes, b>>8&lanes
			sa := (ae + ao) * ones >> 48
			sb := (be + bo) * ones >> 48
			s2 += 16*s1 + 8*sa + (ae*wEven)>>48 + (ao*wOdd)>>48 + (be*wEven)>>48 + (bo*wOdd)>>48
			s1 += sa + sb
			q = q[16:]
		}
		for _, c := range q {
			s1 += uint64(c)
			s2 += s1
		}
		s1 %= mod
		s2 %= mod
	}
	return uint32(s2<<16 | s1)
}
