package cart

import (
	"fmt"
	"math"
	"strings"

	"github.com/lsc-bio/lsc/adt"
	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/formats/sheet"
	"github.com/lsc-bio/lsc/repertoire"
	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
)

// Unassigned is the state of a T cell whose state scores are all zero.
const Unassigned = "unassigned"

// StateRow is the share of one T-cell state among the T cells (all, CD4 or
// CD8) of one sample.
type StateRow struct {
	Sample, Patient, Timepoint, Group string
	TGroup                            string // "T" (CD4 and CD8), "CD4" or "CD8"
	State                             string
	Cells, Total                      int
	Fraction                          float64 // Cells / Total (NaN without T cells)
	MeanScore                         float64 // mean score of the state's signature over the Total cells (NaN for unassigned)
}

// PlasmaRow is the mean CLR of one protein on one sample's plasma cells.
type PlasmaRow struct {
	Sample, Patient, Timepoint, Group string
	Protein, Antibody                 string // asked for; matched antibody feature
	PlasmaCells                       int
	MeanCLR                           float64 // NaN without plasma cells
}

// scoreStates scores the state signatures on every cell of the sample's
// expression input and assigns each CD4/CD8 T cell the state of its highest
// score (ties: the first in the order given; all zero: unassigned).
func scoreStates(s Sample, calls *Calls, opt Options) ([]StateRow, error) {
	src, err := input.Open(s.Expression, input.Options{})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	sc, err := score.Run(src, opt.States, score.Options{Method: opt.StateMethod, Workers: 1})
	if err != nil {
		return nil, fmt.Errorf("sample %s (%s): T-cell states: %w", s.Sample, s.Expression, err)
	}
	names := make([]string, 0, len(sc.Signatures)+1)
	for _, r := range sc.Signatures {
		names = append(names, r.Sig.Name)
	}
	names = append(names, Unassigned)
	var rows []StateRow
	for _, tg := range []string{"T", "CD4", "CD8"} {
		counts := make([]int, len(names))
		sums := make([]float64, len(names))
		total := 0
		for c, g := range calls.TGroup {
			if g == "" || (tg != "T" && g != tg) {
				continue
			}
			total++
			best, bestV := len(names)-1, 0.0
			for k := range sc.Signatures {
				v := sc.Scores[k][c]
				sums[k] += v
				if v > bestV {
					best, bestV = k, v
				}
			}
			counts[best]++
		}
		for k, n := range names {
			r := StateRow{Sample: s.Sample, Patient: s.Patient, Timepoint: s.Timepoint, Group: s.Group, TGroup: tg, State: n,
				Cells: counts[k], Total: total, Fraction: math.NaN(), MeanScore: math.NaN()}
			if total > 0 {
				r.Fraction = float64(counts[k]) / float64(total)
				if n != Unassigned {
					r.MeanScore = sums[k] / float64(total)
				}
			}
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// readLabels reads a cell-type table (header; the cell barcode in the first
// column or one named "cell"/"barcode", the label in a column named
// "cell_type", "celltype" or "label", else the second) and returns each
// expression cell's label ("" when the table does not list it).
func readLabels(s Sample, cells []string, minJoin float64) ([]string, error) {
	sh, err := sheet.Read(s.CellTypes)
	if err != nil {
		return nil, err
	}
	cc := 0
	for _, n := range []string{"cell", "barcode"} {
		if i := sh.Col(n); i >= 0 {
			cc = i
			break
		}
	}
	lc := -1
	for _, n := range []string{"cell_type", "celltype", "label"} {
		if i := sh.Col(n); i >= 0 {
			lc = i
			break
		}
	}
	if lc < 0 {
		if len(sh.Header) < 2 {
			return nil, fmt.Errorf("%s: a cell-type table needs a cell column and a cell_type column (header %v)", s.CellTypes, sh.Header)
		}
		lc = 1
		if cc == 1 {
			lc = 0
		}
	}
	keys := make([]repertoire.CellKey, len(sh.Rows))
	for i, r := range sh.Rows {
		keys[i] = repertoire.CellKey{Sample: s.Sample, Barcode: r.Get(cc)}
	}
	idx, _, _, err := repertoire.Join(cells, keys, []string{s.Sample}, minJoin)
	if err != nil {
		return nil, fmt.Errorf("sample %s: joining cell types %s to %s: %w", s.Sample, s.CellTypes, s.Expression, err)
	}
	out := make([]string, len(cells))
	for i, j := range idx {
		if j >= 0 {
			out[j] = strings.TrimSpace(sh.Rows[i].Get(lc))
		}
	}
	return out, nil
}

// IsPlasma reports whether a cell-type label names plasma cells under the
// rule of Options.PlasmaLabel: the label contains it, ignoring case.
func IsPlasma(label, rule string) bool {
	return rule != "" && strings.Contains(strings.ToLower(label), strings.ToLower(rule))
}

// matchAntibody finds a protein among antibody feature names: the same
// name (ignoring case) or the name followed by "_" (Cell Ranger feature
// reference names such as CD269_proteona).
func matchAntibody(abs []string, protein string) int {
	for i, a := range abs {
		if strings.EqualFold(a, protein) {
			return i
		}
	}
	for i, a := range abs {
		if len(a) > len(protein) && strings.EqualFold(a[:len(protein)], protein) && a[len(protein)] == '_' {
			return i
		}
	}
	return -1
}

// plasmaProteins reads the antibody counts of the sample's expression
// input, normalises them by Seurat's CLR across the antibodies of each cell
// (margin 2, as Rade et al. 2024) and averages the asked proteins over the
// cells labelled plasma cells.
func plasmaProteins(s Sample, labels []string, opt Options) ([]PlasmaRow, error) {
	src, err := input.Open(s.Expression, input.Options{})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	m, err := adt.FromSource(src)
	if err != nil {
		return nil, fmt.Errorf("sample %s (%s): plasma-cell proteins: %w", s.Sample, s.Expression, err)
	}
	clr, err := adt.CLR(m, 2)
	if err != nil {
		return nil, err
	}
	if len(clr.Cells) != len(labels) {
		return nil, fmt.Errorf("sample %s: %d antibody cells but %d expression cells", s.Sample, len(clr.Cells), len(labels))
	}
	var rows []PlasmaRow
	for _, p := range opt.Proteins {
		a := matchAntibody(clr.Antibodies, p)
		if a < 0 {
			return nil, fmt.Errorf("sample %s (%s): no antibody %s among %d (first: %s); name it with --proteins",
				s.Sample, s.Expression, p, len(clr.Antibodies), strings.Join(clr.Antibodies[:min(5, len(clr.Antibodies))], ", "))
		}
		r := PlasmaRow{Sample: s.Sample, Patient: s.Patient, Timepoint: s.Timepoint, Group: s.Group, Protein: p, Antibody: clr.Antibodies[a], MeanCLR: math.NaN()}
		var sum float64
		for c, l := range labels {
			if IsPlasma(l, opt.PlasmaLabel) {
				r.PlasmaCells++
				sum += clr.Values[a][c]
			}
		}
		if r.PlasmaCells > 0 {
			r.MeanCLR = sum / float64(r.PlasmaCells)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// defaultStates are the built-in T-cell state signatures.
func defaultStates() []signature.Signature {
	var out []signature.Signature
	for _, n := range signature.TCellStates {
		s, _ := signature.Lookup(n)
		out = append(out, s)
	}
	return out
}
