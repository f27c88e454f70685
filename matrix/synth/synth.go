// Package synth generates realistic sparse single-cell count matrices for
// benchmarks: genes with power-law mean expression (a few very high, most
// rare, as in droplet data), about PerCell detected genes per cell, small
// integer counts. Cells are generated independently from (Seed, cell
// index), so a matrix is the same whatever the chunk size or order of
// reading, and it streams: no cell is kept after it is read.
package synth

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/lsc-bio/lsc/matrix"
)

// Source is a generated matrix.
type Source struct {
	Genes, Cells, PerCell int
	Seed                  uint64
	feats                 []matrix.Feature
	cells                 []string
	cum                   []float64
	pos                   int
}

// New returns a generator for genes x cells with about perCell detected
// genes per cell.
func New(genes, cells, perCell int, seed uint64) *Source {
	s := &Source{Genes: genes, Cells: cells, PerCell: perCell, Seed: seed}
	s.feats = make([]matrix.Feature, genes)
	for i := range s.feats {
		n := fmt.Sprintf("G%05d", i+1)
		s.feats[i] = matrix.Feature{ID: n, Name: n, Type: "Gene Expression"}
	}
	s.cells = make([]string, cells)
	for i := range s.cells {
		s.cells[i] = fmt.Sprintf("cell%07d", i+1)
	}
	// Zipf-like gene weights (exponent 1) in a shuffled gene order.
	r := rand.New(rand.NewPCG(seed, 1))
	order := r.Perm(genes)
	w := make([]float64, genes)
	for rank, g := range order {
		w[g] = 1 / float64(rank+10)
	}
	s.cum = make([]float64, genes)
	var t float64
	for i, x := range w {
		t += x
		s.cum[i] = t
	}
	return s
}

func (s *Source) Features() []matrix.Feature { return s.feats }
func (s *Source) CellNames() []string        { return s.cells }
func (s *Source) Rewind() error              { s.pos = 0; return nil }
func (s *Source) Close() error               { return nil }

// Next generates up to max cells.
func (s *Source) Next(dst *matrix.Chunk, max int) error {
	if s.pos >= s.Cells {
		return io.EOF
	}
	dst.Reset(s.pos)
	total := s.cum[len(s.cum)-1]
	counts := map[int32]float64{}
	var idx []int32
	var val []float64
	for k := 0; k < max && s.pos < s.Cells; k++ {
		r := rand.New(rand.NewPCG(s.Seed, uint64(s.pos)+2))
		// Library size varies between cells (log-normal, sd 0.5).
		n := int(float64(s.PerCell) * math.Exp(0.5*r.NormFloat64()-0.125))
		clear(counts)
		for j := 0; j < n; j++ {
			g := int32(sort.SearchFloat64s(s.cum, r.Float64()*total))
			if int(g) >= s.Genes {
				g = int32(s.Genes - 1)
			}
			counts[g]++
		}
		idx, val = idx[:0], val[:0]
		for g, c := range counts {
			idx = append(idx, g)
			val = append(val, c)
		}
		dst.AppendRow(idx, val)
		s.pos++
	}
	return nil
}

// GeneSets returns n gene sets of size genes each, drawn (seeded) from all
// genes, as names.
func (s *Source) GeneSets(n, size int, seed uint64) [][]string {
	r := rand.New(rand.NewPCG(seed, 7))
	out := make([][]string, n)
	for i := range out {
		for _, g := range r.Perm(s.Genes)[:size] {
			out[i] = append(out[i], s.feats[g].Name)
		}
	}
	return out
}
