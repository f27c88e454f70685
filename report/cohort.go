package report

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"sync"

	"github.com/lsc-bio/lsc/clinical"
	"github.com/lsc-bio/lsc/cohort"
	"github.com/lsc-bio/lsc/plot"
	"github.com/lsc-bio/lsc/stats"
)

// CohortScores writes scores.tsv: sample, score, group, in_clinical.
func CohortScores(w io.Writer, r *cohort.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "sample\t%s\t%s\tin_clinical\n", r.ScoreColumn, r.GroupColumn)
	for _, s := range r.Samples {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\n", cell(s.ID), Num(s.Score), s.Group, yesNo(s.Clinical))
	}
	return bw.Flush()
}

// KMTable writes a Kaplan-Meier table (one row per group and time).
func KMTable(w io.Writer, km *clinical.KMResult) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "group\ttime\tn_risk\tn_event\tn_censor\tsurv\tstd_err\tlower\tupper")
	for _, s := range km.Strata {
		for _, r := range s.Rows {
			fmt.Fprintf(bw, "%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\n", cell(s.Name), Num(r.Time), r.NRisk, r.NEvent, r.NCensor, Num(r.Surv), Num(r.StdErr), Num(r.Lower), Num(r.Upper))
		}
	}
	return bw.Flush()
}

// CohortModels writes cox.tsv: both Cox models, one row per term.
func CohortModels(w io.Writer, r *cohort.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "model\tterm\tn\tevents\tcoef\tse\thr\tlower95\tupper95\tz\tp\tconcordance\tlrt_p\tnote")
	for _, m := range []struct {
		name string
		c    *clinical.CoxResult
	}{{"group", r.CoxGroup}, {"score", r.CoxScore}} {
		if m.c == nil {
			continue
		}
		for _, t := range m.c.Terms {
			note := ""
			if t.MayBeInfinite {
				note = "coefficient may be infinite (separation)"
			}
			if !m.c.Converged {
				note = "did not converge"
			}
			coxRow(bw, m.name, t, m.c, note)
			if m.name == "score" && t.Term == r.ScoreColumn && r.ScorePerSD != nil {
				coxRow(bw, m.name, *r.ScorePerSD, m.c, "hazard ratio per SD of the score (SD "+Num(r.ScoreSD)+")")
			}
		}
	}
	return bw.Flush()
}

func coxRow(w io.Writer, model string, t stats.CoxTerm, c *clinical.CoxResult, note string) {
	fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", model, cell(t.Term), c.N, c.Events, Num(t.Coef), Num(t.SE), Num(t.HR),
		Num(t.Lower95), Num(t.Upper95), Num(t.Z), Num(t.P), Num(c.Concordance), Num(c.LRT.P), note)
}

// CohortTests writes tests.tsv: log-rank, maxstat, ROC and Mann-Whitney.
func CohortTests(w io.Writer, r *cohort.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "test\tstatistic\tdf\tp\testimate\tlower95\tupper95\tnote")
	if lr := r.KM.LogRank; lr != nil {
		note := ""
		if r.CutMethod == "maxstat" {
			note = "; unadjusted for the cut search (see the maxstat p)"
		}
		fmt.Fprintf(bw, "logrank high vs low\t%s\t%d\t%s\t\t\t\tcut %s (%s)%s\n", Num(lr.Chisq), lr.DF, Num(lr.P), Num(r.Cut), r.CutMethod, note)
	}
	if m := r.MaxStat; m != nil {
		fmt.Fprintf(bw, "maxstat log-rank cut\t%s\t\t%s\t%s\t\t\tp by Lausen & Schumacher 1992; Lau94 p %s\n", Num(m.Statistic), Num(m.PLau92), Num(m.Cutpoint), Num(m.PLau94))
	}
	if roc := r.ROC; roc != nil {
		fmt.Fprintf(bw, "ROC AUC (response)\t\t\t\t%s\t%s\t%s\t%d responders, %d non-responders; DeLong interval\n", Num(roc.AUC), Num(roc.CI.Lower), Num(roc.CI.Upper), r.Responders, r.NonResponders)
	}
	if mw := r.MannWhitney; mw != nil {
		kind := "normal approximation"
		if mw.Exact {
			kind = "exact"
		}
		fmt.Fprintf(bw, "Mann-Whitney score by response\t%s\t\t%s\t\t\t\t%s\n", Num(mw.W), Num(mw.P), kind)
	}
	return bw.Flush()
}

