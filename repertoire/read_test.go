package repertoire

import (
	"os"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/airr"
)

func readCells(t *testing.T, path string) map[string]*Cell {
	t.Helper()
	_, chains, err := airr.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cells := Index(chains, IndexOptions{})
	m := map[string]*Cell{}
	for i := range cells {
		m[cells[i].ID] = &cells[i]
	}
	return m
}

func locus(c *airr.Chain) string {
	if c == nil {
		return ""
	}
	return c.Locus
}

// Expectations of scirpy's test_read_10x_csv (tests/test_io.py, efe49e6).
func TestScirpy10xCSV(t *testing.T) {
	m := readCells(t, "../airr/testdata/filtered_contig_annotations.csv")
	if len(m) != 5 {
		t.Fatalf("%d cells, scirpy 5", len(m))
	}
	c := m["AAACCTGAGTACGCCC-1"]
	v := c.VDJ[0]
	if v.SequenceID != "AAACCTGAGTACGCCC-1_contig_1" || v.JunctionAA != "CASSLGPSTDTQYF" ||
		v.Junction != "TGTGCCAGCAGCTTGGGACCTAGCACAGATACGCAGTATTTT" || v.UMICount != 55 || v.ConsensusCount != 18021 ||
		v.VCall != "TRBV7-2" || v.DCall != "TRBD2" || v.JCall != "TRBJ2-3" || v.CCall != "TRBC2" {
		t.Errorf("cell1 VDJ_1 %+v", *v)
	}
	if locus(c.VJ[0]) != "TRA" || locus(c.VDJ[0]) != "TRB" {
		t.Errorf("cell1 loci %s %s", locus(c.VJ[0]), locus(c.VDJ[0]))
	}
	if m["AAACCTGAGATAGCAT-1"].Multichain {
		t.Error("first cell multichain; scirpy False")
	}
	c = m["AAACCTGGTCCGTTAA-1"]
	if c.VJ[0].SequenceID != "AAACCTGGTCCGTTAA-1_contig_4" || c.VJ[0].JunctionAA != "CALNTGGFKTIF" ||
		c.VJ[1].JunctionAA != "CAVILDARLMF" || c.VJ[0].UMICount != 5 || c.VJ[1].UMICount != 5 ||
		locus(c.VJ[1]) != "TRA" || locus(c.VDJ[0]) != "TRB" || c.VDJ[1] != nil {
		t.Errorf("cell2 %+v %+v", c.VJ, c.VDJ)
	}
	c = m["AAACTTGGTCCGTTAA-1"]
	if locus(c.VJ[0]) != "IGK" || locus(c.VDJ[0]) != "IGH" {
		t.Errorf("cell3 loci %s %s", locus(c.VJ[0]), locus(c.VDJ[0]))
	}
}

// scirpy's test_read_10x (all_contig_annotations.json).
func TestScirpy10xJSON(t *testing.T) {
	m := readCells(t, "../airr/testdata/all_contig_annotations.json")
	if _, ok := m["AAACCTGAGACCTTTG-1"]; ok {
		t.Error("is_cell=false cell kept")
	}
	if len(m) != 3 {
		t.Fatalf("%d cells, scirpy 3", len(m))
	}
	c := m["AAACCTGAGACCTTTG-2"]
	v := c.VDJ[0]
	if v.JunctionAA != "CASSPPSQGLSTGELFF" || v.Junction != "TGTGCCAGCTCACCACCGAGCCAGGGCCTTTCTACCGGGGAGCTGTTTTTT" ||
		v.UMICount != 1 || v.ConsensusCount != 494 || v.VCall != "TRBV18" || v.DCall != "TRBD1" || v.JCall != "TRBJ2-2" || v.CCall != "TRBC2" {
		t.Errorf("cell1 VDJ_1 %+v", *v)
	}
	if c.Multichain || c.VJ[0] != nil || c.VDJ[1] != nil {
		t.Errorf("cell1 %+v", c)
	}
	c = m["AAACCTGAGTACGCCC-1"]
	if c.VJ[0].JunctionAA != "CAMRVGGSQGNLIF" || c.VJ[1].JunctionAA != "CATDAKDSNYQLIW" || c.VJ[0].UMICount != 9 || c.VJ[1].UMICount != 4 || c.VDJ[0] != nil {
		t.Errorf("cell2 %+v", c)
	}
	c = m["CAGGTGCTCGTGGTCG-1"]
	if locus(c.VJ[0]) != "IGK" || c.VJ[1] != nil || locus(c.VDJ[0]) != "IGH" || c.VDJ[1] != nil {
		t.Errorf("cell3 %+v", c)
	}
}

