package hdf5x

// A reader for the one layout that dominates large h5ad and 10x files:
// 1-D numeric datasets stored in chunks indexed by a version-1 B-tree
// (data layout message version 3, what h5py and Cell Ranger write by
// default), with deflate, shuffle and Fletcher-32 filters. scigolib re-reads
// the whole chunk B-tree on every slice, which grows with the number of
// chunks; here the B-tree is walked once, chunks are read with ReadAt and
// inflated as needed. Anything else (other layouts, filters or types)
// returns errUnsupported and the caller falls back to scigolib.
//
// Format references: HDF5 File Format Specification version 3.0, sections
// III.A-B (object headers v1/v2), IV.A.2.d (datatype), IV.A.2.i (data
// layout), IV.A.2.l (filter pipeline), III.A.1 (version-1 B-trees).

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"sort"
	"sync"

	"github.com/klauspost/compress/zlib"
	"github.com/lsc-bio/lsc/inflate"
)

var errUnsupported = errors.New("hdf5x: layout not handled by the fast reader")

type chunkIndex struct {
	elemSize  int
	class     int // 0 fixed-point, 1 floating
	signed    bool
	bigEndian bool
	chunkLen  int      // elements per chunk
	starts    []int64  // element offset of each chunk, ascending
	addrs     []uint64 // file address of each chunk
	sizes     []uint32 // stored bytes
	masks     []uint32 // filter mask (bit i set: filter i skipped)
	filters   []filter // in pipeline order
	n         int64    // elements in the dataset
	visited   int      // B-tree nodes read (bounded against corrupt cycles)

	// 2-D datasets (dense matrices): chunks of crows x ccols elements, row
	// major; a chunk's "start" is its grid number (band of rows x nColChunks
	// + column chunk) times chunkLen, so 1-D lookups by start still apply.
	rank         int
	rows, cols   int64
	crows, ccols int
	maxChunks    int64
}

// colChunks is the number of chunks across a row band of a 2-D dataset.
func (ix *chunkIndex) colChunks() int64 { return (ix.cols + int64(ix.ccols) - 1) / int64(ix.ccols) }

type filter struct {
	id     uint16
	params []uint32
}

type hdrMsg struct {
	typ  uint16
	data []byte
}

func readAt(f *os.File, off uint64, n int) ([]byte, error) {
	if n < 0 || n > 1<<30 {
		return nil, errUnsupported
	}
	b := make([]byte, n)
	if _, err := f.ReadAt(b, int64(off)); err != nil {
		return nil, err
	}
	return b, nil
}

// headerMessages returns the messages of the object header at addr.
func headerMessages(f *os.File, addr uint64) ([]hdrMsg, error) {
	head, err := readAt(f, addr, 16)
	if err != nil {
		return nil, err
	}
	var msgs []hdrMsg
	if bytes.Equal(head[:4], []byte("OHDR")) {
		return headerV2(f, addr)
	}
	if head[0] != 1 {
		return nil, errUnsupported
	}
	size := binary.LittleEndian.Uint32(head[8:12])
	blocks := [][2]uint64{{addr + 16, uint64(size)}}
	for len(blocks) > 0 && len(msgs) < 10000 {
		blk := blocks[0]
		blocks = blocks[1:]
		b, err := readAt(f, blk[0], int(blk[1]))
		if err != nil {
			return nil, err
		}
		for p := 0; p+8 <= len(b); {
			typ := binary.LittleEndian.Uint16(b[p:])
			n := int(binary.LittleEndian.Uint16(b[p+2:]))
			if p+8+n > len(b) {
				break
			}
			data := b[p+8 : p+8+n]
			if typ == 0x10 && n >= 16 {
				blocks = append(blocks, [2]uint64{binary.LittleEndian.Uint64(data), binary.LittleEndian.Uint64(data[8:])})
			} else {
				msgs = append(msgs, hdrMsg{typ, data})
			}
			p += 8 + n
			if r := (8 + n) % 8; r != 0 {
				p += 8 - r
			}
		}
	}
	return msgs, nil
}

