package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/clinical"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/stats"
)

type survFlags struct {
	data, time, event, group, strata, ties, conf, plot, title, timeLabel string
	covariates, refs                                                     []string
	level                                                                float64
	json, bands, force, quiet                                            bool
	atRisk                                                               []float64
}

func survivalCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "survival",
		Short: "Kaplan-Meier, log-rank and Cox models on a clinical table (as R's survival package)",
		Long: `Outcome statistics on a clinical table (one row per patient; comma, tab or semicolon separated,
read from the header line). Numbers agree with R's survival package 3.5 (survfit, survdiff, coxph)
to 1e-6; see clinical/testdata for the comparison.

Events may be coded 1/0, 2/1 (R's convention), true/false, yes/no or dead/alive. Missing values
("", NA, NaN, N/A, NULL, ".") are dropped per analysis and counted in the output; but a time column
empty for most patients of one outcome (days_to_death for everyone alive) is an error: give every
patient a time (to death, or to last follow-up when censored). A column whose
values are all numbers is numeric; any other is a factor: levels in sorted order, the first is the
reference unless --ref col=level, terms named <column><level> as R names them.`,
	}
	c.AddCommand(kmCmd(), logrankCmd(), coxCmd())
	return c
}

func commonSurvFlags(c *cobra.Command, f *survFlags) {
	fl := c.Flags()
	fl.StringVar(&f.data, "data", "", "clinical table (CSV or TSV)")
	fl.StringVar(&f.time, "time", "", "column with follow-up time")
	fl.StringVar(&f.event, "event", "", "column with the event flag")
	fl.BoolVar(&f.json, "json", false, "print JSON instead of a table")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no notes on stderr (results still go to stdout)")
	c.MarkFlagRequired("data")
	c.MarkFlagRequired("time")
	c.MarkFlagRequired("event")
}

func kmCmd() *cobra.Command {
	var f survFlags
	c := &cobra.Command{
		Use:   "km --data F.csv --time COL --event COL [--group COL]",
		Short: "Kaplan-Meier curves with Greenwood errors, confidence intervals and medians",
		Args:  cobra.NoArgs,
		Example: `  lsc survival km --data cohort.csv --time os --event osi --group PC1_cat --json
  lsc survival km --data cohort.csv --time os --event osi --group LSC17 --plot km.svg --bands --at-risk 0,365,730,1095`,
		RunE: func(cmd *cobra.Command, args []string) error { return runKM(cmd, f) },
	}
	commonSurvFlags(c, &f)
	fl := c.Flags()
	fl.StringVar(&f.group, "group", "", "column defining the groups (one curve per level)")
	fl.StringVar(&f.conf, "conf-type", "log", "confidence interval scale: log, log-log or plain (as survfit)")
	fl.Float64Var(&f.level, "conf-level", 0.95, "confidence level")
	fl.StringVar(&f.plot, "plot", "", "write a Kaplan-Meier figure (SVG)")
	fl.BoolVar(&f.bands, "bands", false, "draw confidence bands in --plot")
	fl.Float64SliceVar(&f.atRisk, "at-risk", nil, "times at which to report the number at risk and survival (also the figure's at-risk table; default there: the axis ticks)")
	fl.StringVar(&f.title, "title", "", "figure title")
	fl.StringVar(&f.timeLabel, "time-label", "", "x axis label (default: the time column)")
	fl.BoolVar(&f.force, "force", false, "replace an existing --plot file")
	return c
}

