package signature

import (
	"testing"

	"github.com/lsc-bio/lsc/matrix"
)

// LSC17 as published (Ng 2016): 17 genes; coefficients sum checked by hand
// from the published list: positives 0.0874+0.00865+0.00582+0.0258+0.0284+
// 0.0196+0.0271+0.0146+0.0465+0.0338+0.0501 = 0.34777, negatives
// -0.0347-0.0138-0.0704-0.0258-0.0226-0.0402 = -0.2075.
func TestLSC17(t *testing.T) {
	s, ok := Lookup("lsc17")
	if !ok || len(s.Up) != 17 || !s.Weighted() {
		t.Fatalf("LSC17: %+v", s)
	}
	var pos, neg float64
	for _, w := range s.Weights {
		if w > 0 {
			pos += w
		} else {
			neg += w
		}
	}
	if d := pos - 0.34777; d > 1e-12 || d < -1e-12 {
		t.Fatalf("positive weights sum %v", pos)
	}
	if d := neg + 0.2075; d > 1e-12 || d < -1e-12 {
		t.Fatalf("negative weights sum %v", neg)
	}
}

// Aliases: a matrix with current symbols resolves the published ones.
func TestAliases(t *testing.T) {
	fs := []matrix.Feature{{ID: "ENSG00000205336.13", Name: "ADGRG1"}, {ID: "x", Name: "FAM30A"}, {ID: "y", Name: "BEX3"}, {ID: "z", Name: "SMIM24"}}
	ix := NewIndex(fs)
	for _, g := range []string{"GPR56", "KIAA0125", "NGFRAP1", "SMIM24", "ENSG00000205336"} {
		if _, _, ok := ix.Find(g); !ok {
			t.Errorf("%s not resolved", g)
		}
	}
}

// The Excel-mangled symbols of the Zeng 2022 GMT are repaired.
func TestNoExcelDates(t *testing.T) {
	for _, s := range Builtin() {
		for _, g := range append(append([]string{}, s.Up...), s.Down...) {
			if len(g) == 6 && g[2] == '-' && (g[3:] == "Mar" || g[3:] == "Sep" || g[3:] == "Dec") {
				t.Errorf("%s: %s", s.Name, g)
			}
		}
	}
	if s, _ := Lookup("LSPC-Primed"); len(s.Up) != 100 {
		t.Fatalf("LSPC-Primed has %d genes", len(s.Up))
	}
}
