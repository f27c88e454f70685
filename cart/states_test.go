package cart

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeCITE writes a Cell Ranger 3 folder with gene features, 3100 filler
// genes (so that UCell ranks of unexpressed genes pass maxRank 1500 and
// signatures without expressed genes score exactly 0) and the antibodies
// CD269_proteona, CD38_proteona, CD319_proteona; entries by feature name.
func writeCITE(t *testing.T, dir string, cells []string, entries map[int]map[string]int) {
	t.Helper()
	genes := []string{"CD4", "CD8A", "idecel", "PDCD1", "CTLA4", "LAG3", "HAVCR2", "CD244", "CD160", "TIGIT", "GZMK", "CXCR3",
		"LEF1", "CCR7", "TCF7", "SELL", "GZMB", "PRF1", "GZMA", "NKG7", "CCL5"}
	for i := 0; i < 3100; i++ {
		genes = append(genes, fmt.Sprintf("F%d", i))
	}
	abs := []string{"CD269_proteona", "CD38_proteona", "CD319_proteona"}
	idx := map[string]int{}
	var f strings.Builder
	for i, g := range genes {
		idx[g] = i
		f.WriteString(g + "\t" + g + "\tGene Expression\n")
	}
	for i, a := range abs {
		idx[a] = len(genes) + i
		f.WriteString(strings.Split(a, "_")[0] + "\t" + a + "\tAntibody Capture\n")
	}
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "features.tsv"), []byte(f.String()), 0o644)
	os.WriteFile(filepath.Join(dir, "barcodes.tsv"), []byte(strings.Join(cells, "\n")+"\n"), 0o644)
	var lines []string
	for c := range cells {
		for name, v := range entries[c] {
			lines = append(lines, fmt.Sprintf("%d %d %d", idx[name]+1, c+1, v))
		}
	}
	m := fmt.Sprintf("%%%%MatrixMarket matrix coordinate integer general\n%d %d %d\n%s\n", len(genes)+len(abs), len(cells), len(lines), strings.Join(lines, "\n"))
	os.WriteFile(filepath.Join(dir, "matrix.mtx"), []byte(m), 0o644)
}

