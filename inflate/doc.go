// Package inflate decodes DEFLATE (RFC 1951) and zlib (RFC 1950) data held
// whole in memory into an output buffer of known size, as HDF5 chunks are:
// the chunk's decoded size is fixed by the dataset, so no streaming state,
// window or growing buffer is needed.
//
// The decoder follows the techniques of libdeflate (Eric Biggers,
// https://github.com/ebiggers/libdeflate, lib/deflate_decompress.c, v1.19):
// whole-buffer decoding; a 64-bit bit buffer refilled without a branch
// (whole bytes ORed in, so the bits above the count are always the stream's
// next bits); one table lookup per symbol whose entry carries everything the
// decoder needs (the bits to consume, the length or distance base and the
// number of extra bits); and matches copied eight bytes at a time, allowed to
// write past their end because the fast loop keeps a margin before the end of
// the output. Two literals whose codes fit together in the 11-bit primary table
// share one entry (a multi-symbol table, as in zlib-ng's and Sean Barrett's
// decoders), so runs of literals are decoded two at a time (15-25% faster on
// HDF5 index and count chunks). The Adler-32 of zlib streams (RFC 1950 section
// 8.2) is summed 16 bytes per step by multiplications on 16-bit lanes (the
// weighted-sum form of the checksum, as libdeflate's and zlib-ng's vector
// versions use; adler.go), checked against hash/adler32.
//
// Validity follows Go's compress/flate: the same streams are accepted
// (including the degenerate one-code-of-length-one Huffman codes zlib
// accepts) and every stream it rejects is rejected. Tests compare the output
// with compress/flate and github.com/klauspost/compress on every deflate
// chunk of the HDF5 files in ../shared/testdata and on random and fuzzed
// inputs.
package inflate
