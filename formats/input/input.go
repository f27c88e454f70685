// Package input opens any expression input lsc reads (10x MTX folder, 10x
// HDF5, AnnData .h5ad, dense TSV/CSV) as a streaming matrix.Source, choosing
// the reader by content.
package input

import (
	"path/filepath"

	"github.com/lsc-bio/lsc/airr"
	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/formats/h5ad"
	"github.com/lsc-bio/lsc/formats/hdf5x"
	"github.com/lsc-bio/lsc/formats/table"
	"github.com/lsc-bio/lsc/formats/tenx"
	"github.com/lsc-bio/lsc/matrix"
)

// Options select the matrix inside a file.
type Options struct {
	Layer  string // h5ad layer
	UseRaw bool   // h5ad raw/X
	Genome string // 10x HDF5 genome group (Cell Ranger 1.x/2.x)
}

// Open returns a Source for path.
func Open(path string, opt Options) (matrix.Source, error) {
	kind, err := formats.Sniff(path)
	if err != nil {
		return nil, err
	}
	switch kind {
	case formats.Kind10xMTX:
		return tenx.OpenMTX(path)
	case formats.KindMTX:
		dir := filepath.Dir(path)
		if _, _, _, _, err := tenx.Find(dir); err == nil {
			return tenx.OpenMTX(dir)
		}
		return nil, formats.Errorf(path, 0, "", "give the folder holding matrix.mtx, barcodes.tsv and features.tsv", "a bare MatrixMarket file has no gene or cell names")
	case formats.KindHDF5:
		f, err := hdf5x.Open(path)
		if err != nil {
			return nil, formats.Errorf(path, 0, "", "", "cannot open as HDF5: %w", err)
		}
		isAnnData := f.Lookup("obs") != nil
		f.Close()
		if isAnnData {
			return h5ad.Open(path, h5ad.Options{Layer: opt.Layer, UseRaw: opt.UseRaw})
		}
		return tenx.OpenH5(path, opt.Genome)
	default:
		if f, _ := airr.Sniff(path); f != airr.FormatUnknown {
			return nil, formats.Errorf(path, 1, "header", "read it with 'lsc repertoire clonotypes' or 'lsc inspect'", "a receptor/feature table (%s), not an expression matrix", f)
		}
		m, err := table.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return matrix.NewMemSource(m), nil
	}
}
