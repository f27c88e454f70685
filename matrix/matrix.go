// Package matrix holds the in-memory and streaming representations of an
// expression matrix: features (genes), cells (barcodes or bulk samples), and
// chunks of cells in compressed sparse row form (one row per cell, columns are
// genes). Readers in lsc/formats produce a Source; scoring methods in lsc/score
// consume it chunk by chunk, so memory is bounded by the chunk size, not by
// the number of cells in the file.
package matrix

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// Feature is one row of a genes x cells matrix (one column of a chunk).
type Feature struct {
	ID   string // e.g. Ensembl gene ID; equal to Name when the file has only symbols
	Name string // gene symbol
	Type string // "Gene Expression", "Antibody Capture", ... ("" when unknown)
}

// Chunk is a block of consecutive cells in CSR form: cell i of the chunk has
// its non-zero values Data[Indptr[i]:Indptr[i+1]] at gene positions
// Indices[Indptr[i]:Indptr[i+1]], sorted ascending, without explicit zeros.
type Chunk struct {
	Start   int // index of the first cell of the chunk in the whole matrix
	Cells   int
	Indptr  []int
	Indices []int32
	Data    []float64
	// Counts is set by a reader that knows every value is a whole number
	// >= 0 (the MTX reader: its integer path parses nothing else, and it
	// checks the values of the lines it reads otherwise; the 10x .h5
	// reader: integer data with no negative value): IsCounts then reads
	// nothing.
	// Reset clears it, and so does anything that changes the values.
	Counts bool
	// Repeat is 1 + the first cell of the chunk whose row, as given to
	// AppendRow or AppendRows, lists a gene position twice (0: none). The
	// row keeps both; a reader turns this into an error naming the cell.
	Repeat int
}

// Row returns the gene positions and values of cell i of the chunk.
func (c *Chunk) Row(i int) ([]int32, []float64) {
	a, b := c.Indptr[i], c.Indptr[i+1]
	return c.Indices[a:b], c.Data[a:b]
}

// Reset empties the chunk, keeping its buffers.
func (c *Chunk) Reset(start int) {
	c.Start = start
	c.Counts, c.Repeat = false, 0
	c.Cells = 0
	c.Indptr = append(c.Indptr[:0], 0)
	c.Indices = c.Indices[:0]
	c.Data = c.Data[:0]
}

// AppendRow adds one cell. Values equal to zero are dropped. The row is
// sorted by gene position if needed; a position met twice sets Repeat.
func (c *Chunk) AppendRow(idx []int32, val []float64) {
	base := len(c.Indices)
	sorted := true
	for k, j := range idx {
		if val[k] == 0 {
			continue
		}
		if n := len(c.Indices); n > base && c.Indices[n-1] >= j {
			sorted = false
		}
		c.Indices = append(c.Indices, j)
		c.Data = append(c.Data, val[k])
	}
	if !sorted {
		c.sortRow(c.Indices[base:], c.Data[base:])
	}
	c.Cells++
	c.Indptr = append(c.Indptr, len(c.Indices))
}

// RepeatedGene is the gene position that cell Repeat-1 of the chunk lists
// twice (-1 when Repeat is 0).
func (c *Chunk) RepeatedGene() int32 {
	if c.Repeat == 0 {
		return -1
	}
	idx, _ := c.Row(c.Repeat - 1)
	for i := 1; i < len(idx); i++ {
		if idx[i] == idx[i-1] {
			return idx[i]
		}
	}
	return -1
}

// sortRow sorts the row being added (cell c.Cells) and notes a position it
// holds twice in Repeat. Only rows not already rising come here, and a row
// with a repeat never rises, so every repeat is seen.
func (c *Chunk) sortRow(idx []int32, val []float64) {
	sortRow(idx, val)
	if c.Repeat != 0 {
		return
	}
	for i := 1; i < len(idx); i++ {
		if idx[i] == idx[i-1] {
			c.Repeat = c.Cells + 1
			return
		}
	}
}

func sortRow(idx []int32, val []float64) {
	perm := make([]int, len(idx))
	for i := range perm {
		perm[i] = i
	}
	slices.SortFunc(perm, func(a, b int) int { return int(idx[a]) - int(idx[b]) })
	ci := slices.Clone(idx)
	cv := slices.Clone(val)
	for i, p := range perm {
		idx[i] = ci[p]
		val[i] = cv[p]
	}
}

// Source streams the cells of a matrix in chunks. Features and CellNames are
// known before the first chunk. Next returns io.EOF after the last chunk.
// Rewind starts again from the first cell (two-pass methods such as zscore
// and modulescore need it).
type Source interface {
	Features() []Feature
	CellNames() []string
	// Next fills dst with up to max cells; it returns io.EOF when no cell is left.
	Next(dst *Chunk, max int) error
	Rewind() error
	Close() error
}

