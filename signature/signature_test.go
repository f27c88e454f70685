package signature

import (
	"strings"
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

// The T-cell state sets are the "signature" column of the scGate models
// (scGate_models human/CD8_TIL/master_table.tsv rows Exhausted, CD8_TEX,
// CD8_TPEX, CD8_N, CD8_EM, CD8_TEMRA; human/CD4_TIL/master_table.tsv row
// CTL; read in fraunhofer-izi/Rade_Grieb_et_al_2023 commit a46d1be) and
// the inhibitory receptors of issue 15, in that order.
func TestTCellStates(t *testing.T) {
	want := map[string]string{
		"TCELL_EXHAUSTION_IR": "PDCD1 CTLA4 LAG3 HAVCR2 CD244 CD160 TIGIT",
		"CD8_EXHAUSTED":       "TOX PDCD1 LAG3 TIGIT",
		"CD8_TEX":             "HAVCR2 LAYN CXCL13 GZMB",
		"CD8_TPEX":            "XCL1 CD200 TCF7 CRTAM",
		"TCELL_NAIVE_LIKE":    "LEF1 CCR7 TCF7 SELL",
		"CD8_EFFECTOR_MEMORY": "GZMK CXCR3",
		"CD8_TEMRA":           "FCGR3A CX3CR1 FGFBP2",
		"CD4_CYTOTOXIC":       "GZMB PRF1 GZMA NKG7 CCL5",
	}
	for name, genes := range want {
		s, ok := Lookup(name)
		if !ok || strings.Join(s.Up, " ") != genes || s.DOI == "" || s.Source == "" {
			t.Errorf("%s: %+v", name, s)
		}
	}
	for _, n := range TCellStates {
		if _, ok := Lookup(n); !ok {
			t.Errorf("default state %s is not built in", n)
		}
	}
}
