package store

import (
	"fmt"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/formats/sheet"
)

// cartColumns identify lsc cart's samples.tsv (told apart from lsc
// stemcells' samples.tsv by car_fraction).
var cartColumns = []string{"sample", "patient", "timepoint", "group", "cells", "car_pos", "car_fraction", "car_lower95", "car_upper95", "shannon", "top_share"}

func isCartSamples(sh *sheet.Sheet) bool { return sh.Col("car_fraction") >= 0 }

// readCartSamples imports lsc cart's per-sample CAR+ fraction (with its
// Wilson interval and counts), clonal Shannon diversity and top-clone
// share as timeline series; empty values (no expression or no contigs for
// a sample) are skipped.
func readCartSamples(b *bundle, sh *sheet.Sheet, meta sampleMeta) error {
	c := colsOf(sh, cartColumns...)
	for _, r := range sh.Rows {
		g := func(i int) string { return r.Get(c[i]) }
		if g(0) == "" || g(1) == "" {
			return formats.Errorf(sh.Path, r.Line, "", "every row needs a sample and a patient", "empty sample or patient")
		}
		s, err := sampleOf(sh, r, meta, g(1), g(0), g(2))
		if err != nil {
			return err
		}
		if err := b.sample(s, fmt.Sprintf("%s line %d", sh.Path, r.Line)); err != nil {
			return err
		}
		base := resultRec{patient: g(1), sample: g(0), assay: "single_cell", fraction: s.fraction, unit: "fraction", label: g(3),
			file: "samples.tsv", line: r.Line, fields: rowFields(sh, r)}
		if g(6) != "" {
			res := base
			res.metric = "car_fraction"
			if res.n, err = integer(g(4), sh.Path, r.Line, "cells"); err != nil {
				return err
			}
			if res.k, err = integer(g(5), sh.Path, r.Line, "car_pos"); err != nil {
				return err
			}
			if err := nums(&res, sh.Path, r.Line, g(6), g(7), g(8), "car_fraction", "car_lower95", "car_upper95"); err != nil {
				return err
			}
			b.results = append(b.results, res)
		}
		for _, m := range []struct {
			col  int
			name string
			unit string
		}{{9, "clonal_shannon", "nats"}, {10, "top_clone_share", "fraction"}} {
			if g(m.col) == "" {
				continue
			}
			res := base
			res.metric, res.unit = m.name, m.unit
			if res.value, err = num(g(m.col), sh.Path, r.Line, cartColumns[m.col]); err != nil {
				return err
			}
			b.results = append(b.results, res)
		}
	}
	return nil
}

// cartStateColumns identify lsc cart's states.tsv.
var cartStateColumns = []string{"sample", "patient", "timepoint", "group", "t_group", "state", "cells", "t_cells", "fraction"}

// readCartStates imports the T-cell state fractions among all CD4/CD8 T
// cells (t_group "T") as series tcell_state:NAME with their counts; rows
// without T cells (empty fraction) are skipped.
func readCartStates(b *bundle, sh *sheet.Sheet, meta sampleMeta) error {
	c := colsOf(sh, cartStateColumns...)
	for _, r := range sh.Rows {
		g := func(i int) string { return r.Get(c[i]) }
		if g(4) != "T" || g(8) == "" {
			continue
		}
		if g(0) == "" || g(1) == "" || g(5) == "" {
			return formats.Errorf(sh.Path, r.Line, "", "every row needs a sample, a patient and a state", "empty sample, patient or state")
		}
		s, err := sampleOf(sh, r, meta, g(1), g(0), g(2))
		if err != nil {
			return err
		}
		if err := b.sample(s, fmt.Sprintf("%s line %d", sh.Path, r.Line)); err != nil {
			return err
		}
		res := resultRec{patient: g(1), sample: g(0), assay: "single_cell", fraction: s.fraction, unit: "fraction", label: g(3),
			metric: "tcell_state:" + g(5), file: "states.tsv", line: r.Line, fields: rowFields(sh, r)}
		if res.k, err = integer(g(6), sh.Path, r.Line, "cells"); err != nil {
			return err
		}
		if res.n, err = integer(g(7), sh.Path, r.Line, "t_cells"); err != nil {
			return err
		}
		if res.value, err = num(g(8), sh.Path, r.Line, "fraction"); err != nil {
			return err
		}
		b.results = append(b.results, res)
	}
	return nil
}

// cartPlasmaColumns identify lsc cart's plasma.tsv.
var cartPlasmaColumns = []string{"sample", "patient", "timepoint", "group", "protein", "plasma_cells", "mean_clr"}

// readCartPlasma imports each protein's mean CLR on plasma cells as series
// plasma_clr:PROTEIN (n = plasma cells); rows without plasma cells are
// skipped.
func readCartPlasma(b *bundle, sh *sheet.Sheet, meta sampleMeta) error {
	c := colsOf(sh, cartPlasmaColumns...)
	for _, r := range sh.Rows {
		g := func(i int) string { return r.Get(c[i]) }
		if g(6) == "" {
			continue
		}
		if g(0) == "" || g(1) == "" || g(4) == "" {
			return formats.Errorf(sh.Path, r.Line, "", "every row needs a sample, a patient and a protein", "empty sample, patient or protein")
		}
		s, err := sampleOf(sh, r, meta, g(1), g(0), g(2))
		if err != nil {
			return err
		}
		if err := b.sample(s, fmt.Sprintf("%s line %d", sh.Path, r.Line)); err != nil {
			return err
		}
		res := resultRec{patient: g(1), sample: g(0), assay: "single_cell", fraction: s.fraction, unit: "CLR", label: g(3),
			metric: "plasma_clr:" + g(4), file: "plasma.tsv", line: r.Line, fields: rowFields(sh, r)}
		if res.n, err = integer(g(5), sh.Path, r.Line, "plasma_cells"); err != nil {
			return err
		}
		if res.value, err = num(g(6), sh.Path, r.Line, "mean_clr"); err != nil {
			return err
		}
		b.results = append(b.results, res)
	}
	return nil
}
