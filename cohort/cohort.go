// Package cohort relates a bulk expression signature to outcome: it scores
// every sample with the core engine (e.g. the weighted LSC17 sum of Ng et
// al., Nature 2016, on log2 expression), joins the scores to a clinical
// table, calls high and low (the cohort median by default, a fixed value, or
// the maximally selected log-rank cut of maxstat), and runs the survival and
// response analyses of package stats on the result: Kaplan-Meier and
// log-rank by group, Cox models of the group and of the continuous score
// with clinical covariates, and ROC/Mann-Whitney of the score against a
// binary response.
package cohort

import (
	"fmt"
	"math"
	"strconv"

	"github.com/lsc-bio/lsc/clinical"
	"github.com/lsc-bio/lsc/formats/sheet"
	"github.com/lsc-bio/lsc/matrix"
	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
	"github.com/lsc-bio/lsc/stats"
)

// Options for Run.
type Options struct {
	Score      score.Options
	IDColumn   string // clinical column holding the sample names; "" = the first column
	Time       string
	Event      string
	Response   string // optional binary response column (1/0, yes/no, true/false, responder/non-responder)
	Covariates []string
	Ref        map[string]string
	Ties       stats.Ties
	Cut        string  // "median" (default), "maxstat", or a number
	MinProp    float64 // maxstat: smallest group share (default 0.1)
}

// Sample is one scored sample.
type Sample struct {
	ID       string
	Score    float64
	Group    string // "high", "low", or "" when not in the clinical table
	Clinical bool
}

// Result is a cohort analysis.
type Result struct {
	Signature     string
	Method        string
	ScoreLog      []string
	Samples       []Sample
	ScoreColumn   string
	GroupColumn   string
	Cut           float64
	CutMethod     string
	MaxStat       *stats.MaxStat // when the cut was searched (or reported beside a median cut)
	NotInClinical []string       // expression samples without a clinical row
	NoExpression  []string       // clinical rows without expression
	KM            *clinical.KMResult
	CoxGroup      *clinical.CoxResult
	CoxScore      *clinical.CoxResult
	CoxErr        []string
	ROC           *stats.ROC
	MannWhitney   *stats.MannWhitney
	Responders    int
	NonResponders int
	Table         *clinical.Table // the joined table the analyses ran on
}