func headerV2(f *os.File, addr uint64) ([]hdrMsg, error) {
	head, err := readAt(f, addr, 48)
	if err != nil {
		return nil, err
	}
	flags := head[5]
	p := 6
	if flags&0x20 != 0 {
		p += 16
	}
	if flags&0x10 != 0 {
		p += 4
	}
	var size uint64
	switch flags & 3 {
	case 0:
		size = uint64(head[p])
		p++
	case 1:
		size = uint64(binary.LittleEndian.Uint16(head[p:]))
		p += 2
	case 2:
		size = uint64(binary.LittleEndian.Uint32(head[p:]))
		p += 4
	default:
		size = binary.LittleEndian.Uint64(head[p:])
		p += 8
	}
	order := flags&0x04 != 0
	var msgs []hdrMsg
	blocks := [][2]uint64{{addr + uint64(p), size}}
	first := true
	for len(blocks) > 0 && len(msgs) < 10000 {
		blk := blocks[0]
		blocks = blocks[1:]
		b, err := readAt(f, blk[0], int(blk[1]))
		if err != nil {
			return nil, err
		}
		q := 0
		if !first {
			if len(b) < 8 || !bytes.Equal(b[:4], []byte("OCHK")) {
				return nil, errUnsupported
			}
			q = 4
			b = b[:len(b)-4] // checksum
		}
		first = false
		hsz := 4
		if order {
			hsz = 6
		}
		for q+hsz <= len(b) {
			typ := uint16(b[q])
			n := int(binary.LittleEndian.Uint16(b[q+1:]))
			if q+hsz+n > len(b) {
				break
			}
			data := b[q+hsz : q+hsz+n]
			if typ == 0x10 && n >= 16 {
				blocks = append(blocks, [2]uint64{binary.LittleEndian.Uint64(data), binary.LittleEndian.Uint64(data[8:])})
			} else {
				msgs = append(msgs, hdrMsg{typ, data})
			}
			q += hsz + n
		}
	}
	return msgs, nil
}

// buildIndex reads the dataset's header and its chunk B-tree once.
func buildIndex(f *os.File, addr uint64) (*chunkIndex, error) {
	return buildIndexOf(f, addr, false)
}

// buildIndexOf also accepts variable-length elements (class 9) when vlen.
func buildIndexOf(f *os.File, addr uint64, vlen bool) (*chunkIndex, error) {
	msgs, err := headerMessages(f, addr)
	if err != nil {
		return nil, err
	}
	ix := &chunkIndex{}
	var layout, dtype, space []byte
	for _, m := range msgs {
		switch m.typ {
		case 0x01:
			space = m.data
		case 0x03:
			dtype = m.data
		case 0x08:
			layout = m.data
		case 0x0B:
			if ix.filters, err = parseFilters(m.data); err != nil {
				return nil, err
			}
		}
	}
	if layout == nil || dtype == nil || space == nil || len(dtype) < 8 {
		return nil, errUnsupported
	}
	// Datatype.
	ix.class = int(dtype[0] & 0x0f)
	ix.elemSize = int(binary.LittleEndian.Uint32(dtype[4:8]))
	ix.bigEndian = dtype[1]&1 != 0
	switch ix.class {
	case 0:
		ix.signed = dtype[1]&0x08 != 0
		if ix.elemSize != 1 && ix.elemSize != 2 && ix.elemSize != 4 && ix.elemSize != 8 {
			return nil, errUnsupported
		}
	case 1:
		if ix.elemSize != 4 && ix.elemSize != 8 || dtype[1]&0x40 != 0 {
			return nil, errUnsupported
		}
	case 9:
		if !vlen || ix.elemSize != 16 {
			return nil, errUnsupported
		}
	case 6:
		if !vlen || ix.elemSize <= 0 || ix.elemSize > 1<<16 {
			return nil, errUnsupported
		}
	default:
		return nil, errUnsupported
	}
	// Dataspace (versions 1 and 2): one dimension, or two for a matrix.
	if len(space) < 8 {
		return nil, errUnsupported
	}
	if !vlen && space[1] == 2 {
		return build2D(f, ix, space, layout)
	}
	var dimOff int
	switch space[0] {
	case 1:
		dimOff = 8
	case 2:
		dimOff = 4
	default:
		return nil, errUnsupported
	}
	if space[1] != 1 || len(space) < dimOff+8 {
		return nil, errUnsupported
	}
	ix.n = int64(binary.LittleEndian.Uint64(space[dimOff:]))
	// Layout version 3, chunked, one data dimension (+1 for the element size).
	if len(layout) < 3 || layout[0] != 3 || layout[1] != 2 {
		return nil, errUnsupported
	}
	nd := int(layout[2])
	if nd != 2 || len(layout) < 3+8+4*nd {
		return nil, errUnsupported
	}
	btree := binary.LittleEndian.Uint64(layout[3:])
	ix.chunkLen = int(binary.LittleEndian.Uint32(layout[11:]))
	if es := int(binary.LittleEndian.Uint32(layout[15:])); es != ix.elemSize || ix.chunkLen <= 0 || ix.chunkLen > 1<<25 || ix.n < 0 {
		return nil, errUnsupported
	}
	ix.rank, ix.maxChunks = 1, ix.n/int64(ix.chunkLen)+2
	if err := ix.walk(f, btree, 0); err != nil {
		return nil, err
	}
	return ix.sorted(), nil
}

