package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/clinical"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/stats"
)

type survFlags struct {
	data, time, event, group, strata, ties, conf, plot, title, timeLabel string
	covariates, refs                                                     []string
	level                                                                float64
	json, bands, force                                                   bool
	atRisk                                                               []float64
}

func survivalCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "survival",
		Short: "Kaplan-Meier, log-rank and Cox models on a clinical table (as R's survival package)",
		Long: `Outcome statistics on a clinical table (CSV or TSV, one row per patient). Numbers agree with R's
survival package 3.5 (survfit, survdiff, coxph) to 1e-6; see clinical/testdata for the comparison.

Events may be coded 1/0, 2/1 (R's convention), true/false, yes/no or dead/alive. Missing values
("", NA, NaN, N/A, NULL, ".") are dropped per analysis and counted in the output. A column whose
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
	conf := stats.ConfType(f.conf)
	if conf != stats.ConfLog && conf != stats.ConfLogLog && conf != stats.ConfPlain {
		return usageError{fmt.Errorf("--conf-type must be log, log-log or plain")}
	}
	if !(f.level > 0 && f.level < 1) {
		return usageError{fmt.Errorf("--conf-level must be between 0 and 1")}
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
		if err := refuseOverwrite(f.plot, f.force); err != nil {
			return err
		}
		tl := f.timeLabel
		if tl == "" {
			tl = f.time
		}
		svg := report.KMPlot(res, report.KMPlotOptions{Title: f.title, TimeLabel: tl, Bands: f.bands, AtRisk: f.atRisk})
		if err := writeAtomic(f.plot, nil, func(w io.Writer) error { _, err := io.WriteString(w, svg); return err }); err != nil {
			return err
		}
	}
	out := cmd.OutOrStdout()
	if f.json {
		type row struct {
			Time    float64  `json:"time"`
			NRisk   int      `json:"n_risk"`
			NEvent  int      `json:"n_event"`
			NCensor int      `json:"n_censor"`
			Surv    report.F `json:"surv"`
			StdErr  report.F `json:"std_err"`
			Lower   report.F `json:"lower"`
			Upper   report.F `json:"upper"`
		}
		type atRisk struct {
			Time  float64  `json:"time"`
			NRisk int      `json:"n_risk"`
			Surv  report.F `json:"surv"`
		}
		type stratum struct {
			Name        string   `json:"name"`
			N           int      `json:"n"`
			Events      int      `json:"events"`
			Median      report.F `json:"median"`
			MedianLower report.F `json:"median_lower"`
			MedianUpper report.F `json:"median_upper"`
			Table       []row    `json:"table"`
			AtRisk      []atRisk `json:"at_risk,omitempty"`
		}
		doc := struct {
			Strata    []stratum `json:"strata"`
			Dropped   int       `json:"dropped_missing"`
			ConfType  string    `json:"conf_type"`
			ConfLevel float64   `json:"conf_level"`
			LogRank   *lrJSON   `json:"logrank,omitempty"`
		}{Dropped: res.Dropped, ConfType: f.conf, ConfLevel: f.level, LogRank: toLRJSON(res.LogRank, 0)}
		for _, s := range res.Strata {
			st := stratum{Name: s.Name, N: s.N, Events: s.Events, Median: report.F(s.Median), MedianLower: report.F(s.MedianLower), MedianUpper: report.F(s.MedianUpper), Table: []row{}}
			for _, r := range s.Rows {
				st.Table = append(st.Table, row{r.Time, r.NRisk, r.NEvent, r.NCensor, report.F(r.Surv), report.F(r.StdErr), report.F(r.Lower), report.F(r.Upper)})
			}
			for j, n := range s.AtRisk(f.atRisk) {
				st.AtRisk = append(st.AtRisk, atRisk{f.atRisk[j], n, report.F(s.SurvivalAt(f.atRisk[j]))})
			}
			doc.Strata = append(doc.Strata, st)
		}
		return writeJSON(out, doc)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "group\tn\tevents\tmedian\t%g%% CI\n", f.level*100)
	for _, s := range res.Strata {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s, %s\n", s.Name, s.N, s.Events, na(s.Median), na(s.MedianLower), na(s.MedianUpper))
	}
	tw.Flush()
	if len(f.atRisk) > 0 {
		fmt.Fprintln(out, "\nnumber at risk (survival)")
		tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprint(tw, "group")
		for _, t := range f.atRisk {
			fmt.Fprintf(tw, "\t%g", t)
		}
		fmt.Fprintln(tw)
		for _, s := range res.Strata {
			fmt.Fprint(tw, s.Name)
			for j, n := range s.AtRisk(f.atRisk) {
				fmt.Fprintf(tw, "\t%d (%.3f)", n, s.SurvivalAt(f.atRisk[j]))
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
	}
	if res.LogRank != nil {
		fmt.Fprintf(out, "log-rank chisq %.4g on %d df, p = %s\n", res.LogRank.Chisq, res.LogRank.DF, report.FormatP(res.LogRank.P))
	}
	if res.Dropped > 0 {
		fmt.Fprintf(out, "%d row(s) with a missing value left out\n", res.Dropped)
	}
	return nil
}

type lrJSON struct {
	Chisq   report.F    `json:"chisq"`
	DF      int         `json:"df"`
	P       report.F    `json:"p"`
	Groups  []groupJSON `json:"groups"`
	Dropped *int        `json:"dropped_missing,omitempty"`
}

type groupJSON struct {
	Name     string   `json:"name"`
	N        int      `json:"n"`
	Observed report.F `json:"observed"`
	Expected report.F `json:"expected"`
}

func toLRJSON(lr *stats.LogRank, dropped int) *lrJSON {
	if lr == nil {
		return nil
	}
	j := &lrJSON{Chisq: report.F(lr.Chisq), DF: lr.DF, P: report.F(lr.P)}
	for i, g := range lr.Groups {
		j.Groups = append(j.Groups, groupJSON{g, lr.N[i], report.F(lr.Observed[i]), report.F(lr.Expected[i])})
	}
	return j
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
			out := cmd.OutOrStdout()
			if f.json {
				j := toLRJSON(res.LogRank, res.Dropped)
				j.Dropped = &res.Dropped
				return writeJSON(out, j)
			}
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "group\tn\tobserved\texpected\t(O-E)^2/E")
			for i, g := range res.Groups {
				e := res.Expected[i]
				fmt.Fprintf(tw, "%s\t%d\t%g\t%.4f\t%.4f\n", g, res.N[i], res.Observed[i], e, (res.Observed[i]-e)*(res.Observed[i]-e)/e)
			}
			tw.Flush()
			fmt.Fprintf(out, "chisq %.4g on %d df, p = %s\n", res.Chisq, res.DF, report.FormatP(res.P))
			if res.Dropped > 0 {
				fmt.Fprintf(out, "%d row(s) with a missing value left out\n", res.Dropped)
			}
			return nil
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
	ties := stats.Ties(f.ties)
	if ties != stats.Efron && ties != stats.Breslow {
		return usageError{fmt.Errorf("--ties must be efron or breslow")}
	}
	refs := map[string]string{}
	for _, r := range f.refs {
		k, v, ok := strings.Cut(r, "=")
		if !ok || k == "" || v == "" {
			return usageError{fmt.Errorf("--ref %q: write col=level", r)}
		}
		refs[k] = v
	}
	tb, err := clinical.Read(f.data)
	if err != nil {
		return err
	}
	res, err := tb.Cox(f.time, f.event, f.covariates, refs, ties)
	if err != nil {
		return err
	}
	var warnings []string
	if !res.Converged {
		warnings = append(warnings, "did not converge in 20 iterations: the estimates are not reliable")
	}
	for _, t := range res.Terms {
		if t.MayBeInfinite {
			warnings = append(warnings, fmt.Sprintf("%s: the log likelihood converged while the coefficient kept growing (complete or quasi-complete separation); its estimate, hazard ratio and Wald test are not meaningful", t.Term))
		}
	}
	out := cmd.OutOrStdout()
	if f.json {
		type term struct {
			Term          string   `json:"term"`
			Coef          report.F `json:"coef"`
			SE            report.F `json:"se"`
			HR            report.F `json:"hr"`
			Lower         report.F `json:"lower95"`
			Upper         report.F `json:"upper95"`
			Z             report.F `json:"z"`
			P             report.F `json:"p"`
			MayBeInfinite bool     `json:"may_be_infinite,omitempty"`
		}
		type test struct {
			Stat report.F `json:"stat"`
			DF   int      `json:"df"`
			P    report.F `json:"p"`
		}
		tj := func(t stats.Test) test { return test{report.F(t.Stat), t.DF, report.F(t.P)} }
		doc := struct {
			N           int                 `json:"n"`
			Events      int                 `json:"events"`
			Dropped     int                 `json:"dropped_missing"`
			Ties        string              `json:"ties"`
			Terms       []term              `json:"terms"`
			LogLik      [2]report.F         `json:"loglik"`
			LRT         test                `json:"lrt"`
			Wald        test                `json:"wald"`
			Score       test                `json:"score"`
			Concordance report.F            `json:"concordance"`
			Converged   bool                `json:"converged"`
			Iterations  int                 `json:"iterations"`
			Levels      map[string][]string `json:"levels,omitempty"`
			Warnings    []string            `json:"warnings"`
		}{N: res.N, Events: res.Events, Dropped: res.Dropped, Ties: f.ties, LogLik: [2]report.F{report.F(res.LogLik[0]), report.F(res.LogLik[1])},
			LRT: tj(res.LRT), Wald: tj(res.Wald), Score: tj(res.Score), Concordance: report.F(res.Concordance), Converged: res.Converged,
			Iterations: res.Iter, Levels: res.Levels, Warnings: append([]string{}, warnings...)}
		for _, t := range res.Terms {
			doc.Terms = append(doc.Terms, term{t.Term, report.F(t.Coef), report.F(t.SE), report.F(t.HR), report.F(t.Lower95), report.F(t.Upper95), report.F(t.Z), report.F(t.P), t.MayBeInfinite})
		}
		return writeJSON(out, doc)
	}
	fmt.Fprintf(out, "n = %d, events = %d (%d row(s) with a missing value left out), ties = %s\n\n", res.N, res.Events, res.Dropped, f.ties)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "term\tcoef\tHR\t95% CI\tse\tz\tp")
	for _, t := range res.Terms {
		mark := ""
		if t.MayBeInfinite {
			mark = "  !"
		}
		fmt.Fprintf(tw, "%s\t%.4g\t%.4g\t%.4g-%.4g\t%.4g\t%.3f\t%s%s\n", t.Term, t.Coef, t.HR, t.Lower95, t.Upper95, t.SE, t.Z, report.FormatP(t.P), mark)
	}
	tw.Flush()
	fmt.Fprintf(out, "\nconcordance %.4f\nlikelihood ratio %.4g on %d df, p = %s\nWald %.4g on %d df, p = %s\nscore (log-rank) %.4g on %d df, p = %s\n",
		res.Concordance, res.LRT.Stat, res.LRT.DF, report.FormatP(res.LRT.P), res.Wald.Stat, res.Wald.DF, report.FormatP(res.Wald.P),
		res.Score.Stat, res.Score.DF, report.FormatP(res.Score.P))
	for _, w := range warnings {
		fmt.Fprintln(out, "WARNING:", w)
	}
	return nil
}

func na(v float64) string {
	s := report.Num(v)
	if s == "" {
		return "NA"
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.FormatFloat(f, 'g', 6, 64)
	}
	return s
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
