package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/clinical"
	"github.com/lsc-bio/lsc/cohort"
	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/stats"
)

type cohortFlags struct {
	scoringFlags
	expr, clin, id, time, event, response, cut, ties, out string
	covariates, refs                                      []string
	minProp                                               float64
	force                                                 bool
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
	fl.StringVar(&f.cut, "cut", "median", "high/low cut: median, maxstat, or a number")
	fl.Float64Var(&f.minProp, "min-prop", 0.1, "maxstat: smallest share of samples on either side of the cut")
	fl.StringVar(&f.ties, "ties", "efron", "Cox ties: efron or breslow")
	fl.StringVarP(&f.out, "out", "o", "", "output directory")
	fl.BoolVar(&f.force, "force", false, "replace existing files in --out")
	for _, r := range []string{"expression", "clinical", "time", "event", "out"} {
		c.MarkFlagRequired(r)
	}
	return c
}

func runCohort(cmd *cobra.Command, f cohortFlags) error {
	if f.ties != "efron" && f.ties != "breslow" {
		return usageError{fmt.Errorf("--ties must be efron or breslow")}
	}
	if !(f.minProp > 0 && f.minProp < 0.5) {
		return usageError{fmt.Errorf("--min-prop must be between 0 and 0.5")}
	}
	refs := map[string]string{}
	for _, r := range f.refs {
		k, v, ok := strings.Cut(r, "=")
		if !ok {
			return usageError{fmt.Errorf("--ref %q: write col=level", r)}
		}
		refs[k] = v
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
	so, inOpt, err := f.options(method)
	if err != nil {
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
	opt := cohort.Options{Score: so, IDColumn: f.id, Time: f.time, Event: f.event,
		Response: f.response, Covariates: f.covariates, Ref: refs, Ties: stats.Ties(f.ties), Cut: f.cut, MinProp: f.minProp}
	res, err := cohort.Run(src, sigs[0], tb, opt)
	if err != nil {
		return err
	}
	meta := report.CohortMeta{Version: version, Expression: f.expr, Clinical: f.clin, Time: f.time, Event: f.event, Response: f.response, Covariates: f.covariates}
	run := map[string]any{
		"lsc_version": version,
		"inputs":      map[string]string{"expression": f.expr, "expression_sha256": sha(f.expr), "clinical": f.clin, "clinical_sha256": sha(f.clin)},
		"parameters": map[string]any{"signature": res.Signature, "method": res.Method, "normalize": f.normalize, "cut": f.cut, "cut_value": res.Cut,
			"time": f.time, "event": f.event, "response": f.response, "covariates": f.covariates, "ref": refs, "ties": f.ties, "min_prop": f.minProp},
		"score_log":                      res.ScoreLog,
		"expression_samples_no_clinical": res.NotInClinical,
		"clinical_samples_no_expression": res.NoExpression,
	}
	if err := writeDir(f.out, f.force, []outFile{
		{Name: "scores.tsv", Fill: func(w io.Writer) error { return report.CohortScores(w, res) }},
		{Name: "km.tsv", Fill: func(w io.Writer) error { return report.KMTable(w, res.KM) }},
		{Name: "cox.tsv", Fill: func(w io.Writer) error { return report.CohortModels(w, res) }},
		{Name: "tests.tsv", Fill: func(w io.Writer) error { return report.CohortTests(w, res) }},
		{Name: "report.html", Fill: func(w io.Writer) error { return report.CohortHTML(w, res, meta) }},
		{Name: "run.json", Fill: func(w io.Writer) error { return writeJSON(w, run) }},
	}); err != nil {
		return err
	}
	e := cmd.ErrOrStderr()
	fmt.Fprintf(e, "lsc: %d samples scored with %s (%s); cut %g (%s)\n", len(res.Samples), res.Signature, res.Method, res.Cut, res.CutMethod)
	if lr := res.KM.LogRank; lr != nil {
		fmt.Fprintf(e, "lsc: log-rank high vs low p = %s\n", report.FormatP(lr.P))
	}
	for _, s := range res.CoxErr {
		fmt.Fprintln(e, "lsc: Cox", s)
	}
	if len(res.NotInClinical) > 0 {
		fmt.Fprintf(e, "lsc: %d expression samples have no clinical row (listed in run.json)\n", len(res.NotInClinical))
	}
	return nil
}

func sha(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil))
}
