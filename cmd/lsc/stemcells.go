package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/atomicfile"
	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
	"github.com/lsc-bio/lsc/stemcell"
	"github.com/lsc-bio/lsc/study"
)

type stemFlags struct {
	scoringFlags
	samples, cut, out, bands, typeCol string
	only                              string // one sample into the cache
	refQ                              float64
	keep, reference                   []string
	bootstrap                         int
	force, quiet                      bool
}

// stemFiles are the files stemcells writes into --out.
var stemFiles = []string{"cells.tsv", "samples.tsv", "patients.tsv", "report.html", "run.json", "cohort.tsv"}

func stemcellsCmd() *cobra.Command {
	var f stemFlags
	c := &cobra.Command{
		Use:   "stemcells --samples SHEET --signature NAME|FILE --out DIR",
		Short: "call stem-like cells per sample, measure their burden, follow each patient",
		Long: `Scores every sample of a study with one signature, fits ONE threshold for the whole study (never per
sample, which would hide expansion), and measures the stem-like burden.

SHEET (TSV, CSV or semicolon-separated, told apart by its header): sample, patient, timepoint (diagnosis,
remission, relapse, dayN or a date), path (any input lsc score reads), and optional annotation (per-cell
table), cell_column (its barcode column, default the first), celltype_column (e.g. van Galen's
PredictionRefined or CellType; without an annotation, an obs column of the sample's h5ad), outcome
(relapse yes/no) and treatment. Relative paths are read from the sheet's folder. The sheet is checked
before any work: missing columns or files, duplicate samples and patients without a diagnosis sample
stop the run naming the row.

Thresholds (--cut): a number, e.g. --cut 0.25 on modulescore as Costea et al. 2025; jenks (2-class
natural breaks on the pooled scores, as Costea chose theirs; default), mixture (2-component Gaussian
mixture), reference (the --ref-quantile of --reference cell types, e.g. normal cells).
Cells counted for burden: those whose cell type matches --keep (globs, e.g. '*-like'); all when empty.
A sample left without counted cells is reported with the cell types it has.

DIR: cells.tsv (sample, cell, score, stem_like), samples.tsv (fraction, Wilson 95% CI, risk group by
--bands), patients.tsv (fractions per timepoint, diagnosis->relapse fold change with a seeded
bootstrap 95% CI, prop.test), cohort.tsv (with an outcome column: Mann-Whitney and AUC with DeLong
CI of the diagnosis fraction), report.html, run.json. Scores per sample are cached in DIR/cache
(keyed by input checksums and parameters), so an interrupted run resumes where it stopped. --jobs N
scores up to N samples at a time, sharing N threads among them. --only SAMPLE scores that sample
into DIR/cache and stops (lsc workflow init writes one such job per sample, then one lsc stemcells
over the sheet that reads them).`,
		Args: cobra.NoArgs,
		Example: `  lsc stemcells --samples study.tsv --signature LSPC-Quiescent --method ucell --keep '*-like' --out stem/
  lsc stemcells --samples tall.tsv --signature stem.gmt:STEM --method modulescore --cut 0.25 --out stem/
  lsc stemcells --samples h5ads.tsv --signature LSPC-Quiescent --celltype-column cell_type --keep 'HSC*' --out stem/`,
		RunE: func(cmd *cobra.Command, args []string) error { return runStemcells(cmd, f) },
	}
	addStemFlags(c, &f)
	c.Flags().StringVar(&f.only, "only", "", "score this one sample into DIR/cache and stop (a per-sample job of lsc workflow)")
	return c
}

// addStemFlags registers the flags of lsc stemcells (also those of lsc
// workflow init, which passes them on to the stemcells commands it writes).
func addStemFlags(c *cobra.Command, f *stemFlags) {
	addScoringFlags(c, &f.scoringFlags, scoringDefaults{sigFlag: "signature", method: "ucell", normalize: "auto",
		sigHelp: "one signature: built-in name, file or FILE:NAME (required)"})
	fl := c.Flags()
	fl.StringVar(&f.samples, "samples", "", "sample sheet (TSV/CSV)")
	fl.StringVar(&f.cut, "cut", "jenks", "threshold: a number (fixed cut, e.g. 0.25), jenks, mixture or reference")
	fl.StringVar(&f.cut, "threshold", "jenks", "")
	fl.MarkHidden("threshold") // the name before --cut, kept so old command lines run
	fl.StringVar(&f.typeCol, "celltype-column", "", "cell-type column for samples whose sheet row names none (annotation table or h5ad obs)")
	fl.StringSliceVar(&f.keep, "keep", nil, "cell types counted for burden (globs; default all cells)")
	fl.StringSliceVar(&f.reference, "reference", nil, "cell types of the reference population (with --cut reference)")
	fl.Float64Var(&f.refQ, "ref-quantile", 0.99, "reference quantile")
	fl.StringVar(&f.bands, "bands", "0.05,0.15", "upper limits of the risk groups, as fractions")
	fl.IntVar(&f.bootstrap, "bootstrap", 2000, "bootstrap resamples for fold-change intervals")
	fl.StringVarP(&f.out, "out", "o", "", "output directory")
	fl.BoolVar(&f.force, "force", false, "replace existing result files in --out")
	addQuiet(fl, &f.quiet)
	for _, r := range []string{"samples", "out"} {
		c.MarkFlagRequired(r)
	}
}

