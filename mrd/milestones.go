package mrd

import (
	"fmt"
	"math"
	"time"
)

// Milestone is one ELN 2020 response assessment.
type Milestone struct {
	Name         string // "3 months", "6 months", "12 months", "latest"
	Due          time.Time
	SampleDate   time.Time // zero when no sample was usable
	ISPercent    float64   // NaN when none; for undetectable samples the sensitivity
	Undetectable bool
	Status       string // optimal, warning, failure, not assessable
	Rule         string
}

// milestone thresholds: optimal <= opt; failure > fail (warning between).
type mileRule struct {
	months    int
	opt, fail float64
}

// ELN 2020 Table 5 milestones, % IS.
var eln2020 = []mileRule{{3, 10, math.Inf(1)}, {6, 1, 10}, {12, 0.1, 1}}

// milestones assesses the 3, 6 and 12 months milestones and the latest
// sample; blood holds the blood IS samples in date order.
func (a *Assessment) milestones(start time.Time, blood []Sample, rec *Patient, pr *PatientResult) []Milestone {
	out := make([]Milestone, 0, len(eln2020)+1)
	for _, mr := range eln2020 {
		out = append(out, a.milestone(start, mr, blood))
	}
	return append(out, latest(start, blood, rec, pr))
}

// nearest returns the index of the sample nearest to due within win, or -1.
func nearest(blood []Sample, due time.Time, win time.Duration) int {
	best := -1
	for i, s := range blood {
		d := absDur(s.Date.Sub(due))
		if d <= win && (best < 0 || d < absDur(blood[best].Date.Sub(due))) {
			best = i
		}
	}
	return best
}

func (a *Assessment) milestone(start time.Time, mr mileRule, blood []Sample) Milestone {
	due := start.AddDate(0, mr.months, 0)
	m := Milestone{Name: fmt.Sprintf("%d months", mr.months), Due: due, ISPercent: math.NaN()}
	best := nearest(blood, due, time.Duration(a.Params.WindowDays)*24*time.Hour)
	if best < 0 {
		m.Status = "not assessable"
		m.Rule = fmt.Sprintf("no blood BCR::ABL1 IS sample within %d days of %s", a.Params.WindowDays, due.Format(dateLayout))
		return m
	}
	s := blood[best]
	m.SampleDate, m.ISPercent, m.Undetectable = s.Date, s.ISPercent, !s.Detectable
	at := fmt.Sprintf("sample of %s", s.Date.Format(dateLayout))
	if !s.Detectable {
		m.ISPercent = s.Limit
		if atMost(s.Limit, mr.opt) {
			m.Status = "optimal"
			m.Rule = fmt.Sprintf("%s undetectable with sensitivity %s%% <= %s%% (ELN 2020 Table 5, %d months)", at, fmtPct(s.Limit), fmtPct(mr.opt), mr.months)
		} else {
			m.Status = "not assessable"
			m.Rule = fmt.Sprintf("%s undetectable but its sensitivity %s%% is above the %s%% optimal level", at, fmtPct(s.Limit), fmtPct(mr.opt))
		}
		return m
	}
	v := s.ISPercent
	switch {
	case atMost(v, mr.opt):
		m.Status = "optimal"
		m.Rule = fmt.Sprintf("%s IS %s%% <= %s%% (ELN 2020 Table 5, %d months)", at, fmtPct(v), fmtPct(mr.opt), mr.months)
	case mr.months == 3:
		m.Status, m.Rule = threeMonths(at, s, blood)
	case atMost(v, mr.fail):
		m.Status = "warning"
		m.Rule = fmt.Sprintf("%s IS %s%% in (%s%%, %s%%] (ELN 2020 Table 5, %d months)", at, fmtPct(v), fmtPct(mr.opt), fmtPct(mr.fail), mr.months)
	default:
		m.Status = "failure"
		m.Rule = fmt.Sprintf("%s IS %s%% > %s%% (ELN 2020 Table 5, %d months)", at, fmtPct(v), fmtPct(mr.fail), mr.months)
	}
	return m
}

