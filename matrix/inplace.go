package matrix

// Extend makes room for n more entries after the chunk's rows and returns
// them, for a reader to fill in place (gene positions and values straight
// from the file, no intermediate copy); AppendRows then turns them into rows.
//
// A chunk that must grow takes half as much again as it needs, and copies
// only the entries it holds: readers Reset a chunk and Extend it once per
// block, and chunks of the same number of cells differ by a few percent, so
// a reused chunk soon stops growing. (slices.Grow grew by a quarter and
// copied the whole old capacity: on the 10k-cell Cell Ranger .h5, a third
// of the job's 9,800 page faults were that new memory and its copies.)
func (c *Chunk) Extend(n int) (idx []int32, val []float64) {
	m := len(c.Indices)
	need := m + n
	if need > cap(c.Indices) {
		c.Indices = append(make([]int32, 0, need+need/2), c.Indices...)
	}
	if need > cap(c.Data) {
		c.Data = append(make([]float64, 0, need+need/2), c.Data...)
	}
	c.Indices = c.Indices[:need]
	c.Data = c.Data[:need]
	return c.Indices[m:], c.Data[m:]
}

// AppendSortedRows is AppendRows for entries a reader knows need nothing
// done: within each cell, gene positions rise and no value is zero or
// position negative. The rows stand where they were written.
func (c *Chunk) AppendSortedRows(ptr []int64, n int) {
	base := len(c.Indices) - n
	for k := 0; k+1 < len(ptr); k++ {
		c.Indptr = append(c.Indptr, base+int(ptr[k+1]-ptr[0]))
	}
	c.Cells += len(ptr) - 1
}

// AppendRows adds len(ptr)-1 cells whose entries were written in the last
// Extend: cell k holds entries ptr[k]-ptr[0] to ptr[k+1]-ptr[0] of it. As
// AppendRow, zero values are dropped and rows sorted by gene position if
// needed, a position met twice setting Repeat; entries whose position is
// negative are dropped too (features a reader keeps apart). Rows are
// compacted in place.
func (c *Chunk) AppendRows(ptr []int64, n int) {
	base := len(c.Indices) - n
	idx, val := c.Indices, c.Data
	w := base
	for k := 0; k+1 < len(ptr); k++ {
		s, e := base+int(ptr[k]-ptr[0]), base+int(ptr[k+1]-ptr[0])
		start := w
		sorted := true
		if w == s {
			// Nothing dropped before this row: its entries stay where
			// they are, unread twice and unwritten, up to the first to
			// drop (zero, negative position) or out of order.
			prev := int32(-1)
			ri, rv := idx[s:e], val[s:e]
			rv = rv[:len(ri)]
			k := 0
			for ; k < len(ri); k++ {
				g := ri[k]
				if rv[k] == 0 || g <= prev {
					break
				}
				prev = g
			}
			w, s = s+k, s+k
		}
		for j := s; j < e; j++ {
			g, v := idx[j], val[j]
			if v == 0 || g < 0 {
				continue
			}
			if w > start && idx[w-1] >= g {
				sorted = false
			}
			idx[w], val[w] = g, v
			w++
		}
		if !sorted {
			c.sortRow(idx[start:w], val[start:w])
		}
		c.Cells++
		c.Indptr = append(c.Indptr, w)
	}
	c.Indices, c.Data = idx[:w], val[:w]
}
