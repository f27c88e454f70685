package cart

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writeMTX writes a Cell Ranger 3 folder with the given features and
// (cell, feature, count) entries.
func writeMTX(t *testing.T, dir string, feats, cells []string, entries [][3]int) {
	t.Helper()
	os.MkdirAll(dir, 0o755)
	var f strings.Builder
	for _, x := range feats {
		f.WriteString(x + "\t" + x + "\tGene Expression\n")
	}
	os.WriteFile(filepath.Join(dir, "features.tsv"), []byte(f.String()), 0o644)
	os.WriteFile(filepath.Join(dir, "barcodes.tsv"), []byte(strings.Join(cells, "\n")+"\n"), 0o644)
	var m strings.Builder
	m.WriteString("%%MatrixMarket matrix coordinate integer general\n")
	m.WriteString(strings.Join([]string{itoa(len(feats)), itoa(len(cells)), itoa(len(entries))}, " ") + "\n")
	for _, e := range entries {
		m.WriteString(itoa(e[1]+1) + " " + itoa(e[0]+1) + " " + itoa(e[2]) + "\n")
	}
	os.WriteFile(filepath.Join(dir, "matrix.mtx"), []byte(m.String()), 0o644)
}

func itoa(i int) string { return strconv.Itoa(i) }

var barcodes = []string{"AAACCTGAGATAGCAT-1", "AAACCTGAGTACGCCC-1", "AAACCTGCATAGAAAC-1", "AAACCTGGTCCGTTAA-1", "AAACTTGGTCCGTTAA-1", "TTTTTTTTTTTTTTTT-1"}

// Synthetic CAR feature: features CD4 (0), CD8A (1), idecel (2). Hand
// calls for expr1:
//
//	cell 1: CD8A 3, idecel 2 -> CD8, CAR+     cell 2: CD4 1 -> CD4
//	cell 3: CD8A 1, idecel 1 -> CD8, CAR+     cell 4: CD4 2, CD8A 1 -> neither
//	cell 5: nothing                           cell 6: CD4 1, idecel 1 -> CD4, CAR+
//
// CAR+ 3/6; CD4 2 (1 CAR+), CD8 2 (2 CAR+). The five receptor cells of
// scirpy's filtered_contig_annotations.csv join exactly, five clonotypes:
// Shannon ln 5; CAR+ clonotypes 2 (cells 1 and 3). expr2 has idecel only in
// cell 6: CAR+ 1/6, no CAR+ clonotype.
func TestStudy(t *testing.T) {
	dir := t.TempDir()
	e1, e2 := filepath.Join(dir, "e1"), filepath.Join(dir, "e2")
	writeMTX(t, e1, []string{"CD4", "CD8A", "idecel"}, barcodes, [][3]int{{0, 1, 3}, {0, 2, 2}, {1, 0, 1}, {2, 1, 1}, {2, 2, 1}, {3, 0, 2}, {3, 1, 1}, {5, 0, 1}, {5, 2, 1}})
	writeMTX(t, e2, []string{"CD4", "CD8A", "idecel"}, barcodes, [][3]int{{0, 1, 3}, {1, 0, 1}, {5, 0, 1}, {5, 2, 1}})
	contigs := "../airr/testdata/filtered_contig_annotations.csv"
	samples := []Sample{
		{"S1", "P1", "post", "CR", e1, contigs, ""}, {"S2", "P2", "post", "CR", e1, contigs, ""},
		{"S3", "P3", "post", "nonCR", e2, contigs, ""}, {"S4", "P4", "post", "nonCR", e2, contigs, ""},
	}
	res, err := Run(samples, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Samples[0]
	if s.Cells != 6 || s.CARPos != 3 || s.CD4 != 2 || s.CD4CAR != 1 || s.CD8 != 2 || s.CD8CAR != 2 || s.Joined != 5 || s.JoinRule != "exact" ||
		s.Clonotypes != 5 || math.Abs(s.Shannon-math.Log(5)) > 1e-12 || s.CARClones != 2 || s.ExpandedShare != 0 || s.TopShare != 1 {
		t.Errorf("S1 %+v", s)
	}
	if s := res.Samples[2]; s.CARPos != 1 || s.CARClones != 0 {
		t.Errorf("S3 %+v", s)
	}
	if len(res.CARClones) != 4 || res.CARClones[0].Sample != "S1" {
		t.Errorf("CAR clones %+v", res.CARClones)
	}
	var car *Test
	for i := range res.Tests {
		if res.Tests[i].Metric == "car_fraction" {
			car = &res.Tests[i]
		}
	}
	// CR (0.5, 0.5) vs nonCR (1/6, 1/6): every CR value above -> W = 2*2 = 4
	if car == nil || car.W != 4 || car.GroupA != "CR" || car.NA != 2 || car.MedianA != 0.5 || !(car.P < 1) {
		t.Errorf("car test %+v", car)
	}
}

// Barcodes that do not match stop the run with examples of both sides.
func TestStudyJoinError(t *testing.T) {
	dir := t.TempDir()
	e := filepath.Join(dir, "e")
	writeMTX(t, e, []string{"CD4", "idecel"}, []string{"cell_1", "cell_2"}, [][3]int{{0, 1, 1}})
	_, err := Run([]Sample{{"S1", "P1", "post", "CR", e, "../airr/testdata/filtered_contig_annotations.csv", ""}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "barcodes do not match") || !strings.Contains(err.Error(), `"cell_1", "cell_2"`) {
		t.Errorf("%v", err)
	}
}

func TestCallNoFeature(t *testing.T) {
	dir := t.TempDir()
	writeMTX(t, dir, []string{"CD4"}, []string{"a"}, [][3]int{{0, 0, 1}})
	_, err := Run([]Sample{{"S1", "P1", "post", "CR", dir, "", ""}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "none of idecel, ciltacel") {
		t.Errorf("%v", err)
	}
}