// stemOptions checks the threshold flags (usage errors) and returns them.
func (f *stemFlags) stemOptions() (stemcell.Options, error) {
	var bands stemcell.Bands
	for _, s := range strings.Split(f.bands, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || !(v > 0 && v < 1) || (len(bands) > 0 && v <= bands[len(bands)-1]) {
			return stemcell.Options{}, usageError{fmt.Errorf("--bands %q: increasing fractions between 0 and 1, e.g. 0.05,0.15", f.bands)}
		}
		bands = append(bands, v)
	}
	method, fixed := f.cut, 0.0
	if v, err := strconv.ParseFloat(f.cut, 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
		method, fixed = "fixed", v // --cut 0.25 is a fixed cut
	}
	switch method {
	case "fixed", "jenks", "mixture", "reference":
		if f.cut == "fixed" {
			return stemcell.Options{}, usageError{fmt.Errorf("--cut fixed: give the number itself, e.g. --cut 0.25")}
		}
	default:
		return stemcell.Options{}, usageError{fmt.Errorf("--cut %q: give a number (a fixed cut), jenks, mixture or reference", f.cut)}
	}
	if method == "reference" && len(f.reference) == 0 {
		return stemcell.Options{}, usageError{fmt.Errorf("--cut reference needs --reference cell types")}
	}
	if !(f.refQ > 0 && f.refQ < 1) || f.bootstrap < 1 {
		return stemcell.Options{}, usageError{fmt.Errorf("--ref-quantile must be between 0 and 1 and --bootstrap at least 1")}
	}
	return stemcell.Options{Method: method, Fixed: fixed, Keep: f.keep, Reference: f.reference,
		RefQuantile: f.refQ, Bands: bands, Bootstrap: f.bootstrap, Seed: f.seed}, nil
}

func runStemcells(cmd *cobra.Command, f stemFlags) error {
	opt, inOpt, err := f.options(f.method)
	if err != nil {
		return err
	}
	ao, err := f.stemOptions()
	if err != nil {
		return err
	}
	sigs, err := f.signatures("signature", true)
	if err != nil {
		return err
	}
	sheet, err := study.Read(f.samples, true)
	if err != nil {
		return err
	}
	sheet.DefaultTypeColumn(f.typeCol)
	if f.only != "" {
		return stemOnly(cmd, f, opt, inOpt, sheet, sigs[0])
	}
	if err := asUsage(atomicfile.CheckDir(f.out, f.force, stemFiles...)); err != nil {
		return err
	}
	logf := func(format string, a ...any) {
		if !f.quiet {
			fmt.Fprintf(cmd.ErrOrStderr(), "lsc: "+format+"\n", a...)
		}
	}
	par := min(f.jobs, len(sheet.Samples))
	opt.Workers = max(1, f.jobs/par)
	logf("%d samples, %d patients; scoring with %s (%s), %d at a time", len(sheet.Samples), countPatients(sheet), sigs[0].Name, opt.Method, par)
	so := stemcell.ScoreOptions{Score: opt, Input: inOpt, Jobs: par, CacheDir: filepath.Join(f.out, "cache")}
	scored, err := stemcell.ScoreSamples(sheet.Samples, sigs[0], so)
	if err != nil {
		return err
	}
	logNotes(logf, scored)
	if n := countCached(scored); n > 0 {
		logf("%d of %d samples reused from %s", n, len(scored), so.CacheDir)
	}
	res, err := stemcell.Analyze(scored, sheet, ao)
	if err != nil {
		return err
	}
	logf("threshold %g (%s)", res.Threshold.Value, res.Threshold.Method)
	run := stemRunJSON(f, opt, ao, sigs[0].Name, scored, res)
	if err := writeDir(f.out, true, stemOutputs(res, run, report.StemMeta{Version: version, Sheet: f.samples, Signature: sigs[0].Name, Method: opt.Method, Keep: f.keep})); err != nil {
		return err
	}
	for _, b := range res.Burdens {
		if b.N == 0 {
			logf("%s (%s, %s): %s", b.Sample, b.Patient, b.Timepoint, b.Empty(f.keep))
			continue
		}
		logf("%s (%s, %s): %d/%d stem-like = %.2f%% [%s]", b.Sample, b.Patient, b.Timepoint, b.NStem, b.N, b.Fraction*100, b.Risk)
	}
	return nil
}

