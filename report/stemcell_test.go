package report

import (
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/stemcell"
)

// The histogram figure carries what a reader needs (issue 11, figures): a
// legend for below/above the threshold, a count axis per sample, the
// signature and method on the score axis, and an explanation for a sample
// without counted cells; the fraction plot labels its risk groups.
func TestStemFigures(t *testing.T) {
	r := &stemcell.Result{Threshold: stemcell.Threshold{Method: "fixed", Value: 0.5}, Bands: stemcell.Bands{0.05, 0.15}}
	for i, v := range []float64{0.1, 0.2, 0.6, 0.7, 0.7} {
		r.Cells = append(r.Cells, stemcell.Cell{Sample: "A", Cell: string(rune('a' + i)), Type: "HSC-like", Score: v, Kept: true, StemLike: v >= 0.5})
	}
	r.Cells = append(r.Cells, stemcell.Cell{Sample: "B", Cell: "x", Type: "T", Score: 0.9})
	r.Burdens = []stemcell.Burden{
		stemcell.NewBurden("A", "P1", "diagnosis", []float64{0.1, 0.2, 0.6, 0.7, 0.7}, 0.5, r.Bands),
		stemcell.NewBurden("B", "P2", "diagnosis", nil, 0.5, r.Bands),
	}
	r.Burdens[1].Types = []stemcell.TypeCount{{Type: "T", N: 1}}
	svg := ScoreHistograms(r, StemMeta{Signature: "LSPC-Quiescent", Method: "ucell", Keep: []string{"*-like"}})
	for _, want := range []string{"below threshold (not stem-like)", "at or above threshold (stem-like)", "cells per bin",
		"LSPC-Quiescent score (ucell)", "no cells match --keep *-like; it has T 1", ">2</text>", "0.5 (fixed)"} {
		if !strings.Contains(svg, want) {
			t.Errorf("histograms lack %q", want)
		}
	}
	frac := FractionPlot(r)
	for _, want := range []string{"risk group:", "&lt;=5%", "5%-15%", "&gt;15%", "no cells counted"} {
		if !strings.Contains(frac, want) {
			t.Errorf("fraction plot lacks %q", want)
		}
	}
}
