package twin

import (
	"math"
	"testing"
)

// Three responders with Cmax 30, 40, 50 and two non-responders with 10
// and 20: every responder is above every non-responder, so the AUC is 1
// and the exact two-sided Wilcoxon p is 2/choose(5,2) = 0.2 (by hand).
func TestRelateResponse(t *testing.T) {
	mk := func(id, resp string, cmax float64) CARTPatientFit {
		return CARTPatientFit{CARTPatient: CARTPatient{ID: id, Response: resp}, NCA: NCA{Cmax: cmax, AUC28: math.NaN()}}
	}
	r := &CARTResult{Patients: []CARTPatientFit{mk("a", "CR", 30), mk("b", "PR", 40), mk("c", "CR", 50), mk("d", "PD", 10), mk("e", "SD", 20), mk("f", "", 99)}}
	tests := r.RelateResponse()
	if len(tests) != 1 || tests[0].Measure != "Cmax" {
		t.Fatalf("%+v", tests)
	}
	if x := tests[0]; x.Responders != 3 || x.NonResp != 2 || math.Abs(x.MannWhitneyP-0.2) > 1e-12 || x.AUC != 1 {
		t.Errorf("%+v", x)
	}
}
