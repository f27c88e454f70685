package twin

import (
	"math"
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
