package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sameDirs fails unless every file of a and b has the same bytes.
func sameDirs(t *testing.T, a, b string, files []string) {
	t.Helper()
	for _, f := range files {
		x, errA := os.ReadFile(filepath.Join(a, f))
		y, errB := os.ReadFile(filepath.Join(b, f))
		if errA != nil || errB != nil {
			t.Fatalf("%s: %v %v", f, errA, errB)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between --jobs 1 and --jobs 4", f)
		}
	}
}

// lsc repertoire clonotypes writes the same bytes whatever --jobs: six
// samples from six files in several formats, rarefied with one seed.
func TestRepertoireJobsSameBytes(t *testing.T) {
	dir := t.TempDir()
	abs, _ := filepath.Abs("../../airr/testdata")
	sheet := "sample\tpath\n"
	for i, f := range []string{"filtered_contig_annotations.csv", "all_contig_annotations.json", "rearrangement_tra.tsv",
		"rearrangement_trb.tsv", "rearrangement_ig.tsv", "10k_BMMNC_5pv2_nextgem_Multiplex_vdj_t_all_contig_annotations_small.csv"} {
		sheet += string(rune('A'+i)) + "\t" + abs + "/" + f + "\n"
	}
	os.WriteFile(filepath.Join(dir, "s.tsv"), []byte(sheet), 0o644)
	for _, j := range []string{"1", "4"} {
		if code, _, errs := runLSC(t, "repertoire", "clonotypes", "--samples", filepath.Join(dir, "s.tsv"), "--jobs", j, "--all-contigs", "--out", filepath.Join(dir, "j"+j), "-q"); code != 0 {
			t.Fatal(errs)
		}
	}
	sameDirs(t, filepath.Join(dir, "j1"), filepath.Join(dir, "j4"), repOutputs)
	b, _ := os.ReadFile(filepath.Join(dir, "j4", "diversity.tsv"))
	if n := strings.Count(string(b), "\n"); n < 5 {
		t.Errorf("diversity.tsv has %d lines, want a row per sample:\n%s", n, b)
	}
	if code, _, _ := runLSC(t, "repertoire", "clonotypes", "--samples", filepath.Join(dir, "s.tsv"), "--jobs", "0", "--out", filepath.Join(dir, "j0")); code != 2 {
		t.Errorf("--jobs 0: exit %d, want 2", code)
	}
}

// lsc cart writes the same bytes whatever --jobs.
func TestCartJobsSameBytes(t *testing.T) {
	dir := t.TempDir()
	bc := []string{"AAACCTGAGATAGCAT-1", "AAACCTGAGTACGCCC-1", "AAACCTGCATAGAAAC-1", "AAACCTGGTCCGTTAA-1", "AAACTTGGTCCGTTAA-1", "TTTTTTTTTTTTTTTT-1"}
	mk := func(name, mtx string) {
		d := filepath.Join(dir, name)
		os.MkdirAll(d, 0o755)
		os.WriteFile(filepath.Join(d, "features.tsv"), []byte("CD4\tCD4\tGene Expression\nCD8A\tCD8A\tGene Expression\nidecel\tidecel\tGene Expression\n"), 0o644)
		os.WriteFile(filepath.Join(d, "barcodes.tsv"), []byte(strings.Join(bc, "\n")+"\n"), 0o644)
		os.WriteFile(filepath.Join(d, "matrix.mtx"), []byte(mtx), 0o644)
	}
	mk("e1", "%%MatrixMarket matrix coordinate integer general\n3 6 9\n2 1 3\n3 1 2\n1 2 1\n2 3 1\n3 3 1\n1 4 2\n2 4 1\n1 6 1\n3 6 1\n")
	mk("e2", "%%MatrixMarket matrix coordinate integer general\n3 6 4\n2 1 3\n1 2 1\n1 6 1\n3 6 1\n")
	contigs, _ := filepath.Abs("../../airr/testdata/filtered_contig_annotations.csv")
	sheet := "sample\tpatient\ttimepoint\tgroup\texpression\tcontigs\n" +
		"S1\tP1\tpre\tCR\te1\t" + contigs + "\nS2\tP1\tpost\tCR\te2\t" + contigs + "\n" +
		"S3\tP2\tpre\tnonCR\te2\t" + contigs + "\nS4\tP2\tpost\tnonCR\te1\t" + contigs + "\n" +
		"S5\tP3\tpost\tCR\te1\t" + contigs + "\nS6\tP4\tpost\tnonCR\te2\t" + contigs + "\n"
	os.WriteFile(filepath.Join(dir, "study.tsv"), []byte(sheet), 0o644)
	for _, j := range []string{"1", "4"} {
		if code, _, errs := runLSC(t, "cart", "--samples", filepath.Join(dir, "study.tsv"), "--jobs", j, "--out", filepath.Join(dir, "j"+j), "-q"); code != 0 {
			t.Fatalf("--jobs %s: exit %d: %s", j, code, errs)
		}
	}
	sameDirs(t, filepath.Join(dir, "j1"), filepath.Join(dir, "j4"), cartOutputs)
}
