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
	"math/bits"
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
	guide                 []int32 // guide[b]: a first guess for the gene of a draw in bucket b of [0, total)
	pos                   int
	count                 []float64 // per gene, the current cell's counts (all zero between cells)
	seen                  []uint64  // bit g: gene g drawn in the current cell
	idx                   []int32
	val                   []float64
}

// guideBuckets is the size of the lookup table that starts each draw's
// search near its gene (a few steps, instead of a binary search of all
// genes; the gene found is the same).
const guideBuckets = 1 << 16

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
	s.guide = make([]int32, guideBuckets)
	for b := range s.guide {
		s.guide[b] = int32(sort.SearchFloat64s(s.cum, float64(b)*t/guideBuckets))
	}
	s.count = make([]float64, genes)
	s.seen = make([]uint64, (genes+63)/64)
	return s
}

// draw returns the first gene whose cumulative weight is at least x (what
// sort.SearchFloat64s(s.cum, x) returns), starting from the guide table's
// guess and stepping to it.
func (s *Source) draw(x, total float64) int {
	b := int(x / total * guideBuckets)
	b = min(max(b, 0), guideBuckets-1)
	i := int(s.guide[b])
	for i > 0 && s.cum[i-1] >= x {
		i--
	}
	for i < len(s.cum) && s.cum[i] < x {
		i++
	}
	return i
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
	for k := 0; k < max && s.pos < s.Cells; k++ {
		r := rand.New(rand.NewPCG(s.Seed, uint64(s.pos)+2))
		// Library size varies between cells (log-normal, sd 0.5).
		n := int(float64(s.PerCell) * math.Exp(0.5*r.NormFloat64()-0.125))
		for j := 0; j < n; j++ {
			g := min(s.draw(r.Float64()*total, total), s.Genes-1)
			s.seen[g>>6] |= 1 << (g & 63)
			s.count[g]++
		}
		// The cell's genes in ascending order with their counts.
		s.idx, s.val = s.idx[:0], s.val[:0]
		for w, m := range s.seen {
			for m != 0 {
				g := w<<6 | bits.TrailingZeros64(m)
				m &= m - 1
				s.idx = append(s.idx, int32(g))
				s.val = append(s.val, s.count[g])
				s.count[g] = 0
			}
			s.seen[w] = 0
		}
		dst.AppendRow(s.idx, s.val)
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