// build2D finishes the index of a 2-D chunked dataset (dataspace and layout
// messages as for 1-D, with two data dimensions).
func build2D(f *os.File, ix *chunkIndex, space, layout []byte) (*chunkIndex, error) {
	dimOff := 8
	if space[0] == 2 {
		dimOff = 4
	}
	if len(space) < dimOff+16 || len(layout) < 3+8+4*3 || layout[0] != 3 || layout[1] != 2 || layout[2] != 3 {
		return nil, errUnsupported
	}
	ix.rank = 2
	ix.rows = int64(binary.LittleEndian.Uint64(space[dimOff:]))
	ix.cols = int64(binary.LittleEndian.Uint64(space[dimOff+8:]))
	btree := binary.LittleEndian.Uint64(layout[3:])
	ix.crows = int(binary.LittleEndian.Uint32(layout[11:]))
	ix.ccols = int(binary.LittleEndian.Uint32(layout[15:]))
	es := int(binary.LittleEndian.Uint32(layout[19:]))
	if es != ix.elemSize || ix.crows <= 0 || ix.ccols <= 0 || ix.rows < 0 || ix.cols < 0 ||
		ix.rows > 1<<40 || ix.cols > 1<<40 || int64(ix.crows)*int64(ix.ccols) > 1<<25 {
		return nil, errUnsupported
	}
	ix.chunkLen = ix.crows * ix.ccols
	ix.n = ix.rows * ix.cols
	ix.maxChunks = ((ix.rows+int64(ix.crows)-1)/int64(ix.crows))*ix.colChunks() + 2
	if err := ix.walk(f, btree, 0); err != nil {
		return nil, err
	}
	return ix.sorted(), nil
}

// sorted orders the chunks by start (leaves come in key order, but be safe).
func (ix *chunkIndex) sorted() *chunkIndex {
	perm := make([]int, len(ix.starts))
	for i := range perm {
		perm[i] = i
	}
	sort.Slice(perm, func(a, b int) bool { return ix.starts[perm[a]] < ix.starts[perm[b]] })
	s, a, z, m := make([]int64, len(perm)), make([]uint64, len(perm)), make([]uint32, len(perm)), make([]uint32, len(perm))
	for i, p := range perm {
		s[i], a[i], z[i], m[i] = ix.starts[p], ix.addrs[p], ix.sizes[p], ix.masks[p]
	}
	ix.starts, ix.addrs, ix.sizes, ix.masks = s, a, z, m
	return ix
}