// Run scores src with sig and analyses it against tb.
func Run(src matrix.Source, sig signature.Signature, tb *clinical.Table, o Options) (*Result, error) {
	sr, err := score.Run(src, []signature.Signature{sig}, o.Score)
	if err != nil {
		return nil, err
	}
	res := &Result{Signature: sig.Name, Method: sr.Method, ScoreLog: sr.Log}
	res.ScoreColumn = sig.Name + "_score"
	res.GroupColumn = sig.Name + "_group"
	idc := 0
	if o.IDColumn != "" {
		if idc = tb.Col(o.IDColumn); idc < 0 {
			return nil, fmt.Errorf("%s: no column %q for sample names; the table has %v", tb.Path, o.IDColumn, tb.Header)
		}
	}
	byID := map[string]int{}
	for i, r := range tb.Rows {
		id := r.Get(idc)
		if j, dup := byID[id]; dup {
			return nil, fmt.Errorf("%s line %d: sample %q already on line %d; each sample needs one row", tb.Path, r.Line, id, tb.Rows[j].Line)
		}
		byID[id] = i
	}
	scores := map[string]float64{}
	for i, c := range sr.Cells {
		s := Sample{ID: c, Score: sr.Scores[0][i]}
		_, s.Clinical = byID[c]
		if !s.Clinical {
			res.NotInClinical = append(res.NotInClinical, c)
		}
		scores[c] = s.Score
		res.Samples = append(res.Samples, s)
	}
	for _, r := range tb.Rows {
		if _, ok := scores[r.Get(idc)]; !ok {
			res.NoExpression = append(res.NoExpression, r.Get(idc))
		}
	}
	var matched []float64
	for _, s := range res.Samples {
		if s.Clinical && !math.IsNaN(s.Score) {
			matched = append(matched, s.Score)
		}
	}
	if len(matched) < 2 {
		return nil, fmt.Errorf("only %d expression sample(s) match the %s column of %s; check that the clinical table names samples as the expression matrix does", len(matched), tb.Header[idc], tb.Path)
	}
	// Outcome columns, for maxstat.
	tm, ev, ok, err := tb.Outcome(o.Time, o.Event)
	if err != nil {
		return nil, err
	}
	var mt, mx []float64
	var me []bool
	for i, r := range tb.Rows {
		if v, has := scores[r.Get(idc)]; has && ok[i] && !math.IsNaN(v) {
			mt, me, mx = append(mt, tm[i]), append(me, ev[i]), append(mx, v)
		}
	}
	minprop := o.MinProp
	if minprop == 0 {
		minprop = 0.1
	}
	if ms, err := stats.MaxStatLogRank(mt, me, mx, minprop, 1-minprop); err == nil {
		res.MaxStat = ms
	}
	switch o.Cut {
	case "", "median":
		res.Cut, res.CutMethod = stats.Median(matched), "median"
	case "maxstat":
		if res.MaxStat == nil {
			return nil, fmt.Errorf("maxstat found no cut point leaving %g of the samples on each side", minprop)
		}
		res.Cut, res.CutMethod = res.MaxStat.Cutpoint, "maxstat"
	default:
		v, err := strconv.ParseFloat(o.Cut, 64)
		if err != nil {
			return nil, fmt.Errorf("--cut %q: use median, maxstat or a number", o.Cut)
		}
		res.Cut, res.CutMethod = v, "fixed"
	}
	for i := range res.Samples {
		s := &res.Samples[i]
		if s.Clinical && !math.IsNaN(s.Score) {
			s.Group = "low"
			if s.Score > res.Cut {
				s.Group = "high"
			}
		}
	}
	// Joined table: the clinical rows with expression, plus score and group.
	header := append(append([]string(nil), tb.Header...), res.ScoreColumn, res.GroupColumn)
	var rows []sheet.Row
	group := map[string]string{}
	for _, s := range res.Samples {
		group[s.ID] = s.Group
	}
	for _, r := range tb.Rows {
		id := r.Get(idc)
		v, has := scores[id]
		if !has {
			continue
		}
		f := append(append([]string(nil), r.Fields...), strconv.FormatFloat(v, 'g', -1, 64), group[id])
		rows = append(rows, sheet.Row{Line: r.Line, Fields: f})
	}
	sh, err := sheet.New(tb.Path, header, rows)
	if err != nil {
		return nil, fmt.Errorf("joining scores to %s: %w (rename the clinical column)", tb.Path, err)
	}
	jt := &clinical.Table{Sheet: sh}
	res.Table = jt
	if res.KM, err = jt.KaplanMeier(o.Time, o.Event, res.GroupColumn, stats.ConfLog, 0.95); err != nil {
		return nil, err
	}
	ties := o.Ties
	if ties == "" {
		ties = stats.Efron
	}
	ref := map[string]string{res.GroupColumn: "low"}
	for k, v := range o.Ref {
		ref[k] = v
	}
	if res.CoxGroup, err = jt.Cox(o.Time, o.Event, append([]string{res.GroupColumn}, o.Covariates...), ref, ties); err != nil {
		res.CoxErr = append(res.CoxErr, "group model: "+err.Error())
	}
	delete(ref, res.GroupColumn)
	if res.CoxScore, err = jt.Cox(o.Time, o.Event, append([]string{res.ScoreColumn}, o.Covariates...), ref, ties); err != nil {
		res.CoxErr = append(res.CoxErr, "score model: "+err.Error())
	}
	if o.Response != "" {
		lab, lok, err := jt.Labels(o.Response)
		if err != nil {
			return nil, err
		}
		var sc []float64
		var resp []bool
		var x, y []float64
		for i, r := range jt.Rows {
			if !lok[i] {
				continue
			}
			b, err := responder(lab[i])
			if err != nil {
				return nil, fmt.Errorf("%s line %d (column %s): %v; code response as 1/0, yes/no, true/false or responder/non-responder", tb.Path, r.Line, o.Response, err)
			}
			v := scores[r.Get(idc)]
			sc, resp = append(sc, v), append(resp, b)
			if b {
				x = append(x, v)
				res.Responders++
			} else {
				y = append(y, v)
				res.NonResponders++
			}
		}
		if res.ROC, err = stats.ROCCurve(sc, resp, 0.95); err != nil {
			return nil, fmt.Errorf("response %s: both responders and non-responders are needed", o.Response)
		}
		mw, err := stats.MannWhitneyTest(x, y)
		if err == nil {
			res.MannWhitney = &mw
		}
	}
	return res, nil
}

func responder(s string) (bool, error) {
	switch normal(s) {
	case "1", "yes", "true", "responder", "response", "cr", "r":
		return true, nil
	case "0", "no", "false", "non-responder", "nonresponder", "no response", "nr":
		return false, nil
	}
	return false, fmt.Errorf("response value %q not recognised", s)
}

func normal(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