// Hand-derived states and plasma-cell proteins. Pre sample: T cells c1
// (CD8, GZMK: effector memory), c2 (CD8, LEF1+TCF7: naive-like), c3 (CD4,
// GZMB+PRF1: cytotoxic CD4), c4 (CD4, LEF1: naive-like), c7 (CD8, nothing:
// unassigned); plasma cells c5 (antibodies 3, 3, 3: CLR log1p(3/4) each)
// and c6 (0, 0, 0: CLR 0), so each protein's mean is log(7/4)/2. Post
// sample: one plasma cell with 1, 1, 1: CLR log1p(1/2) = log(3/2). Two
// patients with the same files: both post-minus-pre differences are equal
// (a tie), V = 3 and R's normal approximation gives z = (3 - 1.5 - 0.5) /
// sqrt(2*3*5/24 - (2^3-2)/48), p = erfc(z/sqrt 2).
func TestStudyStatesPlasma(t *testing.T) {
	dir := t.TempDir()
	cells := []string{"AAACCTGAGATAGCAT-1", "AAACCTGAGTACGCCC-1", "AAACCTGCATAGAAAC-1", "AAACCTGGTCCGTTAA-1", "AAACTTGGTCCGTTAA-1", "AAAGATGAGAAACCAT-1", "AAAGATGAGAAACCGC-1"}
	pre, post := filepath.Join(dir, "pre"), filepath.Join(dir, "post")
	writeCITE(t, pre, cells, map[int]map[string]int{
		0: {"CD8A": 2, "GZMK": 3}, 1: {"CD8A": 1, "LEF1": 2, "TCF7": 1}, 2: {"CD4": 1, "GZMB": 2, "PRF1": 1}, 3: {"CD4": 2, "LEF1": 1},
		4: {"CD269_proteona": 3, "CD38_proteona": 3, "CD319_proteona": 3, "idecel": 1}, 6: {"CD8A": 1}})
	writeCITE(t, post, cells[:2], map[int]map[string]int{0: {"CD269_proteona": 1, "CD38_proteona": 1, "CD319_proteona": 1}, 1: {"CD8A": 1, "idecel": 2}})
	labels := "cell\tcell_type\n" + cells[0] + "\tT\n" + cells[1] + "\tT\n" + cells[2] + "\tT\n" + cells[3] + "\tT\n" + cells[4] + "\tPlasma cells\n" + cells[5] + "\tplasma cell\n" + cells[6] + "\tT\n"
	os.WriteFile(filepath.Join(dir, "pre.tsv"), []byte(labels), 0o644)
	os.WriteFile(filepath.Join(dir, "post.tsv"), []byte("barcode,cell_type\n"+cells[0]+",Plasma\n"+cells[1]+",CD8 T\n"), 0o644)
	samples := []Sample{
		{"P1pre", "P1", "pre", "CR", pre, "", filepath.Join(dir, "pre.tsv")}, {"P1post", "P1", "post", "CR", post, "", filepath.Join(dir, "post.tsv")},
		{"P2pre", "P2", "pre", "PD", pre, "", filepath.Join(dir, "pre.tsv")}, {"P2post", "P2", "post", "PD", post, "", filepath.Join(dir, "post.tsv")},
	}
	res, err := Run(samples, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]int{"TCELL_EXHAUSTION_IR": {0, 5}, "CD8_EFFECTOR_MEMORY": {1, 5}, "TCELL_NAIVE_LIKE": {2, 5}, "CD4_CYTOTOXIC": {1, 5}, Unassigned: {1, 5}}
	n := 0
	for _, s := range res.States {
		if s.Sample != "P1pre" {
			continue
		}
		switch s.TGroup {
		case "T":
			n++
			if w := want[s.State]; s.Cells != w[0] || s.Total != w[1] || s.Fraction != float64(w[0])/5 {
				t.Errorf("%+v", s)
			}
		case "CD4":
			if (s.State == "TCELL_NAIVE_LIKE" || s.State == "CD4_CYTOTOXIC") != (s.Cells == 1) || s.Total != 2 {
				t.Errorf("%+v", s)
			}
		}
	}
	if n != 5 {
		t.Errorf("%d T rows", n)
	}
	if f := res.Samples[0].StateFraction["TCELL_NAIVE_LIKE"]; f != 0.4 {
		t.Errorf("naive fraction %v", f)
	}
	for _, p := range res.Plasma {
		w, cells := math.Log(7.0/4)/2, 2
		if p.Timepoint == "post" {
			w, cells = math.Log(1.5), 1
		}
		if p.PlasmaCells != cells || math.Abs(p.MeanCLR-w) > 1e-12 || !strings.HasPrefix(p.Antibody, p.Protein+"_") {
			t.Errorf("%+v", p)
		}
	}
	if len(res.Plasma) != 12 || len(res.PlasmaTests) != 3 {
		t.Fatalf("%d plasma rows, %d tests", len(res.Plasma), len(res.PlasmaTests))
	}
	z := (3 - 1.5 - 0.5) / math.Sqrt(2*3*5/24.0-6.0/48)
	for _, pt := range res.PlasmaTests {
		if pt.Pre != "pre" || pt.Post != "post" || len(pt.Patients) != 2 || pt.V != 3 || math.Abs(pt.P-math.Erfc(z/math.Sqrt2)) > 1e-12 {
			t.Errorf("%+v", pt)
		}
	}
	// two samples per timepoint in two groups leave no residual df: noted, not tested
	if len(res.Compositions) != 0 || !strings.Contains(strings.Join(res.Notes, "\n"), "no residual degrees of freedom") {
		t.Errorf("%d compositions, notes %v", len(res.Compositions), res.Notes)
	}
}

// A plasma protein missing from the antibodies is an error naming it.
func TestStudyPlasmaMissingProtein(t *testing.T) {
	dir := t.TempDir()
	writeCITE(t, dir, []string{"AAACCTGAGATAGCAT-1"}, map[int]map[string]int{0: {"idecel": 1}})
	os.WriteFile(filepath.Join(dir, "l.tsv"), []byte("cell\tcell_type\nAAACCTGAGATAGCAT-1\tplasma\n"), 0o644)
	_, err := Run([]Sample{{"S", "P", "pre", "CR", dir, "", filepath.Join(dir, "l.tsv")}}, Options{Proteins: []string{"GPRC5D"}})
	if err == nil || !strings.Contains(err.Error(), "no antibody GPRC5D") {
		t.Errorf("%v", err)
	}
}

// Cell types without antibody capture: the proteins are not measured and
// the report says so; the run goes on.
func TestStudyPlasmaNoADT(t *testing.T) {
	dir := t.TempDir()
	writeMTX(t, dir, []string{"CD4", "idecel"}, []string{"AAACCTGAGATAGCAT-1"}, [][3]int{{0, 1, 1}})
	os.WriteFile(filepath.Join(dir, "l.tsv"), []byte("cell\tcell_type\nAAACCTGAGATAGCAT-1\tplasma\n"), 0o644)
	res, err := Run([]Sample{{"S", "P", "pre", "CR", dir, "", filepath.Join(dir, "l.tsv")}}, Options{NoStates: true})
	if err != nil || len(res.Plasma) != 0 || !strings.Contains(strings.Join(res.Notes, "\n"), "no antibody capture") {
		t.Errorf("%v %+v", err, res)
	}
}
