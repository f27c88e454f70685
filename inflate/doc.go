// Package inflate decodes DEFLATE (RFC 1951), zlib (RFC 1950) and gzip
// (RFC 1952) data. Decode and DecodeZlib take data held whole in memory and
// an output buffer of known size, as HDF5 chunks are: the chunk's decoded
// size is fixed by the dataset, so no streaming state, window or growing
// buffer is needed. GzipReader streams a gzip file of any size (10x
// matrix.mtx.gz, .tsv.gz, .csv.gz) through the same decoder.
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
// HDF5 index and count chunks); those entries are written pair of codes by
// pair of codes, from the code lengths (pairLiterals). The Adler-32 of
// zlib streams (RFC 1950 section 8.2) is summed on 16-bit lanes of 8-byte
// words with additions only, the weighted sum formed once per 96 bytes
// from running lane sums (the closed form libdeflate's and zlib-ng's
// vector versions use; adler.go), checked against hash/adler32.
//
// Streaming (gzip.go) keeps that decoder as it is. A DEFLATE match reaches at
// most 32 KiB back (RFC 1951 section 2.1), so GzipReader.Fill decodes into a
// large buffer (up to 4 MiB in lsc's text readers) whose first 32 KiB are a
// copy of the last output of the previous buffer: to the decoder the buffer
// is one output holding all the history it may refer to. The fast loop already stops
// between two symbols, where its state is only the bit buffer and the
// block's tables, when the output comes within 274 bytes of the end or the
// input within 8 bytes; Fill then hands the buffer back (or reads more
// input, moving the unread bytes to the front of its input buffer) and the
// next call resumes in the same block. A block header is decoded only with
// 66 KiB of output room and 70 KiB of input in hand (or the end of the
// input), enough for a whole stored block or dynamic header, so neither
// needs a resumable form; the last input bytes, where the fast loop cannot
// run, go to the general loop with that room kept. The gzip framing (RFC 1952
// section 2.3: header with FEXTRA, FNAME, FCOMMENT and FHCRC; trailer with
// the CRC-32, hash/crc32, and the length modulo 2^32) is checked member by
// member, and concatenated members (pigz, bgzip) are decoded to the end of
// the input. The stream decodes at the whole-buffer rate (BenchmarkGzip).
//
// Validity follows Go's compress/flate and compress/gzip: the same streams
// are accepted (including the degenerate one-code-of-length-one Huffman
// codes zlib accepts) and every stream they reject is rejected, except that
// gzip names and comments may be longer than compress/gzip's 511 bytes (RFC
// 1952 sets no limit). Tests compare the output with compress/flate,
// compress/gzip and github.com/klauspost/compress on every deflate chunk of
// the HDF5 files and every gzip file in ../shared/testdata and on random,
// truncated and fuzzed inputs.
package inflate