// scirpy's test_read_airr: the three files read one by one; loci inferred
// from the gene calls for rearrangement_ig.tsv (no locus column).
func TestScirpyAIRR(t *testing.T) {
	all := map[string]*Cell{}
	var chains []airr.Chain
	for _, f := range []string{"rearrangement_tra.tsv", "rearrangement_trb.tsv", "rearrangement_ig.tsv"} {
		_, ch, err := airr.ReadFile("../airr/testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		chains = append(chains, ch...)
	}
	cells := Index(chains, IndexOptions{})
	for i := range cells {
		all[cells[i].ID] = &cells[i]
	}
	if len(all) != 5 {
		t.Fatalf("%d cells, scirpy 5", len(all))
	}
	c := all["cell1"]
	if c.VJ[0].JunctionAA != "CTRPKWESPMVDAFDIW" || c.VDJ[1].JunctionAA != "CQQYDNLQITF" || c.VDJ[0].JunctionAA != "CQQYYHTPYSF" ||
		locus(c.VJ[0]) != "TRA" || locus(c.VDJ[0]) != "TRB" {
		t.Errorf("cell1 %+v %+v", c.VJ, c.VDJ)
	}
	c = all["AAACCTGCAGCGTAAG-1"]
	if locus(c.VJ[0]) != "IGL" || locus(c.VDJ[0]) != "IGH" {
		t.Errorf("cell3 loci %s %s", locus(c.VJ[0]), locus(c.VDJ[0]))
	}
	// test_read_airr_issue280
	m := readCells(t, "../airr/testdata/tra_issue_280.tsv")
	for _, c := range m {
		if c.VDJ[0].JunctionAA != "CASSLGGESQNTLYF" || c.VJ[0].JunctionAA != "CAARGNRIFF" {
			t.Errorf("issue 280: %s %s", c.VDJ[0].JunctionAA, c.VJ[0].JunctionAA)
		}
		break
	}
}

// scirpy's test_read_bracer (Change-O .tab).
func TestScirpyBraCeR(t *testing.T) {
	m := readCells(t, "../airr/testdata/changeodb.tab")
	if len(m) != 6 {
		t.Fatalf("%d cells, scirpy 6", len(m))
	}
	c := m["SRR10779208"]
	if locus(c.VJ[0]) != "IGK" || locus(c.VDJ[0]) != "IGH" || c.VDJ[0].JCall != "IGHJ4" ||
		c.VDJ[0].Junction != "TGTGCGACGATGACGGGGGGTGACCTTGACTACTGG" || c.VDJ[0].JunctionAA != "CATMTGGDLDYW" {
		t.Errorf("SRR10779208 %+v", *c.VDJ[0])
	}
	c = m["SRR10788834"]
	if c.VDJ[0].JunctionAA != "CARDHIVVLEPTPKRYGMDVW" || c.VDJ[0].Junction != "TGTGCGAGAGATCATATTGTAGTCTTGGAACCTACCCCTAAGAGATACGGTATGGACGTCTGG" {
		t.Errorf("SRR10788834 %+v", *c.VDJ[0])
	}
}

// scirpy's test_read_bd_per_cell_chain and test_read_bd_contigs.
func TestScirpyBD(t *testing.T) {
	m := readCells(t, "../airr/testdata/test_per_cell_chain.csv")
	if len(m) != 6 {
		t.Fatalf("%d cells, scirpy 6", len(m))
	}
	c := m["1"].VJ[0]
	if c.Locus != "TRA" || c.UMICount != 1 || c.ConsensusCount != 72 || c.Junction != "GCTGCCCCAGAATTTTGTC" || c.JunctionAA != "AAGQNFV" ||
		c.VCall != "TRAV38*01" || c.DCall != "" || c.JCall != "TRAJ2*01" || c.CCall != "TRAC" {
		t.Errorf("cell 1 %+v", *c)
	}
	if m["25"].HasIR() {
		t.Error("cell 25 has no productive chains in scirpy")
	}
	if locus(m["39"].VJ[0]) != "TRG" || locus(m["39"].VDJ[0]) != "TRD" {
		t.Error("cell 39 loci")
	}
	c85 := m["85"]
	if locus(c85.VJ[0]) != "TRA" || c85.VJ[0].ConsensusCount != 418 || locus(c85.VJ[1]) != "TRA" || c85.VJ[1].ConsensusCount != 1 {
		t.Errorf("cell 85 %+v %+v", c85.VJ[0], c85.VJ[1])
	}
	m = readCells(t, "../airr/testdata/test_unfiltered_contigs.csv")
	if len(m) != 5 {
		t.Fatalf("%d cells, scirpy 5", len(m))
	}
	if c := m["10681"].VJ[0]; c.Locus != "IGK" || c.UMICount != 2 {
		t.Errorf("cell 10681 %+v", *c)
	}
}

// scirpy's test_read_10x_cr6: the Cell Ranger 6 CSV and JSON of the same
// contigs give 2 cells; cell AAACCTGCACAGGTTT-1 has VDJ_1 cdr3
// ASSWMDRGEAF and VJ_1 cdr3 ALYKVTGNQFY (scirpy's cdr3 = the junction less
// its first and last residue).
func TestScirpyCR6(t *testing.T) {
	for _, p := range []string{"../airr/testdata/10k_BMMNC_5pv2_nextgem_Multiplex_vdj_t_all_contig_annotations_small.csv",
		"../../shared/testdata/vdj/scirpy/10x/10k_BMMNC_5pv2_nextgem_Multiplex_vdj_t_all_contig_annotations_small.json"} {
		if strings.Contains(p, "shared") {
			if _, err := os.Stat(p); err != nil {
				continue
			}
		}
		m := readCells(t, p)
		c, ok := m["AAACCTGCACAGGTTT-1"]
		if len(m) != 2 || !ok {
			t.Fatalf("%s: %d cells", p, len(m))
		}
		inner := func(s string) string {
			if len(s) < 2 {
				return s
			}
			return s[1 : len(s)-1]
		}
		if inner(c.VDJ[0].JunctionAA) != "ASSWMDRGEAF" || inner(c.VJ[0].JunctionAA) != "ALYKVTGNQFY" {
			t.Errorf("%s: %s %s", p, c.VDJ[0].JunctionAA, c.VJ[0].JunctionAA)
		}
	}
}

// scirpy's test_airr_df (regression test for its issue #348): the data
// frame of that test as an AIRR TSV (testdata/scirpy_issue348.tsv, the
// fields the test sets, sequences left empty). Non-productive chains with
// more UMIs must not be indexed: receptor_subtype IGH+IGL, IGH, IGH;
// chain_pairing single pair, orphan VDJ, orphan VDJ; VJ_1 locus IGL, -, -.
func TestScirpyAIRRDataFrame(t *testing.T) {
	_, chains, err := airr.ReadFile("testdata/scirpy_issue348.tsv")
	if err != nil {
		t.Fatal(err)
	}
	cells := Index(chains, IndexOptions{})
	want := [][3]string{{"IGH+IGL", "single pair", "IGL"}, {"IGH", "orphan VDJ", ""}, {"IGH", "orphan VDJ", ""}}
	if len(cells) != 3 {
		t.Fatalf("%d cells", len(cells))
	}
	for i, c := range cells {
		got := [3]string{c.ReceptorSubtype, c.ChainPairing, locus(c.VJ[0])}
		if got != want[i] || locus(c.VDJ[0]) != "IGH" {
			t.Errorf("%s: %v, scirpy %v", c.ID, got, want[i])
		}
	}
}