func (ix *chunkIndex) walk(f *os.File, addr uint64, depth int) error {
	ix.visited++
	if depth > 32 || addr == math.MaxUint64 || ix.visited > 1<<20 || int64(len(ix.starts)) > ix.maxChunks {
		return errUnsupported
	}
	head, err := readAt(f, addr, 24)
	if err != nil {
		return err
	}
	if !bytes.Equal(head[:4], []byte("TREE")) || head[4] != 1 {
		return errUnsupported
	}
	level := head[5]
	entries := int(binary.LittleEndian.Uint16(head[6:]))
	keySize := 4 + 4 + (ix.rank+1)*8 // size, filter mask, an offset per dimension and the element
	body, err := readAt(f, addr+24, entries*(keySize+8)+keySize)
	if err != nil {
		return err
	}
	for i := 0; i < entries; i++ {
		k := body[i*(keySize+8):]
		child := binary.LittleEndian.Uint64(k[keySize:])
		if level > 0 {
			if err := ix.walk(f, child, depth+1); err != nil {
				return err
			}
			continue
		}
		ix.sizes = append(ix.sizes, binary.LittleEndian.Uint32(k))
		ix.masks = append(ix.masks, binary.LittleEndian.Uint32(k[4:]))
		start := int64(binary.LittleEndian.Uint64(k[8:]))
		if ix.rank == 2 {
			r0, c0 := start, int64(binary.LittleEndian.Uint64(k[16:]))
			if r0%int64(ix.crows) != 0 || c0%int64(ix.ccols) != 0 || r0 >= ix.rows || c0 >= ix.cols {
				return errUnsupported
			}
			start = (r0/int64(ix.crows)*ix.colChunks() + c0/int64(ix.ccols)) * int64(ix.chunkLen)
		}
		ix.starts = append(ix.starts, start)
		ix.addrs = append(ix.addrs, child)
	}
	return nil
}

func parseFilters(b []byte) ([]filter, error) {
	if len(b) < 2 {
		return nil, errUnsupported
	}
	ver, n := b[0], int(b[1])
	p := 2
	if ver == 1 {
		p = 8
	} else if ver != 2 {
		return nil, errUnsupported
	}
	var out []filter
	for i := 0; i < n; i++ {
		if p+2 > len(b) {
			return nil, errUnsupported
		}
		var fl filter
		fl.id = binary.LittleEndian.Uint16(b[p:])
		p += 2
		nameLen := 0
		if ver == 1 || fl.id >= 256 {
			if p+2 > len(b) {
				return nil, errUnsupported
			}
			nameLen = int(binary.LittleEndian.Uint16(b[p:]))
			p += 2
		}
		if p+4 > len(b) {
			return nil, errUnsupported
		}
		nv := int(binary.LittleEndian.Uint16(b[p+2:]))
		p += 4
		if ver == 1 && nameLen%8 != 0 {
			nameLen += 8 - nameLen%8
		}
		p += nameLen
		for j := 0; j < nv; j++ {
			if p+4 > len(b) {
				return nil, errUnsupported
			}
			fl.params = append(fl.params, binary.LittleEndian.Uint32(b[p:]))
			p += 4
		}
		if ver == 1 && nv%2 == 1 {
			p += 4
		}
		switch fl.id {
		case 1, 2, 3, 32000:
		default:
			return nil, errUnsupported
		}
		out = append(out, fl)
	}
	return out, nil
}

