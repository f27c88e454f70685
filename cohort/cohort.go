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
	"errors"
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

// Errors callers can branch on (errors.Is).
var (
	// ErrCut: the --cut value is neither median, maxstat nor a number.
	ErrCut = errors.New("unknown cut")
	// ErrNoMatch: too few expression samples have a clinical row.
	ErrNoMatch = errors.New("samples do not match")
	// ErrNoCut: maxstat found no cut leaving enough samples on each side.
	ErrNoCut = errors.New("no cut point")
)

// Cut is how samples are split into high and low.
type Cut struct {
	Method string  // "median", "maxstat" or "fixed"
	Value  float64 // the fixed value
}

// ParseCut reads a cut: "median" (or ""), "maxstat", or a number.
func ParseCut(s string) (Cut, error) {
	switch s {
	case "", "median":
		return Cut{Method: "median"}, nil
	case "maxstat":
		return Cut{Method: "maxstat"}, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return Cut{}, fmt.Errorf("%w %q: use median, maxstat or a number", ErrCut, s)
	}
	return Cut{Method: "fixed", Value: v}, nil
}

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
	// ScorePerSD is the score term of CoxScore per standard deviation of
	// the score over the rows that model used (ScoreSD); nil without it.
	ScorePerSD    *stats.CoxTerm
	ScoreSD       float64
	CoxErr        []string
	ROC           *stats.ROC
	MannWhitney   *stats.MannWhitney
	Responders    int
	NonResponders int
	Table         *clinical.Table // the joined table the analyses ran on
}

// Run scores src with sig and analyses it against tb.
func Run(src matrix.Source, sig signature.Signature, tb *clinical.Table, o Options) (*Result, error) {
	cut, err := ParseCut(o.Cut)
	if err != nil {
		return nil, err
	}
	if o.Ties == "" {
		o.Ties = stats.Efron
	}
	if _, err := stats.ParseTies(string(o.Ties)); err != nil {
		return nil, err
	}
	if o.MinProp == 0 {
		o.MinProp = 0.1
	}
	sr, err := score.Run(src, []signature.Signature{sig}, o.Score)
	if err != nil {
		return nil, err
	}
	res := &Result{Signature: sig.Name, Method: sr.Method, ScoreLog: sr.Log, ScoreColumn: sig.Name + "_score", GroupColumn: sig.Name + "_group"}
	j, err := res.match(sr, tb, o.IDColumn)
	if err != nil {
		return nil, err
	}
	if err := res.split(j, cut, o); err != nil {
		return nil, err
	}
	if res.Table, err = j.table(res); err != nil {
		return nil, err
	}
	if err := res.survival(o); err != nil {
		return nil, err
	}
	if o.Response != "" {
		return res, res.response(j, o.Response)
	}
	return res, nil
}

// join is how the expression samples meet the clinical rows.
type join struct {
	tb     *clinical.Table
	idc    int                // clinical column with the sample names
	scores map[string]float64 // by sample name
}

// match records the scores and which samples have a clinical row.
func (res *Result) match(sr *score.Result, tb *clinical.Table, idColumn string) (*join, error) {
	j := &join{tb: tb, scores: map[string]float64{}}
	if idColumn != "" {
		if j.idc = tb.Col(idColumn); j.idc < 0 {
			return nil, fmt.Errorf("%s: no column %q for sample names; the table has %v: %w", tb.Path, idColumn, tb.Header, clinical.ErrNoColumn)
		}
	}
	byID := map[string]int{}
	for i, r := range tb.Rows {
		id := r.Get(j.idc)
		if k, dup := byID[id]; dup {
			return nil, fmt.Errorf("%s line %d: sample %q already on line %d; each sample needs one row", tb.Path, r.Line, id, tb.Rows[k].Line)
		}
		byID[id] = i
	}
	for i, c := range sr.Cells {
		s := Sample{ID: c, Score: sr.Scores[0][i]}
		_, s.Clinical = byID[c]
		if !s.Clinical {
			res.NotInClinical = append(res.NotInClinical, c)
		}
		j.scores[c] = s.Score
		res.Samples = append(res.Samples, s)
	}
	for _, r := range tb.Rows {
		if _, ok := j.scores[r.Get(j.idc)]; !ok {
			res.NoExpression = append(res.NoExpression, r.Get(j.idc))
		}
	}
	return j, nil
}