// threeMonths: > 10 % at 3 months is a warning, failure only when > 10 %
// is confirmed within 1-3 months.
func threeMonths(at string, s Sample, blood []Sample) (status, rule string) {
	v := s.ISPercent
	rule = fmt.Sprintf("%s IS %s%% > 10%% (ELN 2020 Table 5, 3 months: warning; failure if confirmed within 1-3 months)", at, fmtPct(v))
	from, to := s.Date.AddDate(0, 1, 0), s.Date.AddDate(0, 3, 0)
	checked := false
	for _, c := range blood {
		if c.Date.Before(from) || c.Date.After(to) {
			continue
		}
		checked = true
		if c.Detectable && c.ISPercent > 10*(1+1e-9) {
			return "failure", fmt.Sprintf("%s IS %s%% > 10%% confirmed > 10%% on %s (ELN 2020 Table 5, 3 months)", at, fmtPct(v), c.Date.Format(dateLayout))
		}
	}
	if !checked {
		return "warning", rule + "; no confirmatory sample 1-3 months later"
	}
	return "warning", rule + "; not confirmed 1-3 months later"
}

// latest applies the "any time" row of Table 5 to the last blood sample
// after 12 months.
func latest(start time.Time, blood []Sample, rec *Patient, pr *PatientResult) Milestone {
	m := Milestone{Name: "latest", ISPercent: math.NaN()}
	twelve := start.AddDate(1, 0, 0)
	if len(blood) == 0 || !blood[len(blood)-1].Date.After(twelve) {
		m.Status = "not assessable"
		m.Rule = "no blood sample after 12 months: the milestones apply"
		return m
	}
	s := blood[len(blood)-1]
	m.Due, m.SampleDate, m.ISPercent, m.Undetectable = s.Date, s.Date, s.ISPercent, !s.Detectable
	at := fmt.Sprintf("latest sample %s", s.Date.Format(dateLayout))
	inTFR := false
	if l := rec.Lines[len(rec.Lines)-1]; !l.Stop.IsZero() && !s.Date.Before(l.Stop) {
		inTFR = true
	}
	switch {
	case !s.Detectable && atMost(s.Limit, MMRPercent):
		m.ISPercent = s.Limit
		m.Status = "optimal"
		m.Rule = fmt.Sprintf("%s undetectable, sensitivity %s%% <= 0.1%% (ELN 2020 Table 5, any time)", at, fmtPct(s.Limit))
	case !s.Detectable:
		m.ISPercent = s.Limit
		m.Status = "not assessable"
		m.Rule = fmt.Sprintf("%s undetectable, sensitivity %s%% above 0.1%%", at, fmtPct(s.Limit))
	case atMost(s.ISPercent, MMRPercent):
		m.Status = "optimal"
		m.Rule = fmt.Sprintf("%s IS %s%% <= 0.1%% (ELN 2020 Table 5, any time)", at, fmtPct(s.ISPercent))
	case inTFR && !pr.LossOfMMR.IsZero():
		m.Status = "failure"
		m.Rule = fmt.Sprintf("%s IS %s%%: loss of MMR after treatment-free remission (ELN 2020 Table 5 footnote)", at, fmtPct(s.ISPercent))
	case atMost(s.ISPercent, 1):
		m.Status = "warning"
		m.Rule = fmt.Sprintf("%s IS %s%% in (0.1%%, 1%%] (ELN 2020 Table 5, any time)", at, fmtPct(s.ISPercent))
		if !pr.LossOfMMR.IsZero() {
			m.Rule += "; loss of MMR"
		}
	default:
		m.Status = "failure"
		m.Rule = fmt.Sprintf("%s IS %s%% > 1%% (ELN 2020 Table 5, any time)", at, fmtPct(s.ISPercent))
	}
	return m
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
