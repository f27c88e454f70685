package report

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/lsc-bio/lsc/clinical"
	"github.com/lsc-bio/lsc/stats"
)

// The outputs of lsc survival: JSON documents (field names are the public
// interface: they follow R's survfit, survdiff and coxph names) and the
// terminal tables.

// KMOptions are the settings a Kaplan-Meier result was made with, echoed in
// its outputs.
type KMOptions struct {
	ConfType  stats.ConfType
	ConfLevel float64
	AtRisk    []float64 // times for the number at risk and survival
}

type kmRowJSON struct {
	Time    F   `json:"time"`
	NRisk   int `json:"n_risk"`
	NEvent  int `json:"n_event"`
	NCensor int `json:"n_censor"`
	Surv    F   `json:"surv"`
	StdErr  F   `json:"std_err"`
	Lower   F   `json:"lower"`
	Upper   F   `json:"upper"`
}

type atRiskJSON struct {
	Time  F   `json:"time"`
	NRisk int `json:"n_risk"`
	Surv  F   `json:"surv"`
}

type stratumJSON struct {
	Name        string       `json:"name"`
	N           int          `json:"n"`
	Events      int          `json:"events"`
	Median      F            `json:"median"`
	MedianLower F            `json:"median_lower"`
	MedianUpper F            `json:"median_upper"`
	Table       []kmRowJSON  `json:"table"`
	AtRisk      []atRiskJSON `json:"at_risk,omitempty"`
}

// KMDoc is the JSON document of lsc survival km.
type KMDoc struct {
	Strata    []stratumJSON `json:"strata"`
	Dropped   int           `json:"dropped_missing"`
	ConfType  string        `json:"conf_type"`
	ConfLevel float64       `json:"conf_level"`
	LogRank   *LogRankDoc   `json:"logrank,omitempty"`
}

// LogRankDoc is the JSON document of a log-rank test.
type LogRankDoc struct {
	Chisq   F            `json:"chisq"`
	DF      int          `json:"df"`
	P       F            `json:"p"`
	Groups  []lrGroupDoc `json:"groups"`
	Dropped *int         `json:"dropped_missing,omitempty"`
}

type lrGroupDoc struct {
	Name     string `json:"name"`
	N        int    `json:"n"`
	Observed F      `json:"observed"`
	Expected F      `json:"expected"`
}

// NewKMDoc lays out a Kaplan-Meier result for JSON.
func NewKMDoc(res *clinical.KMResult, o KMOptions) KMDoc {
	doc := KMDoc{Dropped: res.Dropped, ConfType: string(o.ConfType), ConfLevel: o.ConfLevel, LogRank: newLogRankDoc(res.LogRank)}
	for _, s := range res.Strata {
		st := stratumJSON{Name: s.Name, N: s.N, Events: s.Events, Median: F(s.Median), MedianLower: F(s.MedianLower), MedianUpper: F(s.MedianUpper), Table: []kmRowJSON{}}
		for _, r := range s.Rows {
			st.Table = append(st.Table, kmRowJSON{F(r.Time), r.NRisk, r.NEvent, r.NCensor, F(r.Surv), F(r.StdErr), F(r.Lower), F(r.Upper)})
		}
		for j, n := range s.AtRisk(o.AtRisk) {
			st.AtRisk = append(st.AtRisk, atRiskJSON{F(o.AtRisk[j]), n, F(s.SurvivalAt(o.AtRisk[j]))})
		}
		doc.Strata = append(doc.Strata, st)
	}
	return doc
}

func newLogRankDoc(lr *stats.LogRank) *LogRankDoc {
	if lr == nil {
		return nil
	}
	j := &LogRankDoc{Chisq: F(lr.Chisq), DF: lr.DF, P: F(lr.P)}
	for i, g := range lr.Groups {
		j.Groups = append(j.Groups, lrGroupDoc{g, lr.N[i], F(lr.Observed[i]), F(lr.Expected[i])})
	}
	return j
}