// split searches the maxstat cut (reported whatever the cut), chooses the
// cut and calls each matched sample high (score > cut) or low.
func (res *Result) split(j *join, cut Cut, o Options) error {
	var matched []float64
	for _, s := range res.Samples {
		if s.Clinical && !math.IsNaN(s.Score) {
			matched = append(matched, s.Score)
		}
	}
	if len(matched) < 2 {
		return fmt.Errorf("only %d expression sample(s) match the %s column of %s; check that the clinical table names samples as the expression matrix does: %w",
			len(matched), j.tb.Header[j.idc], j.tb.Path, ErrNoMatch)
	}
	tm, ev, ok, err := j.tb.Outcome(o.Time, o.Event)
	if err != nil {
		return err
	}
	var mt, mx []float64
	var me []bool
	for i, r := range j.tb.Rows {
		if v, has := j.scores[r.Get(j.idc)]; has && ok[i] && !math.IsNaN(v) {
			mt, me, mx = append(mt, tm[i]), append(me, ev[i]), append(mx, v)
		}
	}
	if ms, err := stats.MaxStatLogRank(mt, me, mx, o.MinProp, 1-o.MinProp); err == nil {
		res.MaxStat = ms
	}
	switch cut.Method {
	case "median":
		res.Cut, res.CutMethod = stats.Median(matched), "median"
	case "maxstat":
		if res.MaxStat == nil {
			return fmt.Errorf("maxstat found no cut point leaving %g of the samples on each side: %w", o.MinProp, ErrNoCut)
		}
		res.Cut, res.CutMethod = res.MaxStat.Cutpoint, "maxstat"
	default:
		res.Cut, res.CutMethod = cut.Value, "fixed"
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
	return nil
}

// table joins the clinical rows that have expression with their score and
// group columns.
func (j *join) table(res *Result) (*clinical.Table, error) {
	header := append(append([]string(nil), j.tb.Header...), res.ScoreColumn, res.GroupColumn)
	group := map[string]string{}
	for _, s := range res.Samples {
		group[s.ID] = s.Group
	}
	var rows []sheet.Row
	for _, r := range j.tb.Rows {
		id := r.Get(j.idc)
		v, has := j.scores[id]
		if !has {
			continue
		}
		f := append(append([]string(nil), r.Fields...), strconv.FormatFloat(v, 'g', -1, 64), group[id])
		rows = append(rows, sheet.Row{Line: r.Line, Fields: f})
	}
	sh, err := sheet.New(j.tb.Path, header, rows)
	if err != nil {
		return nil, fmt.Errorf("joining scores to %s: %w (rename the clinical column)", j.tb.Path, err)
	}
	return &clinical.Table{Sheet: sh}, nil
}

// survival runs Kaplan-Meier and log-rank by group and the Cox models of
// the group and of the continuous score (with its hazard ratio per SD).
// A Cox model that cannot be fitted is reported in CoxErr, not fatal.
func (res *Result) survival(o Options) error {
	jt := res.Table
	var err error
	if res.KM, err = jt.KaplanMeier(o.Time, o.Event, res.GroupColumn, stats.ConfLog, 0.95); err != nil {
		return err
	}
	ref := map[string]string{res.GroupColumn: "low"}
	for k, v := range o.Ref {
		ref[k] = v
	}
	if res.CoxGroup, err = jt.Cox(o.Time, o.Event, append([]string{res.GroupColumn}, o.Covariates...), ref, o.Ties); err != nil {
		res.CoxErr = append(res.CoxErr, "group model: "+err.Error())
	}
	delete(ref, res.GroupColumn)
	if res.CoxScore, err = jt.Cox(o.Time, o.Event, append([]string{res.ScoreColumn}, o.Covariates...), ref, o.Ties); err != nil {
		res.CoxErr = append(res.CoxErr, "score model: "+err.Error())
		return nil
	}
	sc := jt.Col(res.ScoreColumn)
	var used []float64
	for _, i := range res.CoxScore.Rows {
		v, _ := strconv.ParseFloat(jt.Rows[i].Get(sc), 64)
		used = append(used, v)
	}
	if res.ScoreSD = stats.SD(used); res.ScoreSD > 0 {
		t := res.CoxScore.Terms[0].PerUnit(res.ScoreSD)
		t.Term = res.ScoreColumn + " per SD"
		res.ScorePerSD = &t
	}
	return nil
}

// response compares the score between responders and non-responders: ROC
// with DeLong interval and the Mann-Whitney test.
func (res *Result) response(j *join, col string) error {
	jt := res.Table
	lab, lok, err := jt.Labels(col)
	if err != nil {
		return err
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
			return fmt.Errorf("%s line %d (column %s): %w; code response as 1/0, yes/no, true/false or responder/non-responder", j.tb.Path, r.Line, col, err)
		}
		v := j.scores[r.Get(j.idc)]
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
		return fmt.Errorf("response %s: both responders and non-responders are needed: %w", col, err)
	}
	if mw, err := stats.MannWhitneyTest(x, y); err == nil {
		res.MannWhitney = &mw
	}
	return nil
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
