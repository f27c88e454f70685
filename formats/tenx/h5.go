package tenx

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/scigolib/hdf5"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/formats/hdf5x"
	"github.com/lsc-bio/lsc/matrix"
)

var (
	_ matrix.Source    = (*H5)(nil)
	_ matrix.Described = (*H5)(nil)
	_ matrix.Source    = (*MTX)(nil)
	_ matrix.Described = (*MTX)(nil)
)

// H5 streams a Cell Ranger HDF5 matrix by cell. The matrix is stored
// compressed by column (one column per barcode), so a block of cells is one
// contiguous slice of data and indices.
type H5 struct {
	f             *hdf5x.File
	path, group   string
	data, indices *hdf5.Dataset
	indptr        []int64
	feats, other  []matrix.Feature
	featPos       []int32
	cells         []string
	pos           int
	notes         []string
}

// OpenH5 opens a Cell Ranger HDF5 file. genome picks the genome group of a
// Cell Ranger 1.x/2.x file with several; "" accepts a file with one.
func OpenH5(path, genome string) (*H5, error) {
	h := &H5{path: path}
	_, err := hdf5x.OpenReader(path, "give a Cell Ranger .h5 matrix", func(f *hdf5x.File) error {
		h.f = f
		return h.init(genome)
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

func (h *H5) fail(where, hint, format string, args ...any) error {
	return formats.Errorf(h.path, 0, where, hint, format, args...)
}

// init reads the names and the column pointers and checks they agree.
func (h *H5) init(genome string) error {
	v3 := h.f.Group("matrix") != nil
	if err := h.chooseGroup(v3, genome); err != nil {
		return err
	}
	if err := h.readColumns(); err != nil {
		return err
	}
	ids, names, types, err := h.readFeatureNames(v3)
	if err != nil {
		return err
	}
	h.splitFeatures(ids, names, types)
	seen := map[string]bool{}
	for _, c := range h.cells {
		if seen[c] {
			return h.fail("barcodes", "barcodes must be unique", "duplicate barcode %s", c)
		}
		seen[c] = true
	}
	return nil
}

// chooseGroup picks /matrix (Cell Ranger >= 3) or a genome group (1.x/2.x).
func (h *H5) chooseGroup(v3 bool, genome string) error {
	if v3 {
		h.group = "matrix"
		return nil
	}
	var genomes []string
	for _, c := range h.f.Lookup("/").(*hdf5.Group).Children() {
		if g, ok := c.(*hdf5.Group); ok && slices.Contains(hdf5x.Children(g), "indptr") {
			genomes = append(genomes, g.Name())
		}
	}
	switch {
	case len(genomes) == 0:
		return h.fail("", "give a Cell Ranger feature-barcode matrix (.h5), not another HDF5 file", "no /matrix group and no genome group with indptr")
	case genome != "":
		if !slices.Contains(genomes, genome) {
			return h.fail("", fmt.Sprintf("choose one of %v with --genome", genomes), "no genome %q", genome)
		}
		h.group = genome
	case len(genomes) > 1:
		return h.fail("", fmt.Sprintf("choose one with --genome (%v)", genomes), "the file holds %d genomes", len(genomes))
	default:
		h.group = genomes[0]
	}
	return nil
}

// need returns dataset name of the group, or an error naming it.
func (h *H5) need(name string) (*hdf5.Dataset, error) {
	d := h.f.Dataset(h.group + "/" + name)
	if d == nil {
		return nil, h.fail("dataset /"+h.group+"/"+name, "the file is not a complete Cell Ranger matrix", "missing")
	}
	return d, nil
}

// readColumns opens data and indices, reads indptr and the barcodes, and
// checks that indptr covers data.
func (h *H5) readColumns() error {
	g := "dataset /" + h.group + "/"
	var err error
	if h.data, err = h.need("data"); err != nil {
		return err
	}
	if h.indices, err = h.need("indices"); err != nil {
		return err
	}
	ip, err := h.need("indptr")
	if err != nil {
		return err
	}
	if h.indptr, err = h.f.ReadInts(ip); err != nil {
		return h.fail(g+"indptr", "", "%w", err)
	}
	bc, err := h.need("barcodes")
	if err != nil {
		return err
	}
	if h.cells, err = h.f.ReadStrings(bc); err != nil {
		return h.fail(g+"barcodes", "", "%w", err)
	}
	if len(h.indptr) != len(h.cells)+1 {
		return h.fail(g+"indptr", "the file is damaged", "indptr has %d entries for %d barcodes", len(h.indptr), len(h.cells))
	}
	nnzDims, err := hdf5x.Shape(h.data)
	if err != nil || len(nnzDims) != 1 {
		return h.fail(g+"data", "the file is damaged", "data is not a vector")
	}
	for i := 1; i < len(h.indptr); i++ {
		if h.indptr[i] < h.indptr[i-1] {
			return h.fail(g+"indptr", "the file is damaged", "indptr decreases at %d", i)
		}
	}
	if h.indptr[0] != 0 || h.indptr[len(h.indptr)-1] != int64(nnzDims[0]) {
		return h.fail(g+"indptr", "the file is damaged", "indptr ends at %d but data has %d values", h.indptr[len(h.indptr)-1], nnzDims[0])
	}
	return nil
}

// readFeatureNames reads feature ids, names and (Cell Ranger >= 3) types.
func (h *H5) readFeatureNames(v3 bool) (ids, names, types []string, err error) {
	g := h.group + "/"
	read := func(path string) []string {
		if d := h.f.Dataset(g + path); d != nil && err == nil {
			var v []string
			v, err = h.f.ReadStrings(d)
			return v
		}
		return nil
	}
	if v3 {
		ids, names, types = read("features/id"), read("features/name"), read("features/feature_type")
	} else {
		ids, names = read("genes"), read("gene_names")
	}
	if err != nil {
		return nil, nil, nil, h.fail("features", "", "%w", err)
	}
	if ids == nil && names == nil {
		return nil, nil, nil, h.fail("features", "the file is not a complete Cell Ranger matrix", "no feature ids or names")
	}
	if names == nil {
		names = ids
	}
	if ids == nil {
		ids = names
	}
	if len(ids) != len(names) || (types != nil && len(types) != len(ids)) {
		return nil, nil, nil, h.fail("features", "the file is damaged", "feature id, name and type lists differ in length")
	}
	return ids, names, types, nil
}

// splitFeatures keeps Gene Expression features as the matrix rows and the
// others (antibodies ...) apart, and makes repeated symbols unique.
func (h *H5) splitFeatures(ids, names, types []string) {
	h.featPos = make([]int32, len(ids))
	h.feats = make([]matrix.Feature, 0, len(ids)) // all Gene Expression, as a rule: no regrowth
	for i := range ids {
		ft := matrix.Feature{ID: ids[i], Name: names[i]}
		if types != nil {
			ft.Type = types[i]
		}
		if ft.Type == "" || ft.Type == GeneExpression {
			h.featPos[i] = int32(len(h.feats))
			h.feats = append(h.feats, ft)
		} else {
			h.featPos[i] = -1
			h.other = append(h.other, ft)
		}
	}
	if n := uniqueNote(MakeUnique(h.feats)); n != "" {
		h.notes = append(h.notes, n)
	}
	if len(h.other) > 0 {
		h.notes = append(h.notes, fmt.Sprintf("%d non-Gene Expression features kept apart", len(h.other)))
	}
}

func (h *H5) Features() []matrix.Feature { return h.feats }
func (h *H5) Other() []matrix.Feature    { return h.other }

// OtherMatrix reads the values of the non-Gene Expression features (e.g.
// CITE-seq antibody counts) for every cell, as cells x Other().
func (h *H5) OtherMatrix() (*matrix.CSR, error) {
	otherPos := make([]int32, len(h.featPos))
	k := int32(0)
	for i, p := range h.featPos {
		otherPos[i] = -1
		if p < 0 {
			otherPos[i] = k
			k++
		}
	}
	out := &matrix.CSR{Feats: h.other, Cells: h.cells}
	var ch matrix.Chunk
	ch.Reset(0)
	const block = 4096
	for c0 := 0; c0 < len(h.cells); c0 += block {
		c1 := min(len(h.cells), c0+block)
		a, b := h.indptr[c0], h.indptr[c1]
		val, err := h.f.ReadFloats(h.data, int(a), int(b-a))
		if err != nil {
			return nil, h.fail("dataset data", "", "%v", err)
		}
		idx, err := h.f.ReadFloats(h.indices, int(a), int(b-a))
		if err != nil {
			return nil, h.fail("dataset indices", "", "%v", err)
		}
		var ri []int32
		var rv []float64
		for c := c0; c < c1; c++ {
			ri, rv = ri[:0], rv[:0]
			for j := h.indptr[c] - a; j < h.indptr[c+1]-a; j++ {
				g := int(idx[j])
				if g < 0 || g >= len(otherPos) {
					return nil, h.fail("dataset indices", "the file is damaged", "feature index %d out of range for cell %d", g, c)
				}
				if p := otherPos[g]; p >= 0 {
					ri = append(ri, p)
					rv = append(rv, val[j])
				}
			}
			ch.AppendRow(ri, rv)
		}
	}
	if ch.Repeat != 0 {
		c := ch.Repeat - 1 // the chunk holds every cell
		return nil, h.fail("dataset indices", "the file is damaged: each feature may appear once per barcode", "barcode %d (%s) lists feature %s twice", c+1, h.cells[c], h.other[ch.RepeatedGene()].Name)
	}
	out.Indptr, out.Indices, out.Data = ch.Indptr, ch.Indices, ch.Data
	return out, nil
}
func (h *H5) CellNames() []string { return h.cells }
func (h *H5) Rewind() error       { h.pos = 0; return nil }
func (h *H5) Close() error        { return h.f.Close() }
func (h *H5) Info() matrix.Info {
	return matrix.Info{Format: "10x-h5", Path: h.path, Matrix: "/" + h.group, Notes: h.notes, Float32: hdf5x.IsFloat32(h.data)}
}

// Next fills dst with up to max cells.
func (h *H5) Next(dst *matrix.Chunk, max int) error {
	if h.pos >= len(h.cells) {
		return io.EOF
	}
	end := min(len(h.cells), h.pos+max)
	a, b := h.indptr[h.pos], h.indptr[end]
	// Inflate the next block's chunks in the background (as for h5ad).
	if next := min(len(h.cells), end+max); next > end {
		h.f.Prefetch(int(h.indptr[end]), int(h.indptr[next]-h.indptr[end]), h.data, h.indices)
	}
	// Values and feature numbers go straight from the inflated chunks into
	// the chunk's arrays; feature numbers become gene positions (-1, dropped,
	// for features kept apart) and rows are made in place.
	dst.Reset(h.pos)
	n := int(b - a)
	idx, val := dst.Extend(n)
	// Cell Ranger stores counts as integers: the type and one sign test
	// per value tell that they are counts, so the scorer need not test
	// each for a whole number (matrix.Chunk.Counts).
	counts, err := h.f.ReadCountsInto(h.data, int(a), val)
	if err != nil {
		return h.fail("dataset data", "", "%v", err)
	}
	if err := h.f.ReadIndicesInto(h.indices, int(a), idx, len(h.featPos)); err != nil {
		hint := ""
		if errors.Is(err, hdf5x.ErrIndexRange) {
			hint = "the file is damaged: feature indices must be below the number of features"
		}
		return h.fail("dataset indices", hint, "%v", err)
	}
	for k, g := range idx {
		idx[k] = h.featPos[g]
	}
	dst.AppendRows(h.indptr[h.pos:end+1], n)
	dst.Counts = counts
	if dst.Repeat != 0 {
		c := dst.Start + dst.Repeat - 1
		return h.fail("dataset indices", "the file is damaged: each feature may appear once per barcode", "barcode %d (%s) lists feature %s twice", c+1, h.cells[c], h.feats[dst.RepeatedGene()].Name)
	}
	h.pos = end
	return nil
}
