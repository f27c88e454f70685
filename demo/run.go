package demo

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/formats/sheet"
	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
	"github.com/lsc-bio/lsc/stats"
)

// Result is the demo: the scores, the mean score per cell type, and how
// well each signature separates the authors' HSC-like malignant cells from
// the other malignant cells.
type Result struct {
	Scores *score.Result
	Genes  int
	Groups []Group // by cell type, sorted by name
	// HSC holds per signature the Mann-Whitney test (with its AUC) of
	// HSC-like against the other malignant cells.
	HSC []stats.MannWhitney
	// NHSC and NOther count the cells of that comparison.
	NHSC, NOther int
}

// Group is one cell type: its number of cells and mean score per signature.
type Group struct {
	Type  string
	Cells int
	Mean  []float64
}

// Signatures returns the built-in signatures the demo scores with method:
// LSPC-Quiescent with LSC104 (up/down) for methods that score up/down
// pairs, with LSC104_UP for the others, and LSC17 for weighted.
func Signatures(method string) string {
	switch method {
	case "ucell", "singscore":
		return "LSPC-Quiescent,LSC104"
	case "weighted":
		return "LSC17"
	}
	return "LSPC-Quiescent,LSC104_UP"
}

// Run extracts the demo files into a temporary folder, scores sigs with
// opt, and summarises the scores by the authors' cell types (CellType,
// with cells PredictionRefined calls normal as "normal").
func Run(sigs []signature.Signature, opt score.Options) (*Result, error) {
	dir, err := os.MkdirTemp("", "lsc-demo")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path, err := Extract(dir)
	if err != nil {
		return nil, err
	}
	src, err := input.Open(path, input.Options{})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	sr, err := score.Run(src, sigs, opt)
	if err != nil {
		return nil, err
	}
	types, err := readTypes(filepath.Join(dir, filepath.Base(Annotation)))
	if err != nil {
		return nil, err
	}
	return summarise(sr, len(src.Features()), types)
}

// readTypes returns cell -> CellType, or PredictionRefined (e.g. "normal")
// for cells not called malignant.
func readTypes(path string) (map[string]string, error) {
	sh, err := sheet.Read(path)
	if err != nil {
		return nil, err
	}
	col, err := sh.Require("the demo annotation", "CellType", "PredictionRefined")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, r := range sh.Rows {
		t := r.Get(col[0])
		if p := r.Get(col[1]); p != "malignant" {
			t = p
		}
		out[r.Get(0)] = t
	}
	return out, nil
}

func summarise(sr *score.Result, genes int, types map[string]string) (*Result, error) {
	res := &Result{Scores: sr, Genes: genes}
	idx := map[string][]int{}
	for c, cell := range sr.Cells {
		t, ok := types[cell]
		if !ok {
			return nil, fmt.Errorf("demo: cell %s has no annotation", cell)
		}
		idx[t] = append(idx[t], c)
	}
	var names []string
	for k := range idx {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, g := range names {
		grp := Group{Type: g, Cells: len(idx[g])}
		for s := range sr.Signatures {
			var m float64
			for _, c := range idx[g] {
				m += sr.Scores[s][c]
			}
			grp.Mean = append(grp.Mean, m/float64(len(idx[g])))
		}
		res.Groups = append(res.Groups, grp)
	}
	for s := range sr.Signatures {
		var hsc, other []float64
		for c, cell := range sr.Cells {
			switch t := types[cell]; {
			case t == "HSC-like":
				hsc = append(hsc, sr.Scores[s][c])
			case t != "normal":
				other = append(other, sr.Scores[s][c])
			}
		}
		mw, err := stats.MannWhitneyTest(hsc, other)
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		res.HSC = append(res.HSC, mw)
		res.NHSC, res.NOther = len(hsc), len(other)
	}
	return res, nil
}
