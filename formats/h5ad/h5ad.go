// Package h5ad reads AnnData .h5ad files (anndata on-disk format,
// https://anndata.readthedocs.io/en/stable/fileformat-prose.html): X, raw/X or
// layers/<name> stored dense, CSR or CSC; the obs and var indexes; and obs
// columns, including categoricals in both the >= 0.8 encoding (a group with
// codes and categories) and the 0.7 encoding (integer codes with the
// categories in obs/__categories). Dense and CSR matrices are streamed by
// cell; a CSC matrix is read whole and transposed (noted in Info).
//
// Files written by anndata < 0.7 (2018) store obs, var and raw.var as HDF5
// compound datasets (one record per cell or gene: a fixed-length string
// "index" and one member per column), categorical codes as integer members
// with their categories in uns/<column>_categories, and the raw matrix as
// raw.X (an h5sparse group). The pure-Go HDF5 library cannot decode compound
// types, so lsc reads them with its own reader (hdf5x.ReadCompound); the
// result is checked against anndata 0.8 on the two scanpy legacy files.
package h5ad

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
	_ matrix.Source    = (*File)(nil)
	_ matrix.Described = (*File)(nil)
)

// Options choose which matrix of the file is read.
type Options struct {
	Layer  string // "" for X; a name under layers/
	UseRaw bool   // read raw/X with raw/var
}

// File is an open .h5ad positioned on one matrix.
type File struct {
	f       *hdf5x.File
	path    string
	mpath   string // "X", "raw/X", "layers/counts"
	kind    string // "dense", "csr", "csc"
	nCells  int
	nGenes  int
	cells   []string
	feats   []matrix.Feature
	dense   *hdf5.Dataset
	data    *hdf5.Dataset
	indices *hdf5.Dataset
	indptr  []int64
	mem     *matrix.MemSource
	pos     int
	notes   []string
	legacy  map[string][]hdf5x.Column // pre-0.7 compound dataframes, by path
}

const legacyHint = "this file was written by anndata < 0.7; convert it once with Python: import anndata; anndata.read_h5ad('in.h5ad').write_h5ad('out.h5ad')"

