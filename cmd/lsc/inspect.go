package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/airr"
	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/matrix"
)

// inspection is what 'lsc inspect' reports about an expression file.
type inspection struct {
	Path        string   `json:"path"`
	Format      string   `json:"format"`
	Matrix      string   `json:"matrix"`
	Cells       int      `json:"cells"`
	Genes       int      `json:"genes"`
	Notes       []string `json:"notes"`
	FirstCells  []string `json:"first_cells"`
	FirstGenes  []string `json:"first_genes"`
	Layers      []string `json:"layers,omitempty"`
	HasRaw      bool     `json:"has_raw,omitempty"`
	ObsColumns  []string `json:"obs_columns,omitempty"`
	OtherFeats  int      `json:"other_features,omitempty"`
	OtherFirsts []string `json:"first_other_features,omitempty"`
}

func inspectCmd() *cobra.Command {
	var layer, genome string
	var raw, asJSON, quiet bool
	c := &cobra.Command{
		Use:   "inspect INPUT",
		Short: "say what an expression file holds (format, matrix, size, layers, obs columns, antibody features)",
		Long: `Opens INPUT as 'lsc score' would and reports its format, the matrix read, the number of cells and
genes, the first names, and for h5ad its layers, raw matrix and obs columns; for 10x files the features
kept apart from Gene Expression (e.g. Antibody Capture). Receptor contig tables (10x contig CSV/JSON,
AIRR, Change-O, BD Rhapsody) and Cell Ranger feature_reference.csv are recognised too. Reads names only, not the values.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f, _ := airr.Sniff(args[0]); f != airr.FormatUnknown {
				return inspectReceptor(cmd.OutOrStdout(), args[0], f, asJSON)
			}
			src, err := input.Open(args[0], input.Options{Layer: layer, UseRaw: raw, Genome: genome})
			if err != nil {
				return err
			}
			defer src.Close()
			r := describe(args[0], src)
			if asJSON {
				e := json.NewEncoder(cmd.OutOrStdout())
				e.SetIndent("", "  ")
				return e.Encode(r)
			}
			r.write(cmd.OutOrStdout())
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVar(&layer, "layer", "", "h5ad: inspect layers/NAME instead of X")
	fl.BoolVar(&raw, "raw", false, "h5ad: inspect raw/X")
	fl.StringVar(&genome, "genome", "", "10x .h5 with several genomes: the one to read")
	fl.BoolVar(&asJSON, "json", false, "print JSON")
	addQuiet(fl, &quiet) // inspect prints no progress; accepted as on every command
	return c
}

// describe gathers what src holds, from its names (no values are read).
func describe(path string, src matrix.Source) inspection {
	r := inspection{Path: path, Cells: len(src.CellNames()), Genes: len(src.Features()), Notes: []string{}}
	if d, ok := src.(matrix.Described); ok {
		inf := d.Info()
		r.Format, r.Matrix, r.Notes = inf.Format, inf.Matrix, append(r.Notes, inf.Notes...)
	}
	r.FirstCells = src.CellNames()[:min(5, r.Cells)]
	for _, f := range src.Features()[:min(5, r.Genes)] {
		r.FirstGenes = append(r.FirstGenes, f.Name)
	}
	if h, ok := src.(interface {
		Layers() []string
		HasRaw() bool
		ObsColumns() []string
	}); ok {
		r.Layers, r.HasRaw, r.ObsColumns = h.Layers(), h.HasRaw(), h.ObsColumns()
	}
	if o, ok := src.(interface{ Other() []matrix.Feature }); ok {
		other := o.Other()
		r.OtherFeats = len(other)
		for _, f := range other[:min(5, len(other))] {
			r.OtherFirsts = append(r.OtherFirsts, f.Name)
		}
	}
	return r
}

// write prints the inspection as text.
func (r inspection) write(w io.Writer) {
	fmt.Fprintf(w, "%s: %s, matrix %s: %d cells x %d genes\n", r.Path, r.Format, r.Matrix, r.Cells, r.Genes)
	if len(r.Notes) > 0 {
		fmt.Fprintf(w, "notes: %s\n", strings.Join(r.Notes, "; "))
	}
	fmt.Fprintf(w, "cells: %s\ngenes: %s\n", list(r.FirstCells, r.Cells), list(r.FirstGenes, r.Genes))
	if r.Format == "h5ad" {
		fmt.Fprintf(w, "layers: %s (--layer NAME)\nraw matrix: %v (--raw)\nobs columns: %s\n",
			list(r.Layers, len(r.Layers)), r.HasRaw, list(r.ObsColumns, len(r.ObsColumns)))
	}
	if r.OtherFeats > 0 {
		fmt.Fprintf(w, "other features (not Gene Expression, kept apart): %s\n", list(r.OtherFirsts, r.OtherFeats))
	}
}

// list prints up to the names given and how many there are in all.
func list(names []string, total int) string {
	if total == 0 {
		return "none"
	}
	s := strings.Join(names, ", ")
	if total > len(names) {
		s += fmt.Sprintf(", ... (%d in all)", total)
	}
	return s
}
