package twin

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/lsc-bio/lsc/stats"
)

// ResponseTest relates one kinetic measure to response across patients:
// responders vs non-responders by the Mann-Whitney test (R's wilcox.test)
// and the ROC AUC with its DeLong 95% interval (pROC), both from package
// stats.
type ResponseTest struct {
	Measure                 string // "Cmax" or "AUC0-28"
	Responders, NonResp     int
	MannWhitneyP            float64
	AUC, AUCLower, AUCUpper float64
}

// Responder reads a response label: CR, PR, sCR, VGPR, responder, yes, 1
// and true respond; anything else given does not; empty is unknown.
func Responder(s string) (resp, known bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return false, false
	case "cr", "scr", "pr", "vgpr", "cri", "responder", "response", "yes", "1", "true":
		return true, true
	}
	return false, true
}

// RelateResponse tests Cmax and AUC0-28 against response; patients without
// a response or the measure are left out. Nil when either group is empty.
func (r *CARTResult) RelateResponse() []ResponseTest {
	var out []ResponseTest
	for _, m := range []string{"Cmax", "AUC0-28"} {
		var xr, xn, score []float64
		var isCase []bool
		for _, p := range r.Patients {
			resp, known := Responder(p.Response)
			v := p.NCA.Cmax
			if m == "AUC0-28" {
				v = p.NCA.AUC28
			}
			if !known || math.IsNaN(v) {
				continue
			}
			if resp {
				xr = append(xr, v)
			} else {
				xn = append(xn, v)
			}
			score, isCase = append(score, v), append(isCase, resp)
		}
		if len(xr) == 0 || len(xn) == 0 {
			continue
		}
		t := ResponseTest{Measure: m, Responders: len(xr), NonResp: len(xn), MannWhitneyP: math.NaN(), AUC: math.NaN(), AUCLower: math.NaN(), AUCUpper: math.NaN()}
		if mw, err := stats.MannWhitneyTest(xr, xn); err == nil {
			t.MannWhitneyP = mw.P
		}
		if roc, err := stats.ROCCurve(score, isCase, 0.95); err == nil {
			t.AUC, t.AUCLower, t.AUCUpper = roc.AUC, roc.CI.Lower, roc.CI.Upper
		}
		out = append(out, t)
	}
	return out
}

// SurvivalSplit is a log-rank comparison of patients above vs at or below
// the median of one kinetic measure (R: survdiff(Surv(time, event) ~
// (x > median(x)))).
type SurvivalSplit struct {
	Measure               string
	Median                float64 // R's median: the mean of the two middle values for even n
	NHigh, NLow           int
	EventsHigh, EventsLow float64
	ExpectedHigh          float64 // expected events above the median under no difference
	ExpectedLow           float64
	Chisq, P              float64
}

// MedianSplitLogRank splits patients at the median of marker ("high" when
// above it, "low" otherwise: ties at the median go low, as x > median(x)
// does in R) and compares their time to event by the log-rank test of
// package stats (equal to R survival's survdiff, rho = 0).
func MedianSplitLogRank(measure string, marker, time []float64, event []bool) (*SurvivalSplit, error) {
	if len(marker) != len(time) || len(time) != len(event) {
		return nil, fmt.Errorf("twin: %s: %d markers, %d times, %d events", measure, len(marker), len(time), len(event))
	}
	s := append([]float64(nil), marker...)
	sort.Float64s(s)
	n := len(s)
	if n < 2 {
		return nil, fmt.Errorf("twin: %s: %d patient(s) with a time to event: a median split needs at least 2", measure, n)
	}
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	g := make([]string, n)
	for i, v := range marker {
		g[i] = "high"
		if !(v > med) {
			g[i] = "low"
		}
	}
	lr, err := stats.LogRankTest(time, event, g, nil)
	if err != nil {
		return nil, fmt.Errorf("twin: %s split at its median %g: %w", measure, med, err)
	}
	out := &SurvivalSplit{Measure: measure, Median: med, Chisq: lr.Chisq, P: lr.P}
	for i, name := range lr.Groups {
		switch name {
		case "high":
			out.NHigh, out.EventsHigh, out.ExpectedHigh = lr.N[i], lr.Observed[i], lr.Expected[i]
		case "low":
			out.NLow, out.EventsLow, out.ExpectedLow = lr.N[i], lr.Observed[i], lr.Expected[i]
		}
	}
	return out, nil
}

// CARTOutcome is one patient's time to event (from infusion).
type CARTOutcome struct {
	Time  float64
	Event bool
}

// RelateSurvival splits the patients with an outcome at the median of
// Cmax and of AUC0-28 and compares them by the log-rank test. Patients
// without an outcome or the measure are left out; a measure with fewer than
// 2 such patients or one group only gives no row.
func (r *CARTResult) RelateSurvival(outcomes map[string]CARTOutcome) []SurvivalSplit {
	var out []SurvivalSplit
	for _, m := range []string{"Cmax", "AUC0-28"} {
		var x, tm []float64
		var ev []bool
		for _, p := range r.Patients {
			o, ok := outcomes[p.ID]
			v := p.NCA.Cmax
			if m == "AUC0-28" {
				v = p.NCA.AUC28
			}
			if !ok || math.IsNaN(v) {
				continue
			}
			x, tm, ev = append(x, v), append(tm, o.Time), append(ev, o.Event)
		}
		if s, err := MedianSplitLogRank(m, x, tm, ev); err == nil {
			out = append(out, *s)
		}
	}
	return out
}