func runKM(cmd *cobra.Command, f survFlags) error {
	conf, err := stats.ParseConfType(f.conf)
	if err != nil {
		return usageError{fmt.Errorf("--conf-type: %w", err)}
	}
	if !(f.level > 0 && f.level < 1) {
		return usageError{fmt.Errorf("--conf-level must be between 0 and 1")}
	}
	if f.plot != "" {
		if err := refuseOverwrite(f.plot, f.force); err != nil {
			return err
		}
	}
	tb, err := clinical.Read(f.data)
	if err != nil {
		return err
	}
	res, err := tb.KaplanMeier(f.time, f.event, f.group, conf, f.level)
	if err != nil {
		return err
	}
	if f.plot != "" {
		tl := f.timeLabel
		if tl == "" {
			tl = f.time
		}
		svg := report.KMPlot(res, report.KMPlotOptions{Title: f.title, TimeLabel: tl, Bands: f.bands, AtRisk: f.atRisk})
		if err := writeAtomic(f.plot, nil, func(w io.Writer) error { _, err := io.WriteString(w, svg); return err }); err != nil {
			return err
		}
	}
	o := report.KMOptions{ConfType: conf, ConfLevel: f.level, AtRisk: f.atRisk}
	if f.json {
		return report.KMJSON(cmd.OutOrStdout(), res, o)
	}
	return report.KMText(cmd.OutOrStdout(), res, o)
}

func logrankCmd() *cobra.Command {
	var f survFlags
	c := &cobra.Command{
		Use:     "logrank --data F.csv --time COL --event COL --group COL [--strata COL]",
		Short:   "log-rank test between groups (survdiff), optionally stratified",
		Args:    cobra.NoArgs,
		Example: `  lsc survival logrank --data cohort.csv --time os --event osi --group PC1_cat --strata Cohort --json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			tb, err := clinical.Read(f.data)
			if err != nil {
				return err
			}
			res, err := tb.LogRank(f.time, f.event, f.group, f.strata)
			if err != nil {
				return err
			}
			if f.json {
				return report.LogRankJSON(cmd.OutOrStdout(), res)
			}
			return report.LogRankText(cmd.OutOrStdout(), res)
		},
	}
	commonSurvFlags(c, &f)
	c.Flags().StringVar(&f.group, "group", "", "column defining the groups")
	c.Flags().StringVar(&f.strata, "strata", "", "stratify by this column (survdiff with strata())")
	c.MarkFlagRequired("group")
	return c
}

func coxCmd() *cobra.Command {
	var f survFlags
	c := &cobra.Command{
		Use:   "cox --data F.csv --time COL --event COL --covariates a,b,c [--ties efron|breslow] [--ref col=level]",
		Short: "Cox proportional hazards model (coxph)",
		Args:  cobra.NoArgs,
		Example: `  lsc survival cox --data cohort.csv --time os --event osi --covariates PC1_cat,Age,CytogeneticRisk --json
  lsc survival cox --data cohort.csv --time os --event osi --covariates PC1_cat,WBC --ref PC1_cat=Low`,
		RunE: func(cmd *cobra.Command, args []string) error { return runCox(cmd, f) },
	}
	commonSurvFlags(c, &f)
	c.Flags().StringSliceVar(&f.covariates, "covariates", nil, "covariate columns")
	c.Flags().StringVar(&f.ties, "ties", "efron", "tie handling: efron or breslow")
	c.Flags().StringArrayVar(&f.refs, "ref", nil, "reference level of a factor, col=level (repeatable)")
	c.MarkFlagRequired("covariates")
	return c
}

func runCox(cmd *cobra.Command, f survFlags) error {
	ties, err := stats.ParseTies(f.ties)
	if err != nil {
		return usageError{fmt.Errorf("--ties: %w", err)}
	}
	refs, err := parseRefs(f.refs)
	if err != nil {
		return err
	}
	tb, err := clinical.Read(f.data)
	if err != nil {
		return err
	}
	res, err := tb.Cox(f.time, f.event, f.covariates, refs, ties)
	if err != nil {
		return err
	}
	if f.json {
		return report.CoxJSON(cmd.OutOrStdout(), res, ties)
	}
	return report.CoxText(cmd.OutOrStdout(), res, ties)
}

// parseRefs reads --ref col=level values.
func parseRefs(list []string) (map[string]string, error) {
	refs := map[string]string{}
	for _, r := range list {
		k, v, ok := strings.Cut(r, "=")
		if !ok || k == "" || v == "" {
			return nil, usageError{fmt.Errorf("--ref %q: write col=level", r)}
		}
		refs[k] = v
	}
	return refs, nil
}

func writeJSON(w io.Writer, v any) error { return report.JSON(w, v) }
