package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/atomicfile"
	"github.com/lsc-bio/lsc/clinical"
	"github.com/lsc-bio/lsc/cohort"
	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/stats"
	"github.com/lsc-bio/lsc/study"
)

type cohortFlags struct {
	scoringFlags
	expr, clin, id, time, event, response, cut, ties, out, timeLabel string
	covariates, refs                                                 []string
	minProp                                                          float64
	force, quiet                                                     bool
}

func cohortCmd() *cobra.Command {
	var f cohortFlags
	c := &cobra.Command{
		Use:   "cohort --expression MATRIX --clinical CLIN.csv --signature LSC17 --time COL --event COL --out DIR",
		Short: "score a bulk cohort and relate the score to survival and response",
		Long: `Scores every bulk sample of MATRIX (genes in rows; e.g. log2 expression) with one signature, joins the
scores to the clinical table by sample name (first column, or --id), calls high (score > cut) and low
with the cohort median (default), a fixed value (--cut 0.42) or the maximally selected log-rank cut
(--cut maxstat, with Lausen-Schumacher adjusted p), and writes into DIR:
  scores.tsv  sample, score, group, in_clinical
  km.tsv      Kaplan-Meier table per group
  cox.tsv     Cox models of the group and of the continuous score, with --covariates
  tests.tsv   log-rank, maxstat, and with --response the ROC AUC (DeLong) and Mann-Whitney test
  report.html KM figure with numbers at risk, Cox tables, ROC curve (self-contained)
  run.json    inputs with SHA-256, parameters, version
Weighted signatures (LSC17) use --method weighted and no normalisation by default.`,
		Args: cobra.NoArgs,
		Example: `  lsc cohort --expression cohort_log2.tsv --clinical clinical.csv --signature LSC17 \
      --time os --event os_event --covariates age --response response --out lsc17/`,
		RunE: func(cmd *cobra.Command, args []string) error { return runCohort(cmd, f) },
	}
	addScoringFlags(c, &f.scoringFlags, scoringDefaults{sigFlag: "signature", sig: "LSC17", normalize: "none",
		sigHelp: "one signature: built-in name, file or FILE:NAME"})
	fl := c.Flags()
	fl.StringVar(&f.expr, "expression", "", "expression matrix (any input lsc score reads)")
	fl.StringVar(&f.clin, "clinical", "", "clinical table, one row per sample")
	fl.StringVar(&f.id, "id", "", "clinical column with the sample names (default the first column)")
	fl.StringVar(&f.time, "time", "", "survival time column")
	fl.StringVar(&f.event, "event", "", "event column")
	fl.StringVar(&f.response, "response", "", "binary response column (optional)")
	fl.StringSliceVar(&f.covariates, "covariates", nil, "clinical covariates for the Cox models")
	fl.StringArrayVar(&f.refs, "ref", nil, "reference level of a factor covariate, col=level")
	fl.StringVar(&f.cut, "cut", "median", "high/low cut: median, maxstat, or a number (--threshold is accepted too)")
	fl.StringVar(&f.timeLabel, "time-label", "", "Kaplan-Meier x axis label with the unit, e.g. 'overall survival (days)' (default: the time column)")
	addQuiet(fl, &f.quiet)
	// One vocabulary with lsc stemcells: --cut is documented, --threshold
	// (hidden) sets the same value.
	fl.StringVar(&f.cut, "threshold", "median", "same as --cut")
	fl.MarkHidden("threshold")
	fl.Float64Var(&f.minProp, "min-prop", 0.1, "maxstat: smallest share of samples on either side of the cut")
	fl.StringVar(&f.ties, "ties", "efron", "Cox ties: efron or breslow")
	fl.StringVarP(&f.out, "out", "o", "", "output directory")
	fl.BoolVar(&f.force, "force", false, "replace existing files in --out")
	for _, r := range []string{"expression", "clinical", "time", "event", "out"} {
		c.MarkFlagRequired(r)
	}
	return c
}

// cohortFiles are the files lsc cohort writes into --out.
var cohortFiles = []string{"scores.tsv", "km.tsv", "cox.tsv", "tests.tsv", "report.html", "run.json"}

func runCohort(cmd *cobra.Command, f cohortFlags) error {
	if cmd.Flags().Changed("cut") && cmd.Flags().Changed("threshold") {
		return usageError{fmt.Errorf("give --cut or --threshold (the same setting), not both")}
	}
	sigs, err := f.signatures("signature", true)
	if err != nil {
		return err
	}
	method := f.method
	if method == "" {
		method = "singscore"
		if sigs[0].Weighted() {
			method = "weighted"
		}
	}
	opt, inOpt, err := f.cohortOptions(method)
	if err != nil {
		return err
	}
	if err := asUsage(atomicfile.CheckDir(f.out, f.force, cohortFiles...)); err != nil {
		return err
	}
	tb, err := clinical.Read(f.clin)
	if err != nil {
		return err
	}
	src, err := input.Open(f.expr, inOpt)
	if err != nil {
		return err
	}
	defer src.Close()
	res, err := cohort.Run(src, sigs[0], tb, opt)
	if err != nil {
		return err
	}
	meta := report.CohortMeta{Version: version, Expression: f.expr, Clinical: f.clin, Time: f.time, Event: f.event, Response: f.response,
		TimeLabel: f.timeLabel, Covariates: f.covariates}
	run := report.CohortRun{ExpressionSHA256: study.Checksum(f.expr), ClinicalSHA256: study.Checksum(f.clin), Normalize: f.normalize, Cut: f.cut, Ties: f.ties, MinProp: f.minProp, Ref: opt.Ref}
	fill := []func(io.Writer) error{
		func(w io.Writer) error { return report.CohortScores(w, res) },
		func(w io.Writer) error { return report.KMTable(w, res.KM) },
		func(w io.Writer) error { return report.CohortModels(w, res) },
		func(w io.Writer) error { return report.CohortTests(w, res) },
		func(w io.Writer) error { return report.CohortHTML(w, res, meta) },
		func(w io.Writer) error { return report.CohortRunJSON(w, res, meta, run) },
	}
	files := make([]outFile, len(fill))
	for i := range fill {
		files[i] = outFile{Name: cohortFiles[i], Fill: fill[i]}
	}
	if err := writeDir(f.out, f.force, files); err != nil || f.quiet {
		return err
	}
	return report.CohortSummary(cmd.ErrOrStderr(), res)
}

// cohortOptions checks the flag values (usage errors) and turns them into
// the analysis options and the reader options, scoring with method.
func (f cohortFlags) cohortOptions(method string) (cohort.Options, input.Options, error) {
	so, inOpt, err := f.options(method)
	if err != nil {
		return cohort.Options{}, inOpt, err
	}
	ties, err := stats.ParseTies(f.ties)
	if err != nil {
		return cohort.Options{}, inOpt, usageError{fmt.Errorf("--ties: %w", err)}
	}
	if _, err := cohort.ParseCut(f.cut); err != nil {
		return cohort.Options{}, inOpt, usageError{fmt.Errorf("--cut: %w", err)}
	}
	if !(f.minProp > 0 && f.minProp < 0.5) {
		return cohort.Options{}, inOpt, usageError{fmt.Errorf("--min-prop must be between 0 and 0.5")}
	}
	refs, err := parseRefs(f.refs)
	if err != nil {
		return cohort.Options{}, inOpt, err
	}
	return cohort.Options{Score: so, IDColumn: f.id, Time: f.time, Event: f.event,
		Response: f.response, Covariates: f.covariates, Ref: refs, Ties: ties, Cut: f.cut, MinProp: f.minProp}, inOpt, nil
}