// KMJSON writes the JSON document of lsc survival km.
func KMJSON(w io.Writer, res *clinical.KMResult, o KMOptions) error {
	return JSON(w, NewKMDoc(res, o))
}

// KMText writes the terminal summary of a Kaplan-Meier result: medians with
// their interval (NA where open), the numbers at risk, the log-rank test.
func KMText(w io.Writer, res *clinical.KMResult, o KMOptions) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "group\tn\tevents\tmedian\t%g%% CI\n", o.ConfLevel*100)
	for _, s := range res.Strata {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s, %s\n", s.Name, s.N, s.Events, NumNA(s.Median), NumNA(s.MedianLower), NumNA(s.MedianUpper))
	}
	tw.Flush()
	if len(o.AtRisk) > 0 {
		fmt.Fprintln(w, "\nnumber at risk (survival)")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprint(tw, "group")
		for _, t := range o.AtRisk {
			fmt.Fprintf(tw, "\t%g", t)
		}
		fmt.Fprintln(tw)
		for _, s := range res.Strata {
			fmt.Fprint(tw, s.Name)
			for j, n := range s.AtRisk(o.AtRisk) {
				fmt.Fprintf(tw, "\t%d (%.3f)", n, s.SurvivalAt(o.AtRisk[j]))
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
	}
	if res.LogRank != nil {
		fmt.Fprintf(w, "log-rank chisq %.4g on %d df, p = %s\n", res.LogRank.Chisq, res.LogRank.DF, FormatP(res.LogRank.P))
	}
	return droppedLine(w, res.Dropped)
}

func droppedLine(w io.Writer, n int) error {
	var err error
	if n > 0 {
		_, err = fmt.Fprintf(w, "%d row(s) with a missing value left out\n", n)
	}
	return err
}

// LogRankJSON writes the JSON document of lsc survival logrank.
func LogRankJSON(w io.Writer, res *clinical.LogRankResult) error {
	j := newLogRankDoc(res.LogRank)
	j.Dropped = &res.Dropped
	return JSON(w, j)
}

// LogRankText writes the terminal table of a log-rank test (as survdiff
// prints it).
func LogRankText(w io.Writer, res *clinical.LogRankResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "group\tn\tobserved\texpected\t(O-E)^2/E")
	for i, g := range res.Groups {
		e := res.Expected[i]
		fmt.Fprintf(tw, "%s\t%d\t%g\t%.4f\t%.4f\n", g, res.N[i], res.Observed[i], e, (res.Observed[i]-e)*(res.Observed[i]-e)/e)
	}
	tw.Flush()
	fmt.Fprintf(w, "chisq %.4g on %d df, p = %s\n", res.Chisq, res.DF, FormatP(res.P))
	return droppedLine(w, res.Dropped)
}

type coxTermDoc struct {
	Term          string `json:"term"`
	Coef          F      `json:"coef"`
	SE            F      `json:"se"`
	HR            F      `json:"hr"`
	Lower         F      `json:"lower95"`
	Upper         F      `json:"upper95"`
	Z             F      `json:"z"`
	P             F      `json:"p"`
	MayBeInfinite bool   `json:"may_be_infinite,omitempty"`
}

type testDoc struct {
	Stat F   `json:"stat"`
	DF   int `json:"df"`
	P    F   `json:"p"`
}

// CoxDoc is the JSON document of lsc survival cox.
type CoxDoc struct {
	N           int                 `json:"n"`
	Events      int                 `json:"events"`
	Dropped     int                 `json:"dropped_missing"`
	Ties        string              `json:"ties"`
	Terms       []coxTermDoc        `json:"terms"`
	LogLik      [2]F                `json:"loglik"`
	LRT         testDoc             `json:"lrt"`
	Wald        testDoc             `json:"wald"`
	Score       testDoc             `json:"score"`
	Concordance F                   `json:"concordance"`
	Converged   bool                `json:"converged"`
	Iterations  int                 `json:"iterations"`
	Levels      map[string][]string `json:"levels,omitempty"`
	Warnings    []string            `json:"warnings"`
}