// Open opens path and positions it on the matrix chosen by opt.
func Open(path string, opt Options) (*File, error) {
	a := &File{path: path}
	_, err := hdf5x.OpenReader(path, "give an AnnData .h5ad file", func(f *hdf5x.File) error {
		a.f = f
		return a.init(opt)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

func (a *File) fail(where, hint, format string, args ...any) error {
	return formats.Errorf(a.path, 0, where, hint, format, args...)
}

func (a *File) init(opt Options) error {
	if a.f.Lookup("obs") == nil || (a.f.Lookup("X") == nil && a.f.Lookup("raw") == nil && a.f.Lookup("layers") == nil) {
		if a.f.Lookup("matrix") != nil {
			return a.fail("", "this looks like a Cell Ranger .h5: lsc reads it directly (it is recognised by content)", "not an AnnData file")
		}
		return a.fail("", "an .h5ad file has /obs, /var and /X", "not an AnnData file (no /obs or /X)")
	}
	varPath, rawX, rawVar := "var", "raw/X", "raw/var"
	if _, ok := a.f.Lookup("obs").(*hdf5.Dataset); ok {
		a.legacy = map[string][]hdf5x.Column{}
		rawX, rawVar = "raw.X", "raw.var"
		a.notes = append(a.notes, "pre-0.7 AnnData (compound obs/var)")
	}
	switch {
	case opt.UseRaw && opt.Layer != "":
		return a.fail("", "choose either --layer or --raw", "both a layer and raw were requested")
	case opt.UseRaw:
		if a.f.Lookup(rawX) == nil {
			return a.fail("", "this file has no raw matrix; drop --raw", "no %s", rawX)
		}
		a.mpath, varPath = rawX, rawVar
	case opt.Layer != "":
		a.mpath = "layers/" + opt.Layer
		if a.f.Lookup(a.mpath) == nil {
			return a.fail("", fmt.Sprintf("layers in this file: %v", a.Layers()), "no layer %q", opt.Layer)
		}
	default:
		a.mpath = "X"
		if a.f.Lookup("X") == nil {
			return a.fail("", "this file has no X (e.g. written with X=None); choose --layer NAME or --raw", "no X matrix")
		}
	}
	var err error
	if a.cells, err = a.index("obs"); err != nil {
		return err
	}
	names, err := a.index(varPath)
	if err != nil {
		return err
	}
	ids := names
	for _, col := range []string{"gene_ids", "gene_id", "ensembl_id", "feature_id"} {
		if v, err := a.column(varPath, col); err == nil && len(v) == len(names) {
			ids = v
			break
		}
	}
	for i := range names {
		a.feats = append(a.feats, matrix.Feature{ID: ids[i], Name: names[i]})
	}
	a.nCells, a.nGenes = len(a.cells), len(names)
	if err := a.openMatrix(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, c := range a.cells {
		if seen[c] {
			return a.fail("obs index", "cell names must be unique (anndata: adata.obs_names_make_unique())", "duplicate cell %s", c)
		}
		seen[c] = true
	}
	return nil
}

// compound reads (once) a pre-0.7 dataframe stored as a compound dataset.
func (a *File) compound(df string) ([]hdf5x.Column, error) {
	if cols, ok := a.legacy[df]; ok {
		return cols, nil
	}
	d := a.f.Dataset(df)
	if d == nil {
		return nil, a.fail("/"+df, "the file is not a complete AnnData file", "no %s dataframe", df)
	}
	cols, err := a.f.ReadCompound(d)
	if err != nil {
		return nil, a.fail("/"+df, legacyHint, "%w", err)
	}
	a.legacy[df] = cols
	return cols, nil
}

// index reads the index of a dataframe group (obs, var, raw/var).
func (a *File) index(df string) ([]string, error) {
	if a.legacy != nil {
		cols, err := a.compound(df)
		if err != nil {
			return nil, err
		}
		for _, c := range cols {
			if c.Name == "index" && c.Strings != nil {
				return c.Strings, nil
			}
		}
		return nil, a.fail("/"+df, "the file is not a complete AnnData file", "compound %s has no string member \"index\"", df)
	}
	g := a.f.Group(df)
	if g == nil {
		return nil, a.fail("/"+df, "the file is not a complete AnnData file", "no %s dataframe", df)
	}
	name := hdf5x.AttrString(g, "_index")
	if name == "" {
		name = "_index"
		if a.f.Dataset(df+"/_index") == nil && a.f.Dataset(df+"/index") != nil {
			name = "index"
		}
	}
	d := a.f.Dataset(df + "/" + name)
	if d == nil {
		return nil, a.fail("/"+df, "the file is not a complete AnnData file", "no index dataset %q", name)
	}
	s, err := a.f.ReadStrings(d)
	if err != nil {
		return nil, a.fail("/"+df+"/"+name, "", "%w", err)
	}
	return s, nil
}

// column reads a dataframe column as strings (categoricals decoded).
func (a *File) column(df, col string) ([]string, error) {
	if a.legacy != nil {
		return a.legacyColumn(df, col)
	}
	o := a.f.Lookup(df + "/" + col)
	switch x := o.(type) {
	case nil:
		return nil, fmt.Errorf("no column %q in %s", col, df)
	case *hdf5.Group:
		if hdf5x.AttrString(x, "encoding-type") != "categorical" {
			return nil, fmt.Errorf("column %q is a %q group", col, hdf5x.AttrString(x, "encoding-type"))
		}
		cd, catd := a.f.Dataset(df+"/"+col+"/codes"), a.f.Dataset(df+"/"+col+"/categories")
		if cd == nil || catd == nil {
			return nil, fmt.Errorf("categorical %q lacks codes or categories", col)
		}
		return a.decodeCategorical(cd, catd)
	case *hdf5.Dataset:
		if catd := a.f.Dataset(df + "/__categories/" + col); catd != nil {
			return a.decodeCategorical(x, catd)
		}
		if s, err := a.f.ReadStrings(x); err == nil {
			return s, nil
		}
		v, err := a.f.ReadAllFloats(x)
		if err != nil {
			return nil, err
		}
		return numberStrings(v), nil
	}
	return nil, fmt.Errorf("column %q has an unknown layout", col)
}

// legacyColumn reads a member of a pre-0.7 compound dataframe; integer codes
// with categories in uns/<col>_categories are decoded (anndata 0.6 kept
// categories there only for obs and var).
func (a *File) legacyColumn(df, col string) ([]string, error) {
	cols, err := a.compound(df)
	if err != nil {
		return nil, err
	}
	for _, c := range cols {
		if c.Name != col || col == "index" {
			continue
		}
		if c.Strings != nil {
			return c.Strings, nil
		}
		if catd := a.f.Dataset("uns/" + col + "_categories"); catd != nil && df != "raw.var" {
			names, err := a.f.ReadStrings(catd)
			if err != nil {
				return nil, err
			}
			codes := make([]int64, len(c.Numbers))
			for i, v := range c.Numbers {
				codes[i] = int64(v)
			}
			return categories(codes, names)
		}
		return numberStrings(c.Numbers), nil
	}
	return nil, fmt.Errorf("no column %q in %s", col, df)
}

// numberStrings formats a numeric column as Go prints floats.
func numberStrings(v []float64) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = fmt.Sprint(x)
	}
	return out
}

func (a *File) decodeCategorical(codes, cats *hdf5.Dataset) ([]string, error) {
	c, err := a.f.ReadInts(codes)
	if err != nil {
		return nil, err
	}
	names, err := a.f.ReadStrings(cats)
	if err != nil {
		return nil, err
	}
	return categories(c, names)
}

// categories maps codes to names; -1 is a missing value.
func categories(c []int64, names []string) ([]string, error) {
	out := make([]string, len(c))
	for i, k := range c {
		switch {
		case k == -1:
			out[i] = "" // missing value
		case k < 0 || int(k) >= len(names):
			return nil, fmt.Errorf("category code %d out of range (%d categories)", k, len(names))
		default:
			out[i] = names[k]
		}
	}
	return out, nil
}

// ObsColumn returns an obs column as strings (for cell annotations).
func (a *File) ObsColumn(col string) ([]string, error) {
	v, err := a.column("obs", col)
	if err != nil {
		return nil, a.fail("/obs/"+col, fmt.Sprintf("obs columns in this file: %v", a.ObsColumns()), "%w", err)
	}
	return v, nil
}

// ObsColumns lists obs column names.
func (a *File) ObsColumns() []string {
	if a.legacy != nil {
		cols, _ := a.compound("obs")
		var out []string
		for _, c := range cols {
			if c.Name != "index" {
				out = append(out, c.Name)
			}
		}
		slices.Sort(out)
		return out
	}
	g := a.f.Group("obs")
	if g == nil {
		return nil
	}
	var out []string
	for _, c := range hdf5x.Children(g) {
		if c != "__categories" && c != "_index" && c != hdf5x.AttrString(g, "_index") {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

func (a *File) openMatrix() error {
	where := "/" + a.mpath
	switch x := a.f.Lookup(a.mpath).(type) {
	case *hdf5.Dataset:
		dims, err := hdf5x.Shape(x)
		if err != nil || len(dims) != 2 {
			return a.fail(where, "the file is damaged", "dense matrix is not two-dimensional")
		}
		if dims[0] != a.nCells || dims[1] != a.nGenes {
			return a.fail(where, "the file is damaged", "matrix is %d x %d but obs has %d cells and var %d genes", dims[0], dims[1], a.nCells, a.nGenes)
		}
		a.kind, a.dense = "dense", x
	case *hdf5.Group:
		enc := hdf5x.AttrString(x, "encoding-type")
		if enc == "" {
			enc = hdf5x.AttrString(x, "h5sparse_format") + "_matrix"
		}
		shape := hdf5x.AttrInts(x, "shape")
		if len(shape) == 0 {
			shape = hdf5x.AttrInts(x, "h5sparse_shape")
		}
		if len(shape) != 2 || shape[0] != a.nCells || shape[1] != a.nGenes {
			return a.fail(where, "the file is damaged", "sparse matrix shape %v does not match %d cells x %d genes", shape, a.nCells, a.nGenes)
		}
		a.data, a.indices = a.f.Dataset(a.mpath+"/data"), a.f.Dataset(a.mpath+"/indices")
		ipd := a.f.Dataset(a.mpath + "/indptr")
		if a.data == nil || a.indices == nil || ipd == nil {
			return a.fail(where, "the file is damaged", "sparse matrix lacks data, indices or indptr")
		}
		ip, err := a.f.ReadInts(ipd)
		if err != nil {
			return a.fail(where+"/indptr", "", "%w", err)
		}
		a.indptr = ip
		switch enc {
		case "csr_matrix":
			a.kind = "csr"
			if len(ip) != a.nCells+1 {
				return a.fail(where+"/indptr", "the file is damaged", "indptr has %d entries for %d cells", len(ip), a.nCells)
			}
		case "csc_matrix":
			a.kind = "csc"
			if len(ip) != a.nGenes+1 {
				return a.fail(where+"/indptr", "the file is damaged", "indptr has %d entries for %d genes", len(ip), a.nGenes)
			}
		default:
			return a.fail(where, "lsc reads dense, csr_matrix and csc_matrix", "unknown matrix encoding %q", enc)
		}
		for i := 1; i < len(ip); i++ {
			if ip[i] < ip[i-1] {
				return a.fail(where+"/indptr", "the file is damaged", "indptr decreases at %d", i)
			}
		}
		dims, err := hdf5x.Shape(a.data)
		if err != nil || len(dims) != 1 || ip[0] != 0 || int64(dims[0]) != ip[len(ip)-1] {
			return a.fail(where, "the file is damaged", "indptr does not end at the number of stored values")
		}
		if a.kind == "csc" {
			return a.loadCSC()
		}
	default:
		return a.fail(where, "", "no matrix at %s", a.mpath)
	}
	return nil
}

func (a *File) loadCSC() error {
	nnz := int(a.indptr[len(a.indptr)-1])
	val, err := a.f.ReadFloats(a.data, 0, nnz)
	if err != nil {
		return a.fail("/"+a.mpath+"/data", "", "%w", err)
	}
	idx, err := a.f.ReadFloats(a.indices, 0, nnz)
	if err != nil {
		return a.fail("/"+a.mpath+"/indices", "", "%w", err)
	}
	count := make([]int, a.nCells+1)
	for _, c := range idx {
		if c < 0 || int(c) >= a.nCells {
			return a.fail("/"+a.mpath+"/indices", "the file is damaged", "cell index %v out of range", c)
		}
		count[int(c)+1]++
	}
	for i := 1; i <= a.nCells; i++ {
		count[i] += count[i-1]
	}
	csr := &matrix.CSR{Feats: a.feats, Cells: a.cells, Indptr: slices.Clone(count),
		Indices: make([]int32, nnz), Data: make([]float64, nnz)}
	next := count[:a.nCells]
	for g := 0; g < a.nGenes; g++ {
		for k := a.indptr[g]; k < a.indptr[g+1]; k++ {
			c := int(idx[k])
			csr.Indices[next[c]] = int32(g)
			csr.Data[next[c]] = val[k]
			next[c]++
		}
	}
	// drop explicit zeros
	w := 0
	out := []int{0}
	for c := 0; c < a.nCells; c++ {
		for k := csr.Indptr[c]; k < csr.Indptr[c+1]; k++ {
			if csr.Data[k] != 0 {
				csr.Indices[w], csr.Data[w] = csr.Indices[k], csr.Data[k]
				w++
			}
		}
		out = append(out, w)
	}
	csr.Indptr, csr.Indices, csr.Data = out, csr.Indices[:w], csr.Data[:w]
	a.notes = append(a.notes, "matrix stored by gene (CSC): read whole and transposed")
	a.mem = matrix.NewMemSource(csr)
	return nil
}

func (a *File) Features() []matrix.Feature { return a.feats }
func (a *File) CellNames() []string        { return a.cells }
func (a *File) Close() error               { return a.f.Close() }
func (a *File) Info() matrix.Info {
	values := a.data
	if values == nil {
		values = a.dense
	}
	return matrix.Info{Format: "h5ad", Path: a.path, Matrix: a.mpath, Notes: append([]string{a.kind}, a.notes...),
		Float32: values != nil && hdf5x.IsFloat32(values)}
}

// Rewind restarts from the first cell.
func (a *File) Rewind() error {
	a.pos = 0
	if a.mem != nil {
		return a.mem.Rewind()
	}
	return nil
}

// Next fills dst with up to max cells.
func (a *File) Next(dst *matrix.Chunk, max int) error {
	if a.mem != nil {
		if err := a.mem.Next(dst, max); err != nil {
			return err
		}
		return a.repeat(dst)
	}
	if a.pos >= a.nCells {
		return io.EOF
	}
	end := min(a.nCells, a.pos+max)
	dst.Reset(a.pos)
	switch a.kind {
	case "dense":
		if next := min(a.nCells, end+max); next > end {
			a.f.PrefetchRows(a.dense, end, next-end)
		}
		v, err := a.f.ReadRows(a.dense, a.pos, end-a.pos, a.nGenes)
		if err != nil {
			return a.fail("/"+a.mpath, "", "%v", err)
		}
		var ri []int32
		var rv []float64
		for c := 0; c < end-a.pos; c++ {
			ri, rv = ri[:0], rv[:0]
			for g, x := range v[c*a.nGenes : (c+1)*a.nGenes] {
				if x != 0 {
					ri = append(ri, int32(g))
					rv = append(rv, x)
				}
			}
			dst.AppendRow(ri, rv)
		}
	case "csr":
		lo, hi := a.indptr[a.pos], a.indptr[end]
		// Inflate the next block's chunks in the background while this
		// block is converted and scored.
		if next := min(a.nCells, end+max); next > end {
			a.f.Prefetch(int(a.indptr[end]), int(a.indptr[next]-a.indptr[end]), a.data, a.indices)
		}
		// Values and gene positions go straight from the inflated chunks
		// into the chunk's arrays, rows are then made in place.
		n := int(hi - lo)
		idx, val := dst.Extend(n)
		if err := a.f.ReadFloatsInto(a.data, int(lo), val); err != nil {
			return a.fail("/"+a.mpath+"/data", "", "%v", err)
		}
		if err := a.f.ReadIndicesInto(a.indices, int(lo), idx, a.nGenes); err != nil {
			hint := ""
			if errors.Is(err, hdf5x.ErrIndexRange) {
				hint = "the file is damaged: gene indices must be below the number of genes"
			}
			return a.fail("/"+a.mpath+"/indices", hint, "%v", err)
		}
		dst.AppendRows(a.indptr[a.pos:end+1], n)
	}
	if err := a.repeat(dst); err != nil {
		return err
	}
	a.pos = end
	return nil
}

// repeat is the error for a cell whose row lists a gene twice (a sparse
// matrix not in canonical form), or nil.
func (a *File) repeat(dst *matrix.Chunk) error {
	if dst.Repeat == 0 {
		return nil
	}
	c := dst.Start + dst.Repeat - 1
	return a.fail("/"+a.mpath+"/indices", "sum the repeated entries first (Python: adata.X.sum_duplicates(), then write the file again)",
		"cell %d (%s) lists gene %s twice", c+1, a.cells[c], a.feats[dst.RepeatedGene()].Name)
}

// Layers lists the names under layers/ (none for files without layers).
func (a *File) Layers() []string {
	if g := a.f.Group("layers"); g != nil {
		return hdf5x.Children(g)
	}
	return nil
}

// HasRaw says whether the file holds a raw matrix (raw/X, or raw.X before 0.7).
func (a *File) HasRaw() bool { return a.f.Lookup("raw/X") != nil || a.f.Lookup("raw.X") != nil }
