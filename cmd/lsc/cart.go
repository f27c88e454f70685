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
	"github.com/lsc-bio/lsc/signature"
)

type cartFlags struct {
	samples, out, seq, arms, dual string
	carFeatures                   []string
	above, minJoin                float64
	jobs                          int
	force, quiet                  bool
	// issue 15 study level: states, composition, plasma-cell proteins
	states, proteins                          []string
	stateMethod, transform, plasma, pre, post string
	noStates, robust                          bool
}

var cartOutputs = []string{"samples.tsv", "tests.tsv", "car_clones.tsv", "expansion.tsv", "states.tsv", "composition.tsv", "plasma.tsv", "plasma_tests.tsv", "report.html", "run.json"}

func cartCmd() *cobra.Command {
	var f cartFlags
	c := &cobra.Command{
		Use:   "cart --samples SHEET --out DIR",
		Short: "CAR-T study: CAR+ cells, CD4/CD8, clonal diversity, responders compared per timepoint",
		Long: `SHEET (TSV/CSV): sample, patient, timepoint, group (e.g. CR / nonCR), expression (10x folder/.h5, h5ad or
table holding the CAR construct feature) and contigs (receptor contigs); either path may be empty;
optional cell_types (a table of cell barcode and cell_type label, e.g. exported Seurat metadata).
Relative paths are read from the sheet's folder.

CAR+ cells: the --car-features (default idecel,ciltacel, summed) have a count above --car-above (0), as
Rade et al. 2024; CD4/CD8 T cells from CD4 vs CD8A+CD8B counts. Receptor cells are joined to the
expression cells by barcode (exact, sample affix, aggr well or barcode core; fewer than --min-join of
them matching is an error showing both sides). Clonotypes as lsc repertoire clonotypes.

DIR: samples.tsv (CAR+ fraction with Wilson 95% CI, CD4/CD8 CAR+, clonotypes, Shannon overall and per
CD4/CD8, top-10 share, expanded share, CAR+ clonotypes), tests.tsv (per timepoint and metric, the
Wilcoxon rank-sum test between the two groups, BH-adjusted), car_clones.tsv, expansion.tsv (clones
of >= 2 cells followed between consecutive samples of a patient: Fisher's exact test, BH per pair, CAR+
cells), report.html, run.json.

T-cell states: the --states signatures (default the built-in TCELL_EXHAUSTION_IR, CD8_EFFECTOR_MEMORY,
TCELL_NAIVE_LIKE, CD4_CYTOTOXIC; see lsc signatures show NAME) are scored with --state-method (ucell)
on every cell; each CD4/CD8 T cell takes the state with the highest score ("unassigned" when all are
0). states.tsv: per sample and T group (T, CD4, CD8) the cells, fraction and mean score per state;
their fractions are compared between the groups in tests.tsv (metric state:NAME).

composition.tsv: per timepoint, the propeller test (Phipson et al. 2022, speckle) of the state, cell
type (cell_types column) and clone-size (1, 2-5, 6-20, 21-100, >100 cells) compositions between the
groups: --transform asin (default, as the seed study) or logit, limma eBayes moderated t (two
groups) or F (more), BH over clusters; --robust (default true, as speckle) or --robust=false, the
numbers equal speckle::propeller(..., robust = TRUE or FALSE).

Plasma-cell proteins: with cell_types, cells whose label contains --plasma-label ("plasma", any case)
are plasma cells; the antibodies --proteins (CD269 = BCMA, CD38, CD319 = SLAMF7; matched by name or
NAME_ prefix) are CLR-normalised per cell (Seurat margin 2) and averaged per sample (plasma.tsv);
plasma_tests.tsv compares each patient's --post with --pre timepoint (default the first two
timepoints in the sheet) by the Wilcoxon signed-rank test (R's wilcox.test paired), BH over proteins.`,
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
	fl.StringSliceVar(&f.states, "states", nil, "T-cell state signatures (built-in names or files; default the built-in T-cell states)")
	fl.BoolVar(&f.noStates, "no-states", false, "do not score T-cell states")
	fl.StringVar(&f.stateMethod, "state-method", "ucell", "scoring method for the states")
	fl.StringVar(&f.transform, "transform", "asin", "propeller transform: asin or logit")
	fl.BoolVar(&f.robust, "robust", true, "propeller with limma eBayes robust = TRUE (speckle's default); --robust=false for robust = FALSE")
	fl.StringSliceVar(&f.proteins, "proteins", []string{"CD269", "CD38", "CD319"}, "plasma-cell proteins (antibody names)")
	fl.StringVar(&f.plasma, "plasma-label", "plasma", "cell-type labels containing this (any case) are plasma cells")
	fl.StringVar(&f.pre, "pre", "", "timepoint before infusion for the paired protein test (default the sheet's first)")
	fl.StringVar(&f.post, "post", "", "timepoint after infusion (default the sheet's second)")
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
	if f.transform != cart.TransformAsin && f.transform != cart.TransformLogit {
		return usageError{fmt.Errorf("--transform %q: use asin or logit", f.transform)}
	}
	samples, err := cartSheet(f.samples)
	if err != nil {
		return err
	}
	if err := asUsage(atomicfile.CheckDir(f.out, f.force, cartOutputs...)); err != nil {
		return err
	}
	opt := cart.Options{CAR: cart.CAROptions{Features: f.carFeatures, Above: f.above}, Repertoire: ropt, MinJoin: f.minJoin, Jobs: f.jobs,
		NoStates: f.noStates, NotRobust: !f.robust, StateMethod: f.stateMethod, Transform: f.transform, Proteins: f.proteins, PlasmaLabel: f.plasma, Pre: f.pre, Post: f.post}
	if err := cartStates(&opt, f.states); err != nil {
		return err
	}
	res, err := cart.Run(samples, opt)
	if err != nil {
		return err
	}
	run := map[string]any{"lsc_version": version, "sheet": f.samples, "samples": samples,
		"parameters": map[string]any{"car_features": f.carFeatures, "car_above": f.above, "min_join": f.minJoin, "sequence": f.seq, "receptor_arms": f.arms, "dual_ir": f.dual,
			"states": stateNames(opt), "state_method": f.stateMethod, "transform": f.transform, "robust": f.robust, "proteins": f.proteins, "plasma_label": f.plasma, "pre": f.pre, "post": f.post}}
	if err := writeDir(f.out, true, []outFile{
		{Name: "samples.tsv", Fill: func(w io.Writer) error { return report.CartSamples(w, res) }},
		{Name: "tests.tsv", Fill: func(w io.Writer) error { return report.CartTests(w, res) }},
		{Name: "car_clones.tsv", Fill: func(w io.Writer) error { return report.CartClones(w, res) }},
		{Name: "expansion.tsv", Fill: func(w io.Writer) error { return report.CartExpansion(w, res) }},
		{Name: "states.tsv", Fill: func(w io.Writer) error { return report.CartStates(w, res) }},
		{Name: "composition.tsv", Fill: func(w io.Writer) error { return report.CartCompositions(w, res) }},
		{Name: "plasma.tsv", Fill: func(w io.Writer) error { return report.CartPlasma(w, res) }},
		{Name: "plasma_tests.tsv", Fill: func(w io.Writer) error { return report.CartPlasmaTests(w, res) }},
		{Name: "report.html", Fill: func(w io.Writer) error {
			return report.CartHTML(w, res, report.CartMeta{Version: version, Sheet: f.samples, StateMethod: f.stateMethod})
		}},
		{Name: "run.json", Fill: func(w io.Writer) error { return writeJSON(w, run) }},
	}); err != nil {
		return err
	}
	if !f.quiet {
		fmt.Fprintf(cmd.ErrOrStderr(), "lsc: %d samples, groups %v, %d tests\n", len(res.Samples), res.Groups, len(res.Tests))
		for _, n := range res.Notes {
			fmt.Fprintf(cmd.ErrOrStderr(), "lsc: note: %s\n", n)
		}
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
	ct := sh.Col("cell_types")
	var out []cart.Sample
	for _, r := range sh.Rows {
		out = append(out, cart.Sample{Sample: r.Get(cols[0]), Patient: r.Get(cols[1]), Timepoint: r.Get(cols[2]), Group: r.Get(cols[3]),
			Expression: rel(r.Get(ex)), Contigs: rel(r.Get(co)), CellTypes: rel(r.Get(ct))})
	}
	return out, nil
}

// cartStates loads --states (built-in names or files) into opt.
func cartStates(opt *cart.Options, states []string) error {
	if len(states) == 0 || opt.NoStates {
		return nil
	}
	for _, a := range states {
		sigs, err := signature.Load(a, signature.LoadOptions{})
		if err != nil {
			return usageError{err}
		}
		opt.States = append(opt.States, sigs...)
	}
	return nil
}

func stateNames(opt cart.Options) []string {
	if opt.NoStates {
		return nil
	}
	if opt.States == nil {
		return signature.TCellStates
	}
	var n []string
	for _, s := range opt.States {
		n = append(n, s.Name)
	}
	return n
}
