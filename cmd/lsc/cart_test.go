package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lsc cart on a synthetic study (two CR and two non-CR samples sharing
// scirpy's contig file, CAR feature "idecel"); the hand-derived calls are
// those of cart.TestStudy: S1 CAR+ 3/6, five clonotypes joined exactly.
func TestCartCmd(t *testing.T) {
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
		"S1\tP1\tpost\tCR\te1\t" + contigs + "\nS2\tP2\tpost\tCR\te1\t" + contigs + "\n" +
		"S3\tP3\tpost\tnonCR\te2\t" + contigs + "\nS4\tP4\tpost\tnonCR\te2\t" + contigs + "\n"
	os.WriteFile(filepath.Join(dir, "study.tsv"), []byte(sheet), 0o644)
	out := filepath.Join(dir, "out")
	code, _, errs := runLSC(t, "cart", "--samples", filepath.Join(dir, "study.tsv"), "--out", out, "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, _ := os.ReadFile(filepath.Join(out, "samples.tsv"))
	if !strings.Contains(string(b), "\nS1\tP1\tpost\tCR\t6\t3\t0.5\t") || !strings.Contains(string(b), "\t2\t1\t2\t2\t5\t5\texact\t5\t1.6094379124341003\t") {
		t.Errorf("samples.tsv:\n%s", b)
	}
	b, _ = os.ReadFile(filepath.Join(out, "tests.tsv"))
	if !strings.Contains(string(b), "post\tcar_fraction\tCR\tnonCR\t2\t2\t0.5\t0.16666666666666666\t4\t") {
		t.Errorf("tests.tsv:\n%s", b)
	}
	for _, f := range cartOutputs {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	if code, _, _ := runLSC(t, "cart", "--samples", filepath.Join(dir, "study.tsv"), "--out", out); code != 2 {
		t.Errorf("overwrite: exit %d", code)
	}
	if code, _, errs := runLSC(t, "cart", "--samples", filepath.Join(dir, "study.tsv"), "--out", out, "--force", "--transform", "probit"); code != 2 || !strings.Contains(errs, "--transform") {
		t.Errorf("transform: exit %d %s", code, errs)
	}
	// the three genes of this matrix cannot score the state signatures: a note, not an error
	code, _, errs = runLSC(t, "cart", "--samples", filepath.Join(dir, "study.tsv"), "--out", out, "--force")
	if code != 0 || !strings.Contains(errs, "T-cell states not scored") {
		t.Errorf("states note: exit %d %s", code, errs)
	}
}
