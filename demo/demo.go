// Package demo embeds the demo data of 'lsc demo': van Galen et al. 2019
// (Cell 176:1265, doi:10.1016/j.cell.2019.01.031) sample AML870-D0, GEO
// GSM3587984 (UMI counts, 27,899 genes x 345 cells, Seq-Well) with its
// per-cell annotation GSM3587985 (CellType, PredictionRefined). The files are
// the unmodified GEO supplementary files; NCBI places no restrictions on GEO
// data. See demo/data/README.md.
package demo

import (
	"embed"
	"io"
	"os"
	"path/filepath"
)

//go:embed data/GSM3587984_AML870-D0.dem.txt.gz data/GSM3587985_AML870-D0.anno.txt.gz
var files embed.FS

// Matrix and Annotation are the embedded file names.
const (
	Matrix     = "data/GSM3587984_AML870-D0.dem.txt.gz"
	Annotation = "data/GSM3587985_AML870-D0.anno.txt.gz"
)

// Extract writes the embedded files into dir and returns the matrix path.
func Extract(dir string) (string, error) {
	for _, name := range []string{Matrix, Annotation} {
		in, err := files.Open(name)
		if err != nil {
			return "", err
		}
		out, err := os.Create(filepath.Join(dir, filepath.Base(name)))
		if err != nil {
			in.Close()
			return "", err
		}
		_, err = io.Copy(out, in)
		in.Close()
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return "", err
		}
	}
	return filepath.Join(dir, filepath.Base(Matrix)), nil
}