// convert turns len(out) stored elements at the start of raw into float64.
func (ix *chunkIndex) convert(raw []byte, out []float64) {
	var bo binary.ByteOrder = binary.LittleEndian
	if ix.bigEndian {
		bo = binary.BigEndian
	}
	es := ix.elemSize
	// One loop per element type (a type switch per element cost as much
	// as the copy itself).
	switch {
	case ix.class == 1 && es == 4 && !ix.bigEndian:
		// The h5ad X/data case: no byte order through an interface.
		// raw[4*j:4*j+4]: one bounds check per element (raw[4*j:] cost
		// two and a pointer mask, 1.7x the time).
		raw = raw[:4*len(out)]
		for j := range out {
			out[j] = float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[4*j : 4*j+4])))
		}
	case es == 4 && !ix.bigEndian && ix.signed:
		// The Cell Ranger data case (int32 counts).
		raw = raw[:4*len(out)]
		for j := range out {
			out[j] = float64(int32(binary.LittleEndian.Uint32(raw[4*j : 4*j+4])))
		}
	case ix.class == 1 && es == 4:
		for j := range out {
			out[j] = float64(math.Float32frombits(bo.Uint32(raw[j*4:])))
		}
	case ix.class == 1:
		for j := range out {
			out[j] = math.Float64frombits(bo.Uint64(raw[j*8:]))
		}
	case es == 1 && ix.signed:
		for j := range out {
			out[j] = float64(int8(raw[j]))
		}
	case es == 1:
		for j := range out {
			out[j] = float64(raw[j])
		}
	case es == 2 && ix.signed:
		for j := range out {
			out[j] = float64(int16(bo.Uint16(raw[j*2:])))
		}
	case es == 2:
		for j := range out {
			out[j] = float64(bo.Uint16(raw[j*2:]))
		}
	case es == 4 && ix.signed:
		for j := range out {
			out[j] = float64(int32(bo.Uint32(raw[j*4:])))
		}
	case es == 4:
		for j := range out {
			out[j] = float64(bo.Uint32(raw[j*4:]))
		}
	case ix.signed:
		for j := range out {
			out[j] = float64(int64(bo.Uint64(raw[j*8:])))
		}
	default:
		for j := range out {
			out[j] = float64(bo.Uint64(raw[j*8:]))
		}
	}
}

// convertIndices turns len(out) stored integers at the start of raw into
// int32, and returns the position of the first outside [0, limit) or -1.
// limit must be at most 1<<31 - 1.
func (ix *chunkIndex) convertIndices(raw []byte, out []int32, limit int) int {
	var bo binary.ByteOrder = binary.LittleEndian
	if ix.bigEndian {
		bo = binary.BigEndian
	}
	lim := uint64(limit)
	switch {
	case ix.elemSize == 4 && !ix.bigEndian:
		// Signed or not, one unsigned comparison: a negative int32 is
		// at least 2^31 as uint32, above any limit.
		lim32 := uint32(limit)
		raw = raw[:4*len(out)]
		for j := range out {
			v := binary.LittleEndian.Uint32(raw[4*j : 4*j+4])
			if v >= lim32 {
				return j
			}
			out[j] = int32(v)
		}
	case ix.elemSize == 8 && !ix.bigEndian:
		raw = raw[:8*len(out)]
		for j := range out {
			v := binary.LittleEndian.Uint64(raw[8*j : 8*j+8])
			if v >= lim { // negative int64 values are huge as uint64
				return j
			}
			out[j] = int32(v)
		}
	default:
		for j := range out {
			var v int64
			switch {
			case ix.elemSize == 1 && ix.signed:
				v = int64(int8(raw[j]))
			case ix.elemSize == 1:
				v = int64(raw[j])
			case ix.elemSize == 2 && ix.signed:
				v = int64(int16(bo.Uint16(raw[2*j:])))
			case ix.elemSize == 2:
				v = int64(bo.Uint16(raw[2*j:]))
			case ix.elemSize == 4 && ix.signed:
				v = int64(int32(bo.Uint32(raw[4*j:])))
			case ix.elemSize == 4:
				v = int64(bo.Uint32(raw[4*j:]))
			default:
				v = int64(bo.Uint64(raw[8*j:]))
			}
			if v < 0 || uint64(v) >= lim {
				return j
			}
			out[j] = int32(v)
		}
	}
	return -1
}