// stemOnly scores the sample --only names into DIR/cache, the file a whole
// run reads, and stops.
func stemOnly(cmd *cobra.Command, f stemFlags, opt score.Options, in input.Options, sheet *study.Sheet, sig signature.Signature) error {
	var one []study.Sample
	var ids []string
	for _, s := range sheet.Samples {
		ids = append(ids, s.ID)
		if s.ID == f.only {
			one = append(one, s)
		}
	}
	if len(one) == 0 {
		return usageError{fmt.Errorf("--only %q: no such sample in %s (samples: %s)", f.only, f.samples, strings.Join(ids, ", "))}
	}
	so := stemcell.ScoreOptions{Score: opt, Input: in, Jobs: 1, CacheDir: filepath.Join(f.out, "cache")}
	if err := os.MkdirAll(so.CacheDir, 0o777); err != nil {
		return fmt.Errorf("cannot create %s: %w", so.CacheDir, err)
	}
	opt.Workers = max(1, f.jobs)
	so.Score = opt
	scored, err := stemcell.ScoreSamples(one, sig, so)
	if err == nil && !f.quiet {
		logNotes(func(format string, a ...any) { fmt.Fprintf(cmd.ErrOrStderr(), "lsc: "+format+"\n", a...) }, scored)
		fmt.Fprintf(cmd.ErrOrStderr(), "lsc: %s: %d cells scored into %s (reused: %v)\n", f.only, len(scored[0].Cells), so.CacheDir, scored[0].Cached)
	}
	return err
}

// logNotes logs what the readers noted per sample (repeated genes made unique ...).
func logNotes(logf func(string, ...any), scored []stemcell.Scored) {
	for _, s := range scored {
		if len(s.Notes) > 0 {
			logf("%s (%s): %s", s.Sample.ID, s.Sample.Path, strings.Join(s.Notes, "; "))
		}
	}
}

func stemOutputs(res *stemcell.Result, run map[string]any, meta report.StemMeta) []outFile {
	files := []outFile{
		{Name: "cells.tsv", Fill: func(w io.Writer) error { return report.StemCells(w, res) }},
		{Name: "samples.tsv", Fill: func(w io.Writer) error { return report.StemSamples(w, res) }},
		{Name: "patients.tsv", Fill: func(w io.Writer) error { return report.StemPatients(w, res) }},
		{Name: "report.html", Fill: func(w io.Writer) error { return report.StemHTML(w, res, meta) }},
		{Name: "run.json", Fill: func(w io.Writer) error { return writeJSON(w, run) }},
	}
	if res.Cohort != nil {
		files = append(files, outFile{Name: "cohort.tsv", Fill: func(w io.Writer) error { return report.StemCohort(w, res) }})
	}
	return files
}

func stemRunJSON(f stemFlags, opt score.Options, ao stemcell.Options, sig string, scored []stemcell.Scored, res *stemcell.Result) map[string]any {
	inputs := []map[string]any{}
	for _, s := range scored {
		inputs = append(inputs, map[string]any{"sample": s.Sample.ID, "path": s.Sample.Path, "annotation": s.Sample.Annotation,
			"sha256": s.Checksum, "cells": len(s.Cells), "missing_genes": report.NonNil(s.Missing), "reused_from_cache": s.Cached,
			"patient": s.Sample.Patient, "timepoint": s.Sample.Timepoint.Label, "date": s.Sample.Date, "tissue": s.Sample.Fields["tissue"], "fraction": s.Sample.Fields["fraction"]})
	}
	var cut any // the fixed cut; none for fitted thresholds
	if ao.Method == "fixed" {
		cut = ao.Fixed
	}
	return map[string]any{
		"lsc_version": version, "sheet": f.samples, "sheet_sha256": study.Checksum(f.samples), "inputs": inputs,
		"parameters": map[string]any{"signature": sig, "method": opt.Method, "normalize": f.normalize, "threshold": ao.Method, "cut": cut,
			"keep": f.keep, "reference": f.reference, "ref_quantile": f.refQ, "bands": ao.Bands, "bootstrap": f.bootstrap, "seed": f.seed,
			"max_rank": f.maxRank, "nbin": f.nbin, "ctrl": f.ctrl},
		"threshold": map[string]any{"method": res.Threshold.Method, "value": res.Threshold.Value, "detail": res.Threshold.Detail},
		"notes":     report.NonNil(res.Notes),
	}
}

func countCached(scored []stemcell.Scored) int {
	n := 0
	for _, s := range scored {
		if s.Cached {
			n++
		}
	}
	return n
}

func countPatients(s *study.Sheet) int {
	m := map[string]bool{}
	for _, x := range s.Samples {
		m[x.Patient] = true
	}
	return len(m)
}