// ROCPlot draws a ROC curve with the diagonal and the AUC.
func ROCPlot(roc *stats.ROC) string {
	c := plot.NewCanvas(420, 400)
	c.Right = 20
	c.XMin, c.XMax, c.YMin, c.YMax = 0, 1, 0, 1
	c.Axes(plot.NiceTicks(0, 1, 5), plot.NiceTicks(0, 1, 5), "1 - specificity", "sensitivity")
	c.Line([]float64{0, 1}, []float64{0, 1}, "#999", 1, "4 3")
	var xs, ys []float64
	for _, p := range roc.Curve {
		xs, ys = append(xs, 1-p.Specificity), append(ys, p.Sensitivity)
	}
	c.Line(xs, ys, plot.Palette[0], 2, "")
	c.Raw(`<text x="%s" y="%s" font-size="12">AUC %.3f (95%% CI %.3f-%.3f)</text>`+"\n", plot.Px(c.X(0.35)), plot.Px(c.Y(0.1)), roc.AUC, roc.CI.Lower, roc.CI.Upper)
	return c.SVG()
}

// CohortMeta describes a cohort run for the report.
type CohortMeta struct {
	Version, Expression, Clinical, Time, Event, Response string
	TimeLabel                                            string // KM x axis, with the unit; default the time column
	Covariates                                           []string
}

// CohortPLines are the p values beside the cohort's KM curves: the
// log-rank p, or for a maxstat cut the maximally selected (adjusted) p
// first and the log-rank p labelled as unadjusted.
func CohortPLines(r *cohort.Result) []string {
	if r.KM.LogRank == nil {
		return nil
	}
	lr := FormatP(r.KM.LogRank.P)
	if r.CutMethod == "maxstat" && r.MaxStat != nil {
		return []string{"maxstat p = " + FormatP(r.MaxStat.PLau92), "(adjusted for the cut search)", "log-rank p = " + lr, "(unadjusted)"}
	}
	return []string{"log-rank p = " + lr}
}

// CohortHTML writes the self-contained cohort report.
func CohortHTML(w io.Writer, r *cohort.Result, m CohortMeta) error {
	tl := m.TimeLabel
	if tl == "" {
		tl = m.Time
	}
	km := KMPlot(r.KM, KMPlotOptions{Title: r.Signature + " high vs low", TimeLabel: tl, PLines: CohortPLines(r)})
	roc := ""
	if r.ROC != nil {
		roc = ROCPlot(r.ROC)
	}
	return cohortTmpl().Execute(w, map[string]any{"R": r, "M": m, "KM": template.HTML(km), "ROC": template.HTML(roc), "CSS": css(),
		"Covs": strings.Join(m.Covariates, ", ")})
}

var cohortTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("cohort").Funcs(template.FuncMap{
		"num": func(v float64) string { return Num(round6(v)) },
		"numna": func(v float64) string {
			if math.IsNaN(v) {
				return "NA"
			}
			return Num(round6(v))
		},
		"p": FormatP,
		"dict": func(kv ...any) map[string]*clinical.CoxResult {
			m := map[string]*clinical.CoxResult{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)], _ = kv[i+1].(*clinical.CoxResult)
			}
			return m
		},
		"hr": func(t stats.CoxTerm) string {
			if math.IsInf(t.Upper95, 1) {
				return "not estimable"
			}
			return fmt.Sprintf("%.3g (%.3g–%.3g)", t.HR, t.Lower95, t.Upper95)
		},
	}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>lsc cohort: {{.R.Signature}}</title><style>{{.CSS}}</style></head><body>
