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
