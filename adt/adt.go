package adt

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/lsc-bio/lsc/matrix"
)

// Matrix holds antibody counts or normalised values, antibodies x cells,
// dense (panels are small).
type Matrix struct {
	Antibodies []string
	Cells      []string
	Values     [][]float64 // [antibody][cell]
}

// ErrNoADT is returned when an input holds no antibody features.
var ErrNoADT = errors.New("no antibody capture features")

// ErrMargin is wrapped when the margin is not 1 or 2.
var ErrMargin = errors.New("margin must be 1 (per antibody) or 2 (per cell)")

// CLR returns Seurat's centred log-ratio normalisation of m along margin 1
// (each antibody across cells) or 2 (each cell across antibodies).
func CLR(m *Matrix, margin int) (*Matrix, error) {
	if margin != 1 && margin != 2 {
		return nil, fmt.Errorf("%w: %d", ErrMargin, margin)
	}
	out := &Matrix{Antibodies: m.Antibodies, Cells: m.Cells, Values: make([][]float64, len(m.Values))}
	for a := range m.Values {
		out.Values[a] = make([]float64, len(m.Cells))
	}
	if margin == 1 {
		for a, x := range m.Values {
			clr(func(i int) float64 { return x[i] }, func(i int, v float64) { out.Values[a][i] = v }, len(x))
		}
		return out, nil
	}
	for c := range m.Cells {
		clr(func(i int) float64 { return m.Values[i][c] }, func(i int, v float64) { out.Values[i][c] = v }, len(m.Values))
	}
	return out, nil
}

// clr normalises one vector of length n read through get, written through set.
func clr(get func(int) float64, set func(int, float64), n int) {
	var s float64
	for i := 0; i < n; i++ {
		if v := get(i); v > 0 {
			s += math.Log1p(v)
		}
	}
	g := math.Exp(s / float64(n))
	for i := 0; i < n; i++ {
		set(i, math.Log1p(get(i)/g))
	}
}

// FromSource reads every cell of src into a dense matrix. With antibody
// features kept apart (10x files with Antibody Capture), those are used;
// otherwise every feature of src is taken as an antibody (a dense table with
// antibodies in rows, an ADT h5ad).
func FromSource(src matrix.Source) (*Matrix, error) { return FromSourceSelect(src, nil) }

// FromSourceSelect is FromSource keeping only the cells for which keep
// (given the cell's name and its antibody total) is true, so a raw matrix
// of mostly empty droplets is never held dense. keep nil keeps every cell.
func FromSourceSelect(src matrix.Source, keep func(cell string, total float64) bool) (*Matrix, error) {
	feats := src.Features()
	if o, ok := src.(interface {
		Other() []matrix.Feature
		OtherMatrix() (*matrix.CSR, error)
	}); ok {
		// the other features are gathered while the cells are read: read
		// through (keeping nothing), then take them.
		var ch matrix.Chunk
		for {
			err := src.Next(&ch, 4096)
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
		}
		if len(o.Other()) > 0 {
			om, err := o.OtherMatrix()
			if err != nil {
				return nil, err
			}
			return fromCSR(om, true, keep)
		}
		if hasGeneExpression(feats) {
			return nil, ErrNoADT
		}
		if err := src.Rewind(); err != nil {
			return nil, err
		}
	}
	cells := src.CellNames()
	m := &Matrix{}
	for _, f := range feats {
		m.Antibodies = append(m.Antibodies, f.Name)
	}
	m.Values = make([][]float64, len(feats))
	col := make([]float64, len(feats))
	var ch matrix.Chunk
	for {
		err := src.Next(&ch, 4096)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		for i := 0; i < ch.Cells; i++ {
			idx, v := ch.Row(i)
			var t float64
			for k := range col {
				col[k] = 0
			}
			for k, j := range idx {
				col[j] = v[k]
				t += v[k]
			}
			name := cells[ch.Start+i]
			if keep != nil && !keep(name, t) {
				continue
			}
			m.Cells = append(m.Cells, name)
			for a := range col {
				m.Values[a] = append(m.Values[a], col[a])
			}
		}
	}
	return m, nil
}

func hasGeneExpression(f []matrix.Feature) bool {
	for _, x := range f {
		if x.Type == "Gene Expression" {
			return true
		}
	}
	return false
}

// fromCSR turns a cells x features matrix into antibodies x cells, keeping
// only Antibody Capture features when onlyAb, and the cells keep accepts.
func fromCSR(c *matrix.CSR, onlyAb bool, keep func(string, float64) bool) (*Matrix, error) {
	pos := make([]int, len(c.Feats))
	m := &Matrix{}
	for i, f := range c.Feats {
		pos[i] = -1
		if !onlyAb || f.Type == "Antibody Capture" || f.Type == "" {
			pos[i] = len(m.Antibodies)
			m.Antibodies = append(m.Antibodies, f.Name)
		}
	}
	if len(m.Antibodies) == 0 {
		return nil, ErrNoADT
	}
	m.Values = make([][]float64, len(m.Antibodies))
	col := make([]float64, len(m.Antibodies))
	for cell, name := range c.Cells {
		for k := range col {
			col[k] = 0
		}
		var t float64
		for k := c.Indptr[cell]; k < c.Indptr[cell+1]; k++ {
			if a := pos[c.Indices[k]]; a >= 0 {
				col[a] = c.Data[k]
				t += c.Data[k]
			}
		}
		if keep != nil && !keep(name, t) {
			continue
		}
		m.Cells = append(m.Cells, name)
		for a := range col {
			m.Values[a] = append(m.Values[a], col[a])
		}
	}
	return m, nil
}
