package repertoire

import (
	"errors"
	"fmt"
	"strings"
)

// ErrJoin is wrapped when few receptor cells match the expression cells.
var ErrJoin = errors.New("barcodes do not match")

// CellKey names a receptor cell: its sample and its barcode as the contig
// file writes it.
type CellKey struct{ Sample, Barcode string }

// Join maps receptor cells to expression cell names, trying the naming
// rules of the common tools and keeping the one that matches most cells:
//
//	exact          the same string (one sample, or names already unique)
//	sample affix   Seurat add.cell.ids / RenameCells ("S1_AAAC...-1"),
//	               scRepertoire ("S1_AAAC...-1"), scanpy concat
//	               index_unique ("AAAC...-1-S1"): the expression name less
//	               the barcode equals the sample name (separators _ - : . #)
//	aggr well      Cell Ranger aggr: the k-th sample's "-1" becomes "-k"
//	               (samples in the order given)
//	barcode core   the 16-base barcode alone, when it is unique over samples
//
// Returned: for each receptor cell the expression index or -1, the rule
// used, and the number matched. When fewer than minFrac of the receptor
// cells match, the error shows examples of both sides.
func Join(expr []string, cells []CellKey, samples []string, minFrac float64) (idx []int, rule string, matched int, err error) {
	type ruleFn struct {
		name string
		key  func(CellKey) []string
		ek   func(string) string
	}
	sampleNo := map[string]int{}
	for i, s := range samples {
		sampleNo[s] = i + 1
	}
	rules := []ruleFn{
		{"exact", func(c CellKey) []string { return []string{c.Barcode} }, func(e string) string { return e }},
		{"sample affix", func(c CellKey) []string { return []string{norm(c.Sample) + "\x00" + c.Barcode} }, func(e string) string {
			core, rest := splitBarcode(e)
			if core == "" {
				return ""
			}
			return norm(rest) + "\x00" + core
		}},
		{"aggr well", func(c CellKey) []string {
			core, _ := splitBarcode(c.Barcode)
			if core == "" {
				return nil
			}
			return []string{stripWell(core) + "-" + fmt.Sprint(sampleNo[c.Sample])}
		}, func(e string) string { return e }},
		{"barcode core", func(c CellKey) []string {
			core, _ := splitBarcode(c.Barcode)
			return []string{stripWell(core)}
		}, func(e string) string { core, _ := splitBarcode(e); return stripWell(core) }},
	}
	best := -1
	for _, r := range rules {
		pos := map[string]int{}
		dup := map[string]bool{}
		for i, e := range expr {
			k := r.ek(e)
			if k == "" {
				continue
			}
			if _, ok := pos[k]; ok {
				dup[k] = true
			}
			pos[k] = i
		}
		// a key shared by receptor cells of different samples is ambiguous
		vdjSeen := map[string]int{}
		for _, c := range cells {
			for _, k := range r.key(c) {
				vdjSeen[k]++
			}
		}
		cur := make([]int, len(cells))
		n := 0
		for j, c := range cells {
			cur[j] = -1
			for _, k := range r.key(c) {
				if i, ok := pos[k]; ok && k != "" && !dup[k] && vdjSeen[k] == 1 {
					cur[j] = i
					n++
					break
				}
			}
		}
		if n > best {
			best, idx, rule = n, cur, r.name
		}
	}
	matched = best
	if len(cells) > 0 && float64(matched) < minFrac*float64(len(cells)) {
		return idx, rule, matched, fmt.Errorf("%w: only %d of %d receptor cells found among %d expression cells (best rule: %s); receptor cells look like %s, expression cells like %s; name the samples as the expression file does (--samples sample column) or rename the cells",
			ErrJoin, matched, len(cells), len(expr), rule, examplesKeys(cells), examples(expr))
	}
	return idx, rule, matched, nil
}

// splitBarcode finds the 10x barcode (a run of >= 10 bases with an
// optional -N well) in a name; rest is the name without it.
func splitBarcode(s string) (core, rest string) {
	bestA, bestB := -1, -1
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && strings.IndexByte("ACGTN", s[j]) >= 0 {
			j++
		}
		if j-i >= 10 && j-i > bestB-bestA {
			bestA, bestB = i, j
		}
		if j == i {
			j++
		}
		i = j
	}
	if bestA < 0 {
		return "", s
	}
	b := bestB
	if b+1 < len(s) && s[b] == '-' && s[b+1] >= '0' && s[b+1] <= '9' {
		b++
		for b < len(s) && s[b] >= '0' && s[b] <= '9' {
			b++
		}
	}
	return s[bestA:b], s[:bestA] + s[b:]
}

func stripWell(core string) string {
	if i := strings.IndexByte(core, '-'); i >= 0 {
		return core[:i]
	}
	return core
}

func norm(s string) string { return strings.Trim(s, "_-:.# ") }

func examples(s []string) string {
	n := min(3, len(s))
	if n == 0 {
		return "(none)"
	}
	return `"` + strings.Join(s[:n], `", "`) + `"`
}

func examplesKeys(c []CellKey) string {
	var s []string
	for _, k := range c[:min(3, len(c))] {
		s = append(s, k.Sample+": "+k.Barcode)
	}
	return examples(s)
}