<h1>{{.R.Signature}} and outcome</h1>
<p class="meta">lsc {{.M.Version}} · expression {{.M.Expression}} · clinical {{.M.Clinical}} · method {{.R.Method}} · time {{.M.Time}}, event {{.M.Event}}{{if .Covs}} · covariates {{.Covs}}{{end}}</p>
<p>{{len .R.Samples}} scored samples; {{len .R.NotInClinical}} without a clinical row, {{len .R.NoExpression}} clinical rows without expression.
Cut {{num .R.Cut}} ({{.R.CutMethod}}): samples above it are <b>high</b>.{{range .R.ScoreLog}}<br><span class="meta">{{.}}</span>{{end}}</p>
<h2>Survival by group</h2>
{{.KM}}
<table><tr><th>group</th><th>n</th><th>events</th><th>median</th><th>95% CI</th></tr>
{{range .R.KM.Strata}}<tr><td>{{.Name}}</td><td>{{.N}}</td><td>{{.Events}}</td><td>{{numna .Median}}</td><td>{{numna .MedianLower}} – {{numna .MedianUpper}}</td></tr>{{end}}</table>
{{with .R.KM.LogRank}}<p>Log-rank χ² {{num .Chisq}} on {{.DF}} df, p = {{p .P}}{{if eq $.R.CutMethod "maxstat"}} (unadjusted: the cut was chosen to maximise this statistic; the maxstat p below accounts for that){{end}}{{if $.R.KM.Dropped}} ({{$.R.KM.Dropped}} rows with missing values left out){{end}}.</p>{{end}}
{{with .R.MaxStat}}<p>Maximally selected log-rank cut: {{num .Cutpoint}} (statistic {{num .Statistic}}, adjusted p = {{p .PLau92}} by Lausen &amp; Schumacher 1992).</p>{{end}}
<h2>Cox models</h2>
{{range $name, $c := dict "group" .R.CoxGroup "score (continuous)" .R.CoxScore}}{{if $c}}
<h3>{{$name}}</h3><table><tr><th>term</th><th>HR (95% CI)</th><th>p</th></tr>
{{range $c.Terms}}<tr><td>{{.Term}}</td><td>{{hr .}}</td><td>{{p .P}}</td></tr>{{if and (eq $name "score (continuous)") (eq .Term $.R.ScoreColumn) $.R.ScorePerSD}}<tr><td>{{$.R.ScorePerSD.Term}} (SD {{num $.R.ScoreSD}})</td><td>{{hr $.R.ScorePerSD}}</td><td>{{p $.R.ScorePerSD.P}}</td></tr>{{end}}{{end}}</table>
<p class="meta">n = {{$c.N}}, events = {{$c.Events}}, {{$c.Dropped}} rows with missing values left out; likelihood ratio p = {{p $c.LRT.P}}; concordance {{num $c.Concordance}}</p>{{end}}{{end}}
{{range .R.CoxErr}}<p class="flag">{{.}}</p>{{end}}
{{if .ROC}}<h2>Response ({{.M.Response}})</h2>{{.ROC}}
<p>{{.R.Responders}} responders, {{.R.NonResponders}} non-responders. {{with .R.MannWhitney}}Mann-Whitney W = {{num .W}}, p = {{p .P}}.{{end}}</p>{{end}}
</body></html>
`))
})

// CohortRun is what run.json records besides the results: inputs with
// their SHA-256, parameters, version.
type CohortRun struct {
	ExpressionSHA256, ClinicalSHA256 string
	Normalize, Cut, Ties             string
	MinProp                          float64
	Ref                              map[string]string
}

// CohortRunJSON writes run.json of a cohort analysis.
func CohortRunJSON(w io.Writer, r *cohort.Result, m CohortMeta, run CohortRun) error {
	return JSON(w, map[string]any{
		"lsc_version": m.Version,
		"inputs":      map[string]string{"expression": m.Expression, "expression_sha256": run.ExpressionSHA256, "clinical": m.Clinical, "clinical_sha256": run.ClinicalSHA256},
		"parameters": map[string]any{"signature": r.Signature, "method": r.Method, "normalize": run.Normalize, "cut": run.Cut, "cut_value": F(r.Cut),
			"time": m.Time, "event": m.Event, "response": m.Response, "covariates": m.Covariates, "ref": run.Ref, "ties": run.Ties, "min_prop": run.MinProp},
		"score_log":                      r.ScoreLog,
		"expression_samples_no_clinical": r.NotInClinical,
		"clinical_samples_no_expression": r.NoExpression,
	})
}

// CohortSummary writes the few lines lsc cohort prints on the terminal:
// samples, cut, the p value(s) of high vs low (for a maxstat cut the
// adjusted one first, the log-rank p labelled unadjusted), Cox failures,
// unmatched samples.
func CohortSummary(w io.Writer, r *cohort.Result) error {
	fmt.Fprintf(w, "lsc: %d samples scored with %s (%s); cut %s (%s)\n", len(r.Samples), r.Signature, r.Method, Num(r.Cut), r.CutMethod)
	if lr := r.KM.LogRank; lr != nil {
		if r.CutMethod == "maxstat" && r.MaxStat != nil {
			fmt.Fprintf(w, "lsc: maximally selected log-rank p = %s (adjusted for the cut search, Lausen & Schumacher 1992); log-rank high vs low p = %s (unadjusted)\n",
				FormatP(r.MaxStat.PLau92), FormatP(lr.P))
		} else {
			fmt.Fprintf(w, "lsc: log-rank high vs low p = %s\n", FormatP(lr.P))
		}
	}
	for _, s := range r.CoxErr {
		fmt.Fprintln(w, "lsc: Cox", s)
	}
	var err error
	if len(r.NotInClinical) > 0 {
		_, err = fmt.Fprintf(w, "lsc: %d expression samples have no clinical row (listed in run.json)\n", len(r.NotInClinical))
	}
	return err
}
