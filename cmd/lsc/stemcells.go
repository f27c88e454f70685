package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/matrix"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
	"github.com/lsc-bio/lsc/stemcell"
	"github.com/lsc-bio/lsc/study"
)

type stemFlags struct {
	samples, sig, method, threshold, normalize, out, bands string
	cut, refQ                                              float64
	keep, reference                                        []string
	bootstrap, jobs, maxRank, nbin, ctrl                   int
	seed                                                   uint64
	force, quiet                                           bool
}

func stemcellsCmd() *cobra.Command {
	var f stemFlags
	c := &cobra.Command{
		Use:   "stemcells --samples SHEET --signature NAME|FILE --out DIR",
		Short: "call stem-like cells per sample, measure their burden, follow each patient",
		Long: `Scores every sample of a study with one signature, fits ONE threshold for the whole study (never per
sample, which would hide expansion), and measures the stem-like burden.

SHEET (TSV or CSV): sample, patient, timepoint (diagnosis, remission, relapse, dayN or a date), path
(any input lsc score reads), and optional annotation (per-cell table), cell_column (its barcode
column, default the first), celltype_column (e.g. van Galen's PredictionRefined or CellType),
outcome (relapse yes/no) and treatment. Relative paths are read from the sheet's folder. The
sheet is checked before any work: missing columns or files, duplicate samples and patients
without a diagnosis sample stop the run naming the row.

Thresholds (--threshold): a number, e.g. --threshold 0.25 on modulescore as Costea et al. 2025 (or
fixed with --cut), jenks
(2-class natural breaks on the pooled scores, as Costea chose theirs; default), mixture (2-component
Gaussian mixture), reference (the --ref-quantile of --reference cell types, e.g. normal cells).
Cells counted for burden: those whose cell type matches --keep (globs, e.g. '*-like'); all when empty.

DIR: cells.tsv (sample, cell, score, stem_like), samples.tsv (fraction, Wilson 95% CI, risk group by
--bands), patients.tsv (fractions per timepoint, diagnosis->relapse fold change with a seeded
bootstrap 95% CI, prop.test), cohort.tsv (with an outcome column: Mann-Whitney and AUC with DeLong
CI of the diagnosis fraction), report.html, run.json. Scores per sample are cached in DIR/cache
(keyed by input checksums and parameters), so an interrupted run resumes where it stopped.`,
		Args: cobra.NoArgs,
		Example: `  lsc stemcells --samples study.tsv --signature LSPC-Quiescent --method ucell --keep '*-like' --out stem/
  lsc stemcells --samples tall.tsv --signature stem.gmt --method modulescore --threshold 0.25 --out stem/`,
		RunE: func(cmd *cobra.Command, args []string) error { return runStemcells(cmd, f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.samples, "samples", "", "sample sheet (TSV/CSV)")
	fl.StringVarP(&f.sig, "signature", "s", "", "one signature: built-in name or file")
	fl.StringVarP(&f.method, "method", "m", "ucell", "scoring method (see lsc score)")
	fl.StringVar(&f.threshold, "threshold", "jenks", "a number (fixed cut, e.g. 0.25), fixed (with --cut), jenks, mixture or reference")
	fl.Float64Var(&f.cut, "cut", 0.25, "the fixed threshold (with --threshold fixed)")
	fl.StringSliceVar(&f.keep, "keep", nil, "cell types counted for burden (globs; default all cells)")
	fl.StringSliceVar(&f.reference, "reference", nil, "cell types of the reference population (with --threshold reference)")
	fl.Float64Var(&f.refQ, "ref-quantile", 0.99, "reference quantile")
	fl.StringVar(&f.bands, "bands", "0.05,0.15", "upper limits of the risk groups, as fractions")
	fl.IntVar(&f.bootstrap, "bootstrap", 2000, "bootstrap resamples for fold-change intervals")
	fl.Uint64Var(&f.seed, "seed", 1, "random seed (bootstrap, modulescore controls)")
	fl.IntVarP(&f.jobs, "jobs", "j", 2, "samples scored in parallel")
	fl.StringVar(&f.normalize, "normalize", "auto", "auto, log1p-cp10k or none")
	fl.IntVar(&f.maxRank, "max-rank", 1500, "ucell: rank cap")
	fl.IntVar(&f.nbin, "nbin", 24, "modulescore: expression bins")
	fl.IntVar(&f.ctrl, "ctrl", 100, "modulescore: control genes per signature gene")
	fl.StringVarP(&f.out, "out", "o", "", "output directory")
	fl.BoolVar(&f.force, "force", false, "replace existing result files in --out")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress messages")
	for _, r := range []string{"samples", "signature", "out"} {
		c.MarkFlagRequired(r)
	}
	return c
}

func runStemcells(cmd *cobra.Command, f stemFlags) error {
	norm, err := matrix.ParseNormalization(f.normalize)
	if err != nil {
		return usageError{err}
	}
	var bands stemcell.Bands
	for _, s := range strings.Split(f.bands, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || !(v > 0 && v < 1) || (len(bands) > 0 && v <= bands[len(bands)-1]) {
			return usageError{fmt.Errorf("--bands %q: increasing fractions between 0 and 1, e.g. 0.05,0.15", f.bands)}
		}
		bands = append(bands, v)
	}
	if v, err := strconv.ParseFloat(f.threshold, 64); err == nil {
		f.threshold, f.cut = "fixed", v // --threshold 0.25 is a fixed cut
	}
	switch f.threshold {
	case "fixed", "jenks", "mixture", "reference":
	default:
		return usageError{fmt.Errorf("--threshold must be a number (a fixed cut), fixed, jenks, mixture or reference")}
	}
	if f.threshold == "reference" && len(f.reference) == 0 {
		return usageError{fmt.Errorf("--threshold reference needs --reference cell types")}
	}
	sheet, err := study.Read(f.samples, true)
	if err != nil {
		return err
	}
	sigs, err := signature.Load(f.sig)
	if err != nil {
		return err
	}
	if len(sigs) != 1 {
		return usageError{fmt.Errorf("--signature: give one signature (got %d)", len(sigs))}
	}
	if err := refuseOverwrite(filepath.Join(f.out, "samples.tsv"), f.force); err != nil {
		return err
	}
	logf := func(format string, a ...any) {
		if !f.quiet {
			fmt.Fprintf(cmd.ErrOrStderr(), "lsc: "+format+"\n", a...)
		}
	}
	logf("%d samples, %d patients; scoring with %s (%s), %d at a time", len(sheet.Samples), countPatients(sheet), sigs[0].Name, f.method, f.jobs)
	so := stemcell.ScoreOptions{Score: score.Options{Method: f.method, Normalize: norm, MaxRank: f.maxRank, NBin: f.nbin, NCtrl: f.ctrl, Seed: f.seed},
		Jobs: f.jobs, CacheDir: filepath.Join(f.out, "cache")}
	scored, err := stemcell.ScoreSamples(sheet.Samples, sigs[0], so)
	if err != nil {
		return err
	}
	cached := 0
	for _, s := range scored {
		if s.Cached {
			cached++
		}
	}
	if cached > 0 {
		logf("%d of %d samples reused from %s", cached, len(scored), so.CacheDir)
	}
	res, err := stemcell.Analyze(scored, sheet, stemcell.Options{Method: f.threshold, Fixed: f.cut, Keep: f.keep, Reference: f.reference,
		RefQuantile: f.refQ, Bands: bands, Bootstrap: f.bootstrap, Seed: f.seed})
	if err != nil {
		return err
	}
	logf("threshold %g (%s)", res.Threshold.Value, res.Threshold.Method)
	inputs := []map[string]any{}
	for _, s := range scored {
		inputs = append(inputs, map[string]any{"sample": s.Sample.ID, "path": s.Sample.Path, "annotation": s.Sample.Annotation,
			"sha256": s.Checksum, "cells": len(s.Cells), "missing_genes": nonNilS(s.Missing), "reused_from_cache": s.Cached,
			"patient": s.Sample.Patient, "timepoint": s.Sample.Timepoint.Label, "date": s.Sample.Date, "tissue": s.Sample.Fields["tissue"], "fraction": s.Sample.Fields["fraction"]})
	}
	run := map[string]any{
		"lsc_version": version, "sheet": f.samples, "sheet_sha256": sha(f.samples), "inputs": inputs,
		"parameters": map[string]any{"signature": sigs[0].Name, "method": f.method, "normalize": f.normalize, "threshold": f.threshold, "cut": f.cut,
			"keep": f.keep, "reference": f.reference, "ref_quantile": f.refQ, "bands": bands, "bootstrap": f.bootstrap, "seed": f.seed,
			"max_rank": f.maxRank, "nbin": f.nbin, "ctrl": f.ctrl},
		"threshold": map[string]any{"method": res.Threshold.Method, "value": res.Threshold.Value, "detail": res.Threshold.Detail},
		"notes":     nonNilS(res.Notes),
	}
	files := []outFile{
		{Name: "cells.tsv", Fill: func(w io.Writer) error { return report.StemCells(w, res) }},
		{Name: "samples.tsv", Fill: func(w io.Writer) error { return report.StemSamples(w, res) }},
		{Name: "patients.tsv", Fill: func(w io.Writer) error { return report.StemPatients(w, res) }},
		{Name: "report.html", Fill: func(w io.Writer) error {
			return report.StemHTML(w, res, report.StemMeta{Version: version, Sheet: f.samples, Signature: sigs[0].Name, Method: f.method, Keep: f.keep})
		}},
		{Name: "run.json", Fill: func(w io.Writer) error { return writeJSON(w, run) }},
	}
	if res.Cohort != nil {
		files = append(files, outFile{Name: "cohort.tsv", Fill: func(w io.Writer) error { return report.StemCohort(w, res) }})
	}
	if err := writeDir(f.out, true, files); err != nil {
		return err
	}
	for _, b := range res.Burdens {
		logf("%s (%s, %s): %d/%d stem-like = %.2f%% [%s]", b.Sample, b.Patient, b.Timepoint, b.NStem, b.N, b.Fraction*100, b.Risk)
	}
	return nil
}

func countPatients(s *study.Sheet) int {
	m := map[string]bool{}
	for _, x := range s.Samples {
		m[x.Patient] = true
	}
	return len(m)
}

func nonNilS(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
