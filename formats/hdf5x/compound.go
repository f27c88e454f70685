package hdf5x

// Compound datasets as anndata < 0.7 wrote obs and var (a table of records
// with a fixed-length string "index" and numeric columns), read by lsc's own
// reader because scigolib cannot parse these datatypes (HDF5 spec IV.A.2.d,
// compound class, member versions 1-3).

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"

	"github.com/scigolib/hdf5"
)

// Column is one member of a compound dataset: strings for fixed-length
// string members, numbers otherwise.
type Column struct {
	Name    string
	Strings []string
	Numbers []float64
}

type member struct {
	name   string
	offset int
	class  int
	size   int
	elem   chunkIndex // numeric members: the element type, for convert
}

// parseCompound returns the scalar members of a compound datatype message;
// members of other classes (arrays, nested compounds) are skipped.
func parseCompound(b []byte) ([]member, int, error) {
	if len(b) < 8 || b[0]&0x0f != 6 {
		return nil, 0, errUnsupported
	}
	ver := int(b[0] >> 4)
	nm := int(binary.LittleEndian.Uint16(b[1:]))
	size := int(binary.LittleEndian.Uint32(b[4:]))
	p := 8
	var out []member
	for i := 0; i < nm; i++ {
		name, next, err := memberName(b, p, ver)
		if err != nil {
			return nil, 0, err
		}
		p = next
		var off int
		switch {
		case ver < 3:
			if p+4 > len(b) {
				return nil, 0, errUnsupported
			}
			off = int(binary.LittleEndian.Uint32(b[p:]))
			p += 4
			if ver == 1 {
				p += 28 // dimensionality, reserved, permutation, reserved, 4 dimension sizes
			}
		default:
			w := 1
			switch {
			case size >= 1<<24:
				w = 4
			case size >= 1<<16:
				w = 3
			case size >= 1<<8:
				w = 2
			}
			if p+w > len(b) {
				return nil, 0, errUnsupported
			}
			for k := w - 1; k >= 0; k-- {
				off = off<<8 | int(b[p+k])
			}
			p += w
		}
		if p > len(b) {
			return nil, 0, errUnsupported
		}
		m, n, err := memberType(b[p:])
		if err != nil {
			return nil, 0, err
		}
		p += n
		if m != nil {
			m.name, m.offset = name, off
			out = append(out, *m)
		}
	}
	return out, size, nil
}

// memberName reads the NUL-terminated name at b[p:] of a compound or enum
// member; versions 1 and 2 pad it to a multiple of 8 bytes. It returns the
// offset after the name.
func memberName(b []byte, p, ver int) (string, int, error) {
	if p >= len(b) {
		return "", 0, errUnsupported
	}
	end := bytes.IndexByte(b[p:], 0)
	if end < 0 {
		return "", 0, errUnsupported
	}
	name := string(b[p : p+end])
	if ver < 3 {
		return name, p + (end+8)/8*8, nil
	}
	return name, p + end + 1, nil
}

// memberType reads one member datatype; it returns nil for a class lsc
// does not read, and the bytes the datatype message takes.
func memberType(b []byte) (*member, int, error) {
	if len(b) < 8 {
		return nil, 0, errUnsupported
	}
	class := int(b[0] & 0x0f)
	size := int(binary.LittleEndian.Uint32(b[4:]))
	m := &member{class: class, size: size,
		elem: chunkIndex{class: class, elemSize: size, bigEndian: b[1]&1 != 0, signed: class == 0 && b[1]&0x08 != 0}}
	switch class {
	case 0: // fixed-point: offset, precision
		if size != 1 && size != 2 && size != 4 && size != 8 {
			m = nil // an integer width lsc does not convert: skipped
		}
		return m, 8 + 4, nil
	case 1: // floating point
		if size != 4 && size != 8 {
			m = nil
		}
		return m, 8 + 12, nil
	case 3: // fixed-length string
		return m, 8, nil
	case 4: // bitfield
		return nil, 8 + 4, nil
	case 8: // enumeration (h5py writes numpy bool as an int8 enum FALSE/TRUE): base type, names, values
		nm := int(binary.LittleEndian.Uint16(b[1:]))
		ver := int(b[0] >> 4)
		base, n, err := memberType(b[8:])
		if err != nil || base == nil || base.class != 0 {
			return nil, 0, errUnsupported
		}
		p := 8 + n
		for i := 0; i < nm; i++ {
			if _, p, err = memberName(b, p, ver); err != nil {
				return nil, 0, err
			}
		}
		p += nm * base.size
		if p > len(b) {
			return nil, 0, errUnsupported
		}
		// The stored value is the base integer: enum members read as numbers.
		return base, p, nil
	case 10: // array: version 2 has dims, reserved, dim sizes, permutations, base; version 3 drops the permutations
		ver := int(b[0] >> 4)
		if len(b) < 9 {
			return nil, 0, errUnsupported
		}
		nd := int(b[8])
		p := 9
		if ver < 3 {
			p += 3 + 8*nd
		} else {
			p += 4 * nd
		}
		if p > len(b) {
			return nil, 0, errUnsupported
		}
		_, n, err := memberType(b[p:])
		if err != nil {
			return nil, 0, err
		}
		return nil, p + n, nil
	}
	return nil, 0, errUnsupported
}

// ReadCompound reads the scalar members of a 1-D compound dataset.
func (f *File) ReadCompound(d *hdf5.Dataset) ([]Column, error) {
	r, err := f.rawFile()
	if err != nil {
		return nil, err
	}
	return readCompound(r, d.Address(), d.Name())
}

// readCompound decodes the compound dataset whose object header is at addr
// (contiguous or chunked layout).
func readCompound(r *os.File, addr uint64, name string) (cols []Column, err error) {
	defer func() {
		if e := recover(); e != nil {
			cols, err = nil, fmt.Errorf("reading compound dataset %s failed (%v): the file is corrupt", name, e)
		}
	}()
	msgs, err := headerMessages(r, addr)
	if err != nil {
		return nil, err
	}
	var dtype []byte
	for _, m := range msgs {
		if m.typ == 0x03 {
			dtype = m.data
		}
	}
	members, size, err := parseCompound(dtype)
	if err != nil || size <= 0 {
		return nil, fmt.Errorf("dataset %s: compound datatype not understood", name)
	}
	raw, n, err := readElements(r, addr, msgs, size)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: records not readable (%v)", name, err)
	}
	for _, m := range members {
		if m.offset < 0 || m.size <= 0 || m.offset+m.size > size {
			continue
		}
		c := Column{Name: m.name}
		for i := 0; i < n; i++ {
			e := raw[i*size+m.offset : i*size+m.offset+m.size]
			if m.class == 3 {
				c.Strings = append(c.Strings, string(bytes.TrimRight(e, "\x00 ")))
				continue
			}
			var v [1]float64
			m.elem.convert(e, v[:])
			c.Numbers = append(c.Numbers, v[0])
		}
		cols = append(cols, c)
	}
	return cols, nil
}
