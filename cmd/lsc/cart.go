package main

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/atomicfile"
	"github.com/lsc-bio/lsc/cart"
	"github.com/lsc-bio/lsc/formats/sheet"
	"github.com/lsc-bio/lsc/repertoire"
	"github.com/lsc-bio/lsc/report"
)

type cartFlags struct {
	samples, out, seq, arms, dual string
	carFeatures                   []string
	above, minJoin                float64
	jobs                          int
	force, quiet                  bool
}

var cartOutputs = []string{"samples.tsv", "tests.tsv", "car_clones.tsv", "expansion.tsv", "report.html", "run.json"}

func cartCmd() *cobra.Command {
	var f cartFlags
	c := &cobra.Command{
		Use:   "cart --samples SHEET --out DIR",
		Short: "CAR-T study: CAR+ cells, CD4/CD8, clonal diversity, responders compared per timepoint",
		Long: `SHEET (TSV/CSV): sample, patient, timepoint, group (e.g. CR / nonCR), expression (10x folder/.h5, h5ad or
table holding the CAR construct feature) and contigs (receptor contigs); either path may be empty.
Relative paths are read from the sheet's folder.

CAR+ cells: the --car-features (default idecel,ciltacel, summed) have a count above --car-above (0), as
Rade et al. 2024; CD4/CD8 T cells from CD4 vs CD8A+CD8B counts. Receptor cells are joined to the
expression cells by barcode (exact, sample affix, aggr well or barcode core; fewer than --min-join of
them matching is an error showing both sides). Clonotypes as lsc repertoire clonotypes.

DIR: samples.tsv (CAR+ fraction with Wilson 95% CI, CD4/CD8 CAR+, clonotypes, Shannon overall and per
CD4/CD8, top-10 share, expanded share, CAR+ clonotypes), tests.tsv (per timepoint and metric, the
Wilcoxon rank-sum test between the two groups, BH-adjusted), car_clones.tsv, expansion.tsv (clones
of >= 2 cells followed between consecutive samples of a patient: Fisher's exact test, BH per pair, CAR+
cells), report.html, run.json.`,
		Args:    cobra.NoArgs,
		Example: `  lsc cart --samples study.tsv --out cart/`,
		RunE:    func(cmd *cobra.Command, args []string) error { return runCart(cmd, f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.samples, "samples", "", "study sheet (TSV/CSV)")
	fl.StringSliceVar(&f.carFeatures, "car-features", []string{"idecel", "ciltacel"}, "CAR construct features, summed")
	fl.Float64Var(&f.above, "car-above", 0, "CAR+ when the summed count is above this")
	fl.Float64Var(&f.minJoin, "min-join", 0.2, "fewest receptor cells (fraction) that must match expression cells")
	fl.StringVar(&f.seq, "sequence", "nt", "clonotypes: junction nt or aa")
	fl.StringVar(&f.arms, "receptor-arms", "all", "clonotypes: all, any, VJ or VDJ")
	fl.StringVar(&f.dual, "dual-ir", "any", "clonotypes: primary_only, any or all")
	fl.IntVarP(&f.jobs, "jobs", "j", runtime.NumCPU(), "samples read at once (output is the same for any value)")
	fl.StringVarP(&f.out, "out", "o", "", "output directory")
	fl.BoolVar(&f.force, "force", false, "replace existing result files in --out")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress messages")
	c.MarkFlagRequired("samples")
	c.MarkFlagRequired("out")
	return c
}

func runCart(cmd *cobra.Command, f cartFlags) error {
	ropt := repertoire.Options{Sequence: f.seq, ReceptorArms: f.arms, DualIR: f.dual}
	if f.jobs < 1 {
		return usageError{fmt.Errorf("--jobs %d: give 1 or more", f.jobs)}
	}
	if _, err := repertoire.Define(nil, ropt); err != nil {
		return usageError{err}
	}
	samples, err := cartSheet(f.samples)
	if err != nil {
		return err
	}
	if err := asUsage(atomicfile.CheckDir(f.out, f.force, cartOutputs...)); err != nil {
		return err
	}
	res, err := cart.Run(samples, cart.Options{CAR: cart.CAROptions{Features: f.carFeatures, Above: f.above}, Repertoire: ropt, MinJoin: f.minJoin, Jobs: f.jobs})
	if err != nil {
		return err
	}
	run := map[string]any{"lsc_version": version, "sheet": f.samples, "samples": samples,
		"parameters": map[string]any{"car_features": f.carFeatures, "car_above": f.above, "min_join": f.minJoin, "sequence": f.seq, "receptor_arms": f.arms, "dual_ir": f.dual}}
	if err := writeDir(f.out, true, []outFile{
		{Name: "samples.tsv", Fill: func(w io.Writer) error { return report.CartSamples(w, res) }},
		{Name: "tests.tsv", Fill: func(w io.Writer) error { return report.CartTests(w, res) }},
		{Name: "car_clones.tsv", Fill: func(w io.Writer) error { return report.CartClones(w, res) }},
		{Name: "expansion.tsv", Fill: func(w io.Writer) error { return report.CartExpansion(w, res) }},
		{Name: "report.html", Fill: func(w io.Writer) error {
			return report.CartHTML(w, res, report.CartMeta{Version: version, Sheet: f.samples})
		}},
		{Name: "run.json", Fill: func(w io.Writer) error { return writeJSON(w, run) }},
	}); err != nil {
		return err
	}
	if !f.quiet {
		fmt.Fprintf(cmd.ErrOrStderr(), "lsc: %d samples, groups %v, %d tests\n", len(res.Samples), res.Groups, len(res.Tests))
	}
	return nil
}

// cartSheet reads the study sheet; paths relative to its folder.
func cartSheet(path string) ([]cart.Sample, error) {
	sh, err := sheet.Read(path)
	if err != nil {
		return nil, err
	}
	cols, err := sh.Require("CAR-T study sheet", "sample", "patient", "timepoint", "group")
	if err != nil {
		return nil, err
	}
	ex, co := sh.Col("expression"), sh.Col("contigs")
	if ex < 0 && co < 0 {
		return nil, fmt.Errorf("%s: the sheet needs an expression or a contigs column", path)
	}
	rel := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(filepath.Dir(path), p)
	}
	var out []cart.Sample
	for _, r := range sh.Rows {
		out = append(out, cart.Sample{Sample: r.Get(cols[0]), Patient: r.Get(cols[1]), Timepoint: r.Get(cols[2]), Group: r.Get(cols[3]),
			Expression: rel(r.Get(ex)), Contigs: rel(r.Get(co))})
	}
	return out, nil
}