// NewCoxDoc lays out a Cox model for JSON.
func NewCoxDoc(res *clinical.CoxResult, ties stats.Ties) CoxDoc {
	tj := func(t stats.Test) testDoc { return testDoc{F(t.Stat), t.DF, F(t.P)} }
	doc := CoxDoc{N: res.N, Events: res.Events, Dropped: res.Dropped, Ties: string(ties), LogLik: [2]F{F(res.LogLik[0]), F(res.LogLik[1])},
		LRT: tj(res.LRT), Wald: tj(res.Wald), Score: tj(res.Score), Concordance: F(res.Concordance), Converged: res.Converged,
		Iterations: res.Iter, Levels: res.Levels, Warnings: append([]string{}, CoxWarnings(res.Cox)...)}
	for _, t := range res.Terms {
		doc.Terms = append(doc.Terms, coxTermDoc{t.Term, F(t.Coef), F(t.SE), F(t.HR), F(t.Lower95), F(t.Upper95), F(t.Z), F(t.P), t.MayBeInfinite})
	}
	return doc
}

// CoxWarnings says what makes a fit's estimates unreliable: no convergence,
// coefficients running off to infinity (separation).
func CoxWarnings(c *stats.Cox) []string {
	var warnings []string
	if !c.Converged {
		warnings = append(warnings, "did not converge in 20 iterations: the estimates are not reliable")
	}
	for _, t := range c.Terms {
		if t.MayBeInfinite {
			warnings = append(warnings, fmt.Sprintf("%s: the log likelihood converged while the coefficient kept growing (complete or quasi-complete separation); its estimate, hazard ratio and Wald test are not meaningful", t.Term))
		}
	}
	return warnings
}

// CoxJSON writes the JSON document of lsc survival cox.
func CoxJSON(w io.Writer, res *clinical.CoxResult, ties stats.Ties) error {
	return JSON(w, NewCoxDoc(res, ties))
}

// CoxText writes the terminal table of a Cox model (as summary.coxph).
func CoxText(w io.Writer, res *clinical.CoxResult, ties stats.Ties) error {
	fmt.Fprintf(w, "n = %d, events = %d (%d row(s) with a missing value left out), ties = %s\n\n", res.N, res.Events, res.Dropped, ties)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "term\tcoef\tHR\t95% CI\tse\tz\tp")
	for _, t := range res.Terms {
		mark := ""
		if t.MayBeInfinite {
			mark = "  !"
		}
		fmt.Fprintf(tw, "%s\t%.4g\t%.4g\t%.4g-%.4g\t%.4g\t%.3f\t%s%s\n", t.Term, t.Coef, t.HR, t.Lower95, t.Upper95, t.SE, t.Z, FormatP(t.P), mark)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nconcordance %.4f\nlikelihood ratio %.4g on %d df, p = %s\nWald %.4g on %d df, p = %s\nscore (log-rank) %.4g on %d df, p = %s\n",
		res.Concordance, res.LRT.Stat, res.LRT.DF, FormatP(res.LRT.P), res.Wald.Stat, res.Wald.DF, FormatP(res.Wald.P),
		res.Score.Stat, res.Score.DF, FormatP(res.Score.P))
	for _, m := range CoxWarnings(res.Cox) {
		fmt.Fprintln(w, "WARNING:", m)
	}
	return nil
}

// NumNA formats a number for people with 6 significant digits, "NA" where
// it is undefined (an open confidence limit, a median not reached).
func NumNA(v float64) string {
	s := Num(v)
	if s == "" {
		return "NA"
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.FormatFloat(f, 'g', 6, 64)
	}
	return s
}
