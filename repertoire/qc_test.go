package repertoire

import (
	"testing"

	"github.com/lsc-bio/lsc/airr"
)

// TestChainQCScirpy is scirpy's test_chain_qc (tests/test_tools.py at
// efe49e6): multichain flag and the loci of VJ_1, VDJ_1, VJ_2, VDJ_2, with
// the receptor_type and receptor_subtype scirpy expects.
func TestChainQCScirpy(t *testing.T) {
	rows := []struct {
		multi           bool
		loci            [4]string
		rtype, rsubtype string
	}{
		{false, [4]string{"", "", "", ""}, "no IR", "no IR"},
		{true, [4]string{"TRA", "TRB", "TRA", "TRB"}, "multichain", "multichain"},
		{true, [4]string{"TRA", "IGH", "", ""}, "multichain", "multichain"},
		{false, [4]string{"TRA", "TRB", "", ""}, "TCR", "TRA+TRB"},
		{false, [4]string{"TRA", "TRB", "TRA", ""}, "TCR", "TRA+TRB"},
		{false, [4]string{"TRA", "TRB", "", "TRB"}, "TCR", "TRA+TRB"},
		{false, [4]string{"TRA", "TRB", "TRA", "TRB"}, "TCR", "TRA+TRB"},
		{false, [4]string{"IGK", "IGH", "", ""}, "BCR", "IGH+IGK"},
		{false, [4]string{"IGL", "IGH", "IGL", "IGH"}, "BCR", "IGH+IGL"},
		{false, [4]string{"IGL", "IGH", "IGK", "IGH"}, "BCR", "IGH+IGK/L"},
		{false, [4]string{"IGK", "IGH", "IGL", "IGH"}, "BCR", "IGH+IGK/L"},
		{false, [4]string{"", "IGH", "", "IGH"}, "BCR", "IGH"},
		{false, [4]string{"TRA", "TRB", "TRG", "TRB"}, "TCR", "ambiguous"},
		{false, [4]string{"IGK", "TRB", "", ""}, "ambiguous", "ambiguous"},
		{false, [4]string{"TRA", "", "", ""}, "TCR", "TRA+TRB"},
		{false, [4]string{"IGL", "", "", ""}, "BCR", "IGH+IGL"},
		{false, [4]string{"", "TRD", "", ""}, "TCR", "TRG+TRD"},
	}
	ch := func(l string) *airr.Chain {
		if l == "" {
			return nil
		}
		return &airr.Chain{Locus: l, JunctionAA: "AAA"}
	}
	for i, r := range rows {
		c := Cell{Multichain: r.multi, VJ: [2]*airr.Chain{ch(r.loci[0]), ch(r.loci[2])}, VDJ: [2]*airr.Chain{ch(r.loci[1]), ch(r.loci[3])}}
		classify(&c)
		if c.ReceptorType != r.rtype || c.ReceptorSubtype != r.rsubtype {
			t.Errorf("row %d %v: %s/%s, scirpy %s/%s", i, r.loci, c.ReceptorType, c.ReceptorSubtype, r.rtype, r.rsubtype)
		}
	}
}

// TestChainPairing follows scirpy's chain_pairing rules (tl/_chain_qc.py
// docstring) case by case.
func TestChainPairing(t *testing.T) {
	tra, trb := &airr.Chain{Locus: "TRA"}, &airr.Chain{Locus: "TRB"}
	cases := []struct {
		vj, vdj [2]*airr.Chain
		multi   bool
		want    string
	}{
		{[2]*airr.Chain{}, [2]*airr.Chain{}, false, "no IR"},
		{[2]*airr.Chain{tra}, [2]*airr.Chain{}, false, "orphan VJ"},
		{[2]*airr.Chain{tra, tra}, [2]*airr.Chain{}, false, "orphan VJ"},
		{[2]*airr.Chain{}, [2]*airr.Chain{trb, trb}, false, "orphan VDJ"},
		{[2]*airr.Chain{tra}, [2]*airr.Chain{trb}, false, "single pair"},
		{[2]*airr.Chain{tra, tra}, [2]*airr.Chain{trb}, false, "extra VJ"},
		{[2]*airr.Chain{tra}, [2]*airr.Chain{trb, trb}, false, "extra VDJ"},
		{[2]*airr.Chain{tra, tra}, [2]*airr.Chain{trb, trb}, false, "two full chains"},
		{[2]*airr.Chain{tra, tra}, [2]*airr.Chain{trb, trb}, true, "multichain"},
		{[2]*airr.Chain{{Locus: "TRG"}}, [2]*airr.Chain{trb}, false, "ambiguous"},
	}
	for i, c := range cases {
		cell := Cell{VJ: c.vj, VDJ: c.vdj, Multichain: c.multi}
		classify(&cell)
		if cell.ChainPairing != c.want {
			t.Errorf("case %d: %s, want %s", i, cell.ChainPairing, c.want)
		}
	}
}