// Info describes a source for logs and run records.
type Info struct {
	Format string // "10x-mtx", "10x-h5", "h5ad", "dense-table"
	Path   string
	Matrix string // which matrix inside the file: "X", "raw/X", "layers/counts", "matrix"
	Notes  []string
	// Float32 reports values stored as 32-bit floats: scores computed from
	// them as numbers (not ranks) carry no more than float32 precision.
	Float32 bool
}

var (
	_ Source    = (*MemSource)(nil)
	_ Described = (*MemSource)(nil)
)

// Described is implemented by sources that can say what they read.
type Described interface {
	Info() Info
}

// CSR is a whole matrix held in memory, cells in rows. It serves formats that
// cannot be streamed by cell (dense genes-in-rows text, CSC-stored h5ad).
type CSR struct {
	Feats   []Feature
	Cells   []string
	Indptr  []int
	Indices []int32
	Data    []float64
	Meta    Info
}

// MemSource streams an in-memory CSR.
type MemSource struct {
	M   *CSR
	pos int
}

// NewMemSource returns a Source over m.
func NewMemSource(m *CSR) *MemSource { return &MemSource{M: m} }

func (s *MemSource) Features() []Feature { return s.M.Feats }
func (s *MemSource) CellNames() []string { return s.M.Cells }
func (s *MemSource) Rewind() error       { s.pos = 0; return nil }
func (s *MemSource) Close() error        { return nil }
func (s *MemSource) Info() Info          { return s.M.Meta }

func (s *MemSource) Next(dst *Chunk, max int) error {
	n := len(s.M.Cells)
	if s.pos >= n {
		return io.EOF
	}
	dst.Reset(s.pos)
	end := min(n, s.pos+max)
	for i := s.pos; i < end; i++ {
		a, b := s.M.Indptr[i], s.M.Indptr[i+1]
		dst.AppendRow(s.M.Indices[a:b], s.M.Data[a:b])
	}
	s.pos = end
	return nil
}

// Collect reads a whole source into memory (for tests and small inputs).
func Collect(src Source) (*CSR, error) {
	m := &CSR{Feats: src.Features(), Cells: src.CellNames(), Indptr: []int{0}}
	var ch Chunk
	for {
		err := src.Next(&ch, 4096)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		for i := 0; i < ch.Cells; i++ {
			idx, val := ch.Row(i)
			m.Indices = append(m.Indices, idx...)
			m.Data = append(m.Data, val...)
			m.Indptr = append(m.Indptr, len(m.Indices))
		}
	}
	if len(m.Indptr)-1 != len(m.Cells) {
		return nil, fmt.Errorf("source yielded %d cells but announced %d", len(m.Indptr)-1, len(m.Cells))
	}
	return m, nil
}

// Normalization names how values are transformed before scoring.
type Normalization string

const (
	NormAuto       Normalization = "auto"
	NormLog1pCP10k Normalization = "log1p-cp10k"
	NormNone       Normalization = "none"
)

// ErrUnknownNormalization is returned (wrapped) for a normalisation lsc lacks.
var ErrUnknownNormalization = errors.New("unknown normalisation")

// ParseNormalization validates a --normalize value.
func ParseNormalization(s string) (Normalization, error) {
	switch Normalization(s) {
	case NormAuto, NormLog1pCP10k, NormNone:
		return Normalization(s), nil
	}
	return "", fmt.Errorf("%w %q: use auto, log1p-cp10k or none", ErrUnknownNormalization, s)
}

// IsCounts reports whether every stored value of the chunk is a non-negative
// integer (raw UMI or read counts).
func IsCounts(c *Chunk) bool {
	if c.Counts {
		return true
	}
	for _, v := range c.Data {
		if !IsCount(v) {
			return false
		}
	}
	return true
}

// IsCount reports whether v is a non-negative integer (IsCounts' test of
// one value).
func IsCount(v float64) bool {
	// A value that comes back unchanged from int64 is an integer, and every
	// integer below 2^63 does (the conversion is exact); NaN, infinities
	// and larger values come back as something else (implementation-
	// defined), and from 2^62 up every finite value is an integer.
	return float64(int64(v)) == v && v >= 0 || v >= 1<<62 && v <= math.MaxFloat64
}

// Log1pCP10k replaces each cell's values x by log(1 + x / total * 1e4), the
// normalisation of Seurat NormalizeData (LogNormalize, scale.factor 1e4) and
// of scanpy normalize_total(target_sum=1e4) followed by log1p. Cells with a
// zero total are left at zero.
func Log1pCP10k(c *Chunk) {
	c.Counts = false
	for i := 0; i < c.Cells; i++ {
		_, val := c.Row(i)
		var tot float64
		for _, v := range val {
			tot += v
		}
		if tot == 0 {
			continue
		}
		f := 1e4 / tot
		for k, v := range val {
			val[k] = math.Log1p(v * f)
		}
	}
}

// Row returns the gene positions and values of cell i.
func (m *CSR) Row(i int) ([]int32, []float64) {
	a, b := m.Indptr[i], m.Indptr[i+1]
	return m.Indices[a:b], m.Data[a:b]
}
