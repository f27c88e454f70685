package inflate

import "encoding/binary"

// adler32Sum returns the Adler-32 checksum of p (RFC 1950 section 8.2), the
// value hash/adler32.Checksum gives, without a multiplication in its inner
// loop. Over a span of N bytes x_0..x_(N-1), the running sums move as
//
//	s1 += sum(x_t)
//	s2 += N*s1 + sum((N-t) * x_t)
//
// The span is read 8 bytes a word, each word split into its even and odd
// bytes in 16-bit lanes (no lane carries into the next). Per word, A (the
// lanes' running byte sums), O (the odd bytes' running sums) and Q (the sum
// of A after each word) are added to; for K words, sum((N-t) * x_t) is
// 8*sum(Q) - (2*sum_j j*A_j + sum(O)), as byte t = 8k+p of word k weighs
// 8(K-k) - p and sum over k of (K-k)*S_k is sum(Q). Spans are 12 words (96
// bytes), so no lane of Q passes 510*78 < 2^16; at the end of a span the
// lanes are summed, by multiplications where the sums stay below 2^16. The
// sums are kept in 64 bits and reduced modulo 65521 every 4 MB.
func adler32Sum(p []byte) uint32 {
	const (
		mod   = 65521
		lanes = 0x00FF00FF00FF00FF
		ones  = 0x0001000100010001
		rank  = 0x0000000100020003 // lane j of x weighs j in the top lane of x*rank
		lo32  = 0x0000FFFF0000FFFF
		span  = 96
	)
	s1, s2 := uint64(1), uint64(0)
	for len(p) > 0 {
		q := p[:min(len(p), 1<<22)]
		p = p[len(q):]
		for len(q) >= span {
			var a, o, qq uint64
			for k := 0; k < span; k += 16 {
				w := binary.LittleEndian.Uint64(q[k:])
				we, wo := w&lanes, w>>8&lanes
				a += we + wo
				o += wo
				qq += a
				v := binary.LittleEndian.Uint64(q[k+8:])
				ve, vo := v&lanes, v>>8&lanes
				a += ve + vo
				o += vo
				qq += a
			}
			sq := qq&lo32 + qq>>16&lo32
			sq = sq&0xFFFFFFFF + sq>>32
			s2 += span*s1 + 8*sq - (2*((a*rank)>>48) + (o*ones)>>48)
			s1 += (a * ones) >> 48
			q = q[span:]
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