// chunkBytes returns chunk i with its filters undone (chunkLen elements).
func (ix *chunkIndex) chunkBytes(f *os.File, i int) ([]byte, error) {
	n := int(ix.sizes[i])
	if n < 0 || n > 1<<30 {
		return nil, errUnsupported
	}
	// The stored bytes are read into a recycled buffer, given back once
	// inflated (a chunk never inflated, say unfiltered, keeps it).
	stored := getBuf(n)
	if _, err := f.ReadAt(stored, int64(ix.addrs[i])); err != nil {
		putBuf(stored)
		return nil, err
	}
	raw := stored
	replaced := false // raw no longer points into stored
	defer func() {
		if replaced {
			putBuf(stored)
		}
	}()
	for k := len(ix.filters) - 1; k >= 0; k-- {
		if ix.masks[i]&(1<<uint(k)) != 0 {
			continue
		}
		switch ix.filters[k].id {
		case 1:
			// Inflate straight into a buffer of the chunk's size, the
			// whole chunk at once (package inflate; a growing buffer cost a
			// third of the read time).
			out := getBuf(ix.chunkLen * ix.elemSize)
			n, err := inflateChunk(out, raw)
			if err != nil {
				putBuf(out)
				return nil, err
			}
			raw, replaced = out[:n], true
		case 2:
			raw, replaced = unshuffle(raw, ix.elemSize), true
		case 3:
			if len(raw) < 4 {
				return nil, errUnsupported
			}
			raw = raw[:len(raw)-4]
		case 32000:
			var err error
			if raw, err = lzfDecompress(raw, ix.chunkLen*ix.elemSize); err != nil {
				return nil, err
			}
			replaced = true
		}
	}
	if len(raw) < ix.chunkLen*ix.elemSize {
		return nil, fmt.Errorf("chunk %d holds %d bytes, %d expected", i, len(raw), ix.chunkLen*ix.elemSize)
	}
	return raw, nil
}

func unshuffle(b []byte, es int) []byte {
	if es <= 1 {
		return b
	}
	n := len(b) / es
	out := make([]byte, len(b))
	for k := 0; k < es; k++ {
		src := b[k*n : (k+1)*n]
		for j, v := range src {
			out[j*es+k] = v
		}
	}
	copy(out[n*es:], b[n*es:])
	return out
}

var decoders = sync.Pool{New: func() any { return new(inflate.Decoder) }}

// Buffers of stored and inflated chunks are recycled, one pool per size (a
// dataset's chunks all have one inflated size; a file has few datasets): a
// 1M-cell matrix is 20 GB of inflated chunks, which the collector otherwise
// frees and the allocator zeroes again.
var (
	bufMu    sync.Mutex
	bufPools = map[int]*sync.Pool{}
)

// sizeClass rounds n up to a multiple of an eighth of the power of two at or
// above it (stored chunks differ in size by a few bytes).
func sizeClass(n int) int {
	if n <= 4096 {
		return 4096
	}
	step := 1 << bits.Len(uint(n-1)) / 8
	return (n + step - 1) / step * step
}

func poolOf(n int) *sync.Pool {
	bufMu.Lock()
	defer bufMu.Unlock()
	p := bufPools[n]
	if p == nil {
		if len(bufPools) > 64 { // many sizes (stored chunk sizes vary): start again
			clear(bufPools)
		}
		p = &sync.Pool{}
		bufPools[n] = p
	}
	return p
}

// getBuf returns a buffer of n bytes (contents undefined).
func getBuf(n int) []byte {
	c := sizeClass(n)
	if b, ok := poolOf(c).Get().(*[]byte); ok {
		return (*b)[:n]
	}
	return make([]byte, n, c)
}

// putBuf gives b back for reuse; the caller must hold no other reference.
func putBuf(b []byte) {
	if cap(b) == 0 || sizeClass(cap(b)) != cap(b) {
		return // not one of getBuf's
	}
	b = b[:cap(b)]
	poolOf(len(b)).Put(&b)
}

// inflateChunk inflates the zlib stream src (a chunk through HDF5's deflate
// filter) into out and returns the bytes written. A stream longer than the
// chunk (never written by HDF5, but read before as far as the chunk goes)
// is read through the streaming decoder up to len(out).
func inflateChunk(out, src []byte) (int, error) {
	d := decoders.Get().(*inflate.Decoder)
	n, err := d.DecodeZlib(out, src)
	decoders.Put(d)
	if !errors.Is(err, inflate.ErrShortBuffer) {
		return n, err
	}
	zr, err := zlib.NewReader(bytes.NewReader(src))
	if err != nil {
		return 0, err
	}
	n, err = io.ReadFull(zr, out)
	if err == io.ErrUnexpectedEOF {
		err = nil
	}
	return n, err
}
