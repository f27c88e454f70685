package hdf5x

import (
	"encoding/binary"
	"testing"
)

// convertIndices turns stored integers of each width and signedness into
// int32 and reports the first value outside [0, limit) (hand-made cases).
func TestConvertIndices(t *testing.T) {
	le := binary.LittleEndian
	cases := []struct {
		name   string
		ix     chunkIndex
		raw    []byte
		limit  int
		want   []int32
		badPos int
	}{
		{"int32", chunkIndex{elemSize: 4, signed: true}, le.AppendUint32(le.AppendUint32(nil, 7), 2), 10, []int32{7, 2}, -1},
		{"int32 negative", chunkIndex{elemSize: 4, signed: true}, le.AppendUint32(le.AppendUint32(nil, 7), 0xffffffff), 10, nil, 1},
		{"uint32 at limit", chunkIndex{elemSize: 4}, le.AppendUint32(nil, 10), 10, nil, 0},
		{"int64", chunkIndex{elemSize: 8, signed: true}, le.AppendUint64(le.AppendUint64(nil, 0), 9), 10, []int32{0, 9}, -1},
		{"int64 negative", chunkIndex{elemSize: 8, signed: true}, le.AppendUint64(nil, 1<<64-3), 10, nil, 0},
		{"int64 huge", chunkIndex{elemSize: 8, signed: true}, le.AppendUint64(nil, 1<<40), 10, nil, 0},
		{"uint16 big-endian", chunkIndex{elemSize: 2, bigEndian: true}, []byte{0, 3, 1, 0}, 300, []int32{3, 256}, -1},
		{"int8 negative", chunkIndex{elemSize: 1, signed: true}, []byte{4, 0xff}, 10, nil, 1},
	}
	for _, c := range cases {
		out := make([]int32, len(c.raw)/c.ix.elemSize)
		k := c.ix.convertIndices(c.raw, out, c.limit)
		if k != c.badPos {
			t.Errorf("%s: bad position %d, want %d", c.name, k, c.badPos)
			continue
		}
		for i := range c.want {
			if out[i] != c.want[i] {
				t.Errorf("%s: %v, want %v", c.name, out, c.want)
				break
			}
		}
	}
}
