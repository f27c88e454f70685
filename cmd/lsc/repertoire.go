package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/atomicfile"
	"github.com/lsc-bio/lsc/formats/sheet"
	"github.com/lsc-bio/lsc/repertoire"
	"github.com/lsc-bio/lsc/report"
)

func repertoireCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "repertoire",
		Short: "immune receptor repertoires: chain QC, clonotypes, diversity (TCR/BCR from 10x, AIRR, Change-O, BD)",
	}
	c.AddCommand(clonotypesCmd())
	return c
}

type repFlags struct {
	samples, seq, arms, dual, out string
	groups                        string
	allContigs, noGroup, force    bool
	quiet                         bool
	reps, jobs                    int
	bIdentity                     float64
	seed                          uint64
}

var repOutputs = []string{"cells.tsv", "clonotypes.tsv", "diversity.tsv", "overlap.tsv", "report.html", "run.json"}

func clonotypesCmd() *cobra.Command {
	var f repFlags
	c := &cobra.Command{
		Use:   "clonotypes CONTIGS... [--samples SHEET] --out DIR",
		Short: "index chains, call chain pairing and clonotypes, measure clonal diversity per sample",
		Long: `Reads receptor contigs (10x filtered_contig_annotations.csv or all_contig_annotations.json of Cell Ranger
3-8, AIRR Rearrangement TSV, Change-O .tab, BD Rhapsody VDJ tables; recognised by content, plain or gzip),
keeps productive chains with a CDR3, indexes up to two VJ and two VDJ chains per cell by UMI count and
classifies chain pairing exactly as scirpy (pp.index_chains, tl.chain_qc). Clonotypes are defined over
all samples together (shared clones get one id) as scirpy's define_clonotypes with the identity metric:
--sequence nt|aa|strict (strict = V(D)JC genes + junction nt, scRepertoire's CTstrict; use it with
--dual-ir all), --receptor-arms all|any|VJ|VDJ, --dual-ir primary_only|any|all; clonotypes stay
within one receptor type unless --no-group. Contigs with is_cell or high_confidence false are dropped
(scirpy's default) unless --all-contigs.

--groups TABLE (columns cell, group, e.g. CD4/CD8 exported from Seurat or scanpy; cell names as there,
matched by the rules of lsc cart) adds diversity rows per sample and group.

Samples: one per file, named after the file, or from a "sample" column in the file (immunarch's
merged tables), or from --samples SHEET (TSV/CSV with columns sample and path; paths relative to the
sheet).

DIR: cells.tsv (cell, sample, receptor_type, chain_pairing, vj_junction, vdj_junction, clone_id,
clone_size), clonotypes.tsv (per clone and sample: cells, fraction, size bin 1/<=5/<=20/<=100/>100 as
Rade et al. 2024, scRepertoire proportion bin), diversity.tsv (Shannon, normalised Shannon, clonality,
Simpson, inverse Simpson, Gini-Simpson, Gini, Chao1 (vegan's) with 95% interval, D50 count (immunarch) and %
(scirpy), Hill numbers q=0..3, and indices rarefied to the smallest sample with --seed), overlap.tsv
(per pair of samples: shared clonotypes, Jaccard, Morisita-Horn), report.html, run.json.`,
		Example: `  lsc repertoire clonotypes filtered_contig_annotations.csv --out rep/
  lsc repertoire clonotypes --samples vdj.tsv --sequence aa --dual-ir primary_only --out rep/`,
		RunE: func(cmd *cobra.Command, args []string) error { return runClonotypes(cmd, args, f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.samples, "samples", "", "sample sheet with columns sample, path")
	fl.StringVar(&f.groups, "groups", "", "cell groups table (columns cell, group; e.g. CD4/CD8 from Seurat metadata): diversity per sample and group too")
	fl.StringVar(&f.seq, "sequence", "nt", "junction compared: nt, aa or strict (genes + nt)")
	fl.StringVar(&f.arms, "receptor-arms", "all", "all, any, VJ or VDJ")
	fl.StringVar(&f.dual, "dual-ir", "any", "primary_only, any or all")
	fl.BoolVar(&f.noGroup, "no-group", false, "let clonotypes span receptor types")
	fl.BoolVar(&f.allContigs, "all-contigs", false, "keep contigs with is_cell/high_confidence false")
	fl.Float64Var(&f.bIdentity, "b-identity", 0, "also B-cell clonal clusters (same V/J, heavy junction aa identity >= this, e.g. 0.85 as dandelion) in cells.tsv b_cluster")
	fl.IntVar(&f.reps, "rarefy", 100, "rarefaction draws when samples are compared")
	fl.Uint64Var(&f.seed, "seed", 1, "rarefaction seed")
	fl.IntVarP(&f.jobs, "jobs", "j", runtime.NumCPU(), "files read and samples rarefied at once (output is the same for any value)")
	fl.StringVarP(&f.out, "out", "o", "", "output directory")
	fl.BoolVar(&f.force, "force", false, "replace existing result files in --out")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress messages")
	c.MarkFlagRequired("out")
	return c
}

func runClonotypes(cmd *cobra.Command, args []string, f repFlags) error {
	inputs, err := repInputs(args, f.samples)
	if err != nil {
		return err
	}
	opt := repertoire.RunOptions{Options: repertoire.Options{Sequence: f.seq, ReceptorArms: f.arms, DualIR: f.dual, NoGroup: f.noGroup},
		Index: repertoire.IndexOptions{KeepAllContigs: f.allContigs}, RarefyReps: f.reps, Seed: f.seed, BIdentity: f.bIdentity, Jobs: f.jobs}
	if _, err := repertoire.Define(nil, opt.Options); err != nil {
		return usageError{err}
	}
	if f.jobs < 1 {
		return usageError{fmt.Errorf("--jobs %d: give 1 or more", f.jobs)}
	}
	if f.groups != "" {
		if opt.Groups, err = readGroups(f.groups); err != nil {
			return err
		}
	}
	if err := asUsage(atomicfile.CheckDir(f.out, f.force, repOutputs...)); err != nil {
		return err
	}
	res, err := repertoire.Run(inputs, opt)
	if err != nil {
		return err
	}
	run := map[string]any{"lsc_version": version, "inputs": res.Files,
		"parameters": map[string]any{"sequence": res.Options.Sequence, "receptor_arms": res.Options.ReceptorArms, "dual_ir": res.Options.DualIR,
			"within_receptor_type": !f.noGroup, "all_contigs": f.allContigs, "rarefy": f.reps, "seed": f.seed}}
	meta := report.RepertoireMeta{Version: version, Command: "lsc repertoire clonotypes " + strings.Join(args, " ")}
	if err := writeDir(f.out, true, []outFile{
		{Name: "cells.tsv", Fill: func(w io.Writer) error { return report.RepertoireCells(w, res) }},
		{Name: "clonotypes.tsv", Fill: func(w io.Writer) error { return report.RepertoireClonotypes(w, res) }},
		{Name: "diversity.tsv", Fill: func(w io.Writer) error { return report.RepertoireDiversity(w, res.Diversity) }},
		{Name: "overlap.tsv", Fill: func(w io.Writer) error { return report.RepertoireOverlap(w, res) }},
		{Name: "report.html", Fill: func(w io.Writer) error { return report.RepertoireHTML(w, res, meta) }},
		{Name: "run.json", Fill: func(w io.Writer) error { return writeJSON(w, run) }},
	}); err != nil {
		return err
	}
	if !f.quiet {
		fmt.Fprintf(cmd.ErrOrStderr(), "lsc: %d cells in %d samples, %d clonotypes\n", len(res.Cells), len(res.Samples), len(res.Clones.Size))
	}
	return nil
}

// repInputs takes the contig files from the arguments or the sample sheet.
func repInputs(args []string, samples string) ([]repertoire.Input, error) {
	var in []repertoire.Input
	for _, a := range args {
		in = append(in, repertoire.Input{Path: a})
	}
	if samples != "" {
		sh, err := sheet.Read(samples)
		if err != nil {
			return nil, err
		}
		cols, err := sh.Require("sample sheet", "sample", "path")
		if err != nil {
			return nil, err
		}
		for _, r := range sh.Rows {
			p := r.Get(cols[1])
			if !filepath.IsAbs(p) {
				p = filepath.Join(filepath.Dir(samples), p)
			}
			in = append(in, repertoire.Input{Path: p, Sample: r.Get(cols[0])})
		}
	}
	if len(in) == 0 {
		return nil, usageError{errors.New("give contig files or --samples SHEET")}
	}
	return in, nil
}

// readGroups reads a cell -> group table (TSV/CSV with columns cell and group).
func readGroups(path string) (*repertoire.CellGroups, error) {
	sh, err := sheet.Read(path)
	if err != nil {
		return nil, err
	}
	cols, err := sh.Require("cell groups table", "cell", "group")
	if err != nil {
		return nil, err
	}
	g := &repertoire.CellGroups{}
	for _, r := range sh.Rows {
		g.Cells = append(g.Cells, r.Get(cols[0]))
		g.Groups = append(g.Groups, r.Get(cols[1]))
	}
	return g, nil
}
