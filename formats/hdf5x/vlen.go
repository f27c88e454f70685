package hdf5x

import (
	"bytes"
	"encoding/binary"
	"os"
)

// readVlenStrings decodes a 1-D dataset of variable-length strings stored
// in chunks (any of lsc's filters, e.g. h5py's LZF) or contiguously: each
// element is (length uint32, global heap collection address uint64, object
// index uint32), resolved in the global heap (HDF5 spec III.E).
func readVlenStrings(f *os.File, addr uint64) ([]string, error) {
	msgs, err := headerMessages(f, addr)
	if err != nil {
		return nil, err
	}
	raw, n, err := readElements(f, addr, msgs, 16)
	if err != nil {
		return nil, err
	}
	heaps := map[uint64]map[uint16][]byte{}
	out := make([]string, n)
	for i := 0; i < n; i++ {
		e := raw[i*16:]
		length := binary.LittleEndian.Uint32(e)
		coll := binary.LittleEndian.Uint64(e[4:])
		idx := binary.LittleEndian.Uint32(e[12:])
		if length == 0 {
			continue
		}
		h, ok := heaps[coll]
		if !ok {
			if h, err = readGlobalHeap(f, coll); err != nil {
				return nil, err
			}
			heaps[coll] = h
		}
		obj, ok := h[uint16(idx)]
		if !ok || int(length) > len(obj) {
			return nil, errUnsupported
		}
		out[i] = string(bytes.TrimRight(obj[:length], "\x00"))
	}
	return out, nil
}

// readElements returns the bytes of every element (size bytes each) of the
// 1-D dataset whose header messages are msgs, stored contiguously or in
// chunks (filters undone), and the element count. Sizes are checked against
// the file's before anything is allocated.
func readElements(f *os.File, addr uint64, msgs []hdrMsg, size int) ([]byte, int, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	var layout []byte
	for _, m := range msgs {
		if m.typ == 0x08 {
			layout = m.data
		}
	}
	if len(layout) >= 18 && layout[0] == 3 && layout[1] == 1 { // contiguous
		cnt, err := vlenShape(msgs)
		if err != nil || cnt > 1<<26 || int64(cnt)*int64(size) > st.Size() {
			return nil, 0, errUnsupported
		}
		n := int(cnt)
		raw, err := readAt(f, binary.LittleEndian.Uint64(layout[2:]), n*size)
		return raw, n, err
	}
	ix, err := buildIndexOf(f, addr, true)
	if err != nil {
		return nil, 0, err
	}
	if ix.n > 1<<26 || ix.n*int64(size) > st.Size()*1024+1<<20 {
		return nil, 0, errUnsupported
	}
	n := int(ix.n)
	raw := make([]byte, 0, n*size)
	for i := range ix.starts {
		b, err := ix.chunkBytes(f, i)
		if err != nil {
			return nil, 0, err
		}
		raw = append(raw, b...)
	}
	if len(raw) < n*size {
		return nil, 0, errUnsupported
	}
	return raw, n, nil
}

func vlenShape(msgs []hdrMsg) (uint64, error) {
	for _, m := range msgs {
		if m.typ != 0x01 || len(m.data) < 8 {
			continue
		}
		off := 8
		if m.data[0] == 2 {
			off = 4
		}
		if m.data[1] != 1 || len(m.data) < off+8 {
			return 0, errUnsupported
		}
		return binary.LittleEndian.Uint64(m.data[off:]), nil
	}
	return 0, errUnsupported
}

// readGlobalHeap reads a global heap collection: object index -> bytes.
func readGlobalHeap(f *os.File, addr uint64) (map[uint16][]byte, error) {
	head, err := readAt(f, addr, 16)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(head[:4], []byte("GCOL")) {
		return nil, errUnsupported
	}
	size := binary.LittleEndian.Uint64(head[8:])
	if size < 16 || size > 1<<30 {
		return nil, errUnsupported
	}
	b, err := readAt(f, addr, int(size))
	if err != nil {
		return nil, err
	}
	objs := map[uint16][]byte{}
	for p := 16; p+16 <= len(b); {
		idx := binary.LittleEndian.Uint16(b[p:])
		n := binary.LittleEndian.Uint64(b[p+8:])
		if idx == 0 || n > uint64(len(b)-p-16) {
			break
		}
		objs[idx] = b[p+16 : p+16+int(n)]
		p += 16 + int(n)
		if r := n % 8; r != 0 {
			p += int(8 - r)
		}
	}
	return objs, nil
}
