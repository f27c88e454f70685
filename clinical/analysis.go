package clinical

import (
	"fmt"
	"strings"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/stats"
)

// Stratum is one group's Kaplan-Meier curve.
type Stratum struct {
	Name string
	*stats.KM
}

// KMResult holds the curves of one analysis, strata in sorted order.
type KMResult struct {
	Group   string
	Strata  []Stratum
	Dropped int            // rows left out for a missing time, event or group
	LogRank *stats.LogRank // nil with fewer than two groups
}

// KaplanMeier fits one curve per level of group ("" = one curve for all),
// and the log-rank test between them when there are two or more.
func (t *Table) KaplanMeier(timeCol, eventCol, group string, conf stats.ConfType, level float64) (*KMResult, error) {
	tm, ev, ok, err := t.Outcome(timeCol, eventCol)
	if err != nil {
		return nil, err
	}
	labels := make([]string, len(tm))
	gok := ok
	if group != "" {
		if labels, gok, err = t.Labels(group); err != nil {
			return nil, err
		}
	} else {
		for i := range labels {
			labels[i] = "all"
		}
	}
	rows, dropped := Keep(ok, gok)
	if len(rows) == 0 {
		return nil, &formats.ParseError{File: t.Path, Hint: "check the column names and the missing-value codes", Err: ErrNoRows,
			Reason: fmt.Sprintf("no row has both %s and %s%s", timeCol, eventCol, orGroup(group))}
	}
	by := map[string][]int{}
	for _, i := range rows {
		by[labels[i]] = append(by[labels[i]], i)
	}
	names := SortedKeys(by)
	stats.SortLevels(names)
	res := &KMResult{Group: group, Dropped: dropped}
	var allT []float64
	var allE []bool
	var allG []string
	for _, g := range names {
		var tt []float64
		var ee []bool
		for _, i := range by[g] {
			tt, ee = append(tt, tm[i]), append(ee, ev[i])
			allT, allE, allG = append(allT, tm[i]), append(allE, ev[i]), append(allG, g)
		}
		k, err := stats.KaplanMeier(tt, ee, conf, level)
		if err != nil {
			return nil, err
		}
		res.Strata = append(res.Strata, Stratum{Name: g, KM: k})
	}
	if len(names) >= 2 {
		if res.LogRank, err = stats.LogRankTest(allT, allE, allG, nil); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func orGroup(g string) string {
	if g == "" {
		return ""
	}
	return " and " + g
}

// LogRankResult is a log-rank test with its missing-row count.
type LogRankResult struct {
	*stats.LogRank
	Dropped int
}

// LogRank compares survival between the levels of group, optionally
// stratified by another column.
func (t *Table) LogRank(timeCol, eventCol, group, strata string) (*LogRankResult, error) {
	tm, ev, ok, err := t.Outcome(timeCol, eventCol)
	if err != nil {
		return nil, err
	}
	g, gok, err := t.Labels(group)
	if err != nil {
		return nil, err
	}
	masks := [][]bool{ok, gok}
	var st []string
	if strata != "" {
		var sok []bool
		if st, sok, err = t.Labels(strata); err != nil {
			return nil, err
		}
		masks = append(masks, sok)
	}
	rows, dropped := Keep(masks...)
	var tt []float64
	var ee []bool
	var gg, ss []string
	for _, i := range rows {
		tt, ee, gg = append(tt, tm[i]), append(ee, ev[i]), append(gg, g[i])
		if st != nil {
			ss = append(ss, st[i])
		}
	}
	lr, err := stats.LogRankTest(tt, ee, gg, ss)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (column %s has %d level(s) among complete rows)", t.Path, err, group, len(levelsOf(gg)))
	}
	return &LogRankResult{LogRank: lr, Dropped: dropped}, nil
}

func levelsOf(g []string) map[string]bool {
	m := map[string]bool{}
	for _, v := range g {
		m[v] = true
	}
	return m
}

// CoxResult is a Cox model with its design.
type CoxResult struct {
	*stats.Cox
	Dropped int
	Levels  map[string][]string // factor covariates: reference level first
	Rows    []int               // the table rows the model used
}

// Cox fits a Cox model on the named covariates.
func (t *Table) Cox(timeCol, eventCol string, covariates []string, ref map[string]string, ties stats.Ties) (*CoxResult, error) {
	tm, ev, ok, err := t.Outcome(timeCol, eventCol)
	if err != nil {
		return nil, err
	}
	for col := range ref {
		found := false
		for _, c := range covariates {
			found = found || c == col
		}
		if !found {
			return nil, fmt.Errorf("%s: reference level given for %s, which is not among the covariates (%s): %w", t.Path, col, strings.Join(covariates, ", "), ErrNoColumn)
		}
	}
	d, err := t.Design(covariates, ref)
	if err != nil {
		return nil, err
	}
	rows, dropped := Keep(ok, d.OK)
	var tt []float64
	var ee []bool
	var xx [][]float64
	for _, i := range rows {
		tt, ee, xx = append(tt, tm[i]), append(ee, ev[i]), append(xx, d.X[i])
	}
	fit, err := stats.CoxPH(tt, ee, xx, d.Names, ties)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.Path, err)
	}
	return &CoxResult{Cox: fit, Dropped: dropped, Levels: d.Levels, Rows: rows}, nil
}
