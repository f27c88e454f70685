package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lsc repertoire clonotypes on scirpy's 10x CSV: the chain pairing of each
// cell follows from scirpy's test_read_10x_csv expectations (cell
// AAACCTGGTCCGTTAA-1 has four productive TRA chains -> multichain; the
// IGK+IGH cell is a BCR single pair).
func TestRepertoireClonotypesCmd(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := runLSC(t, "repertoire", "clonotypes", "../../airr/testdata/filtered_contig_annotations.csv", "--out", dir, "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(filepath.Join(dir, "cells.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "cell\tsample\treceptor_type\tchain_pairing\tvj_junction\tvdj_junction\tclone_id\tclone_size" || len(lines) != 6 {
		t.Fatalf("cells.tsv:\n%s", b)
	}
	want := map[string]string{
		"AAACCTGAGATAGCAT-1": "TCR\tsingle pair",
		"AAACCTGAGTACGCCC-1": "TCR\ttwo full chains",
		"AAACCTGCATAGAAAC-1": "TCR\textra VJ",
		"AAACCTGGTCCGTTAA-1": "multichain\tmultichain",
		"AAACTTGGTCCGTTAA-1": "BCR\tsingle pair",
	}
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if got := f[2] + "\t" + f[3]; got != want[f[0]] {
			t.Errorf("%s: %q, want %q", f[0], got, want[f[0]])
		}
	}
	// cell 1 of scirpy's test: VDJ_1 junction
	if !strings.Contains(string(b), "AAACCTGAGTACGCCC-1\tfiltered_contig_annotations\tTCR\ttwo full chains\tTGTGCAATGAGGGTCGGAGGAAGCCAAGGAAATCTCATCTTT\tTGTGCCAGCAGCTTGGGACCTAGCACAGATACGCAGTATTTT\t1\t1") {
		t.Errorf("cell AAACCTGAGTACGCCC-1 row wrong:\n%s", b)
	}
	d, _ := os.ReadFile(filepath.Join(dir, "diversity.tsv"))
	// five cells, five singletons: Shannon ln 5, normalised 1, D50 3 (60%), Chao1 5 + 5*4/(2*1) = 15 (vegan: 15)
	if !strings.Contains(string(d), "filtered_contig_annotations\tall\t5\t5\t1.6094379124341003\t1\t0\t0.2\t5\t0.8\t0\t15\t") {
		t.Errorf("diversity.tsv:\n%s", d)
	}
	for _, f := range []string{"clonotypes.tsv", "report.html", "run.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	// existing outputs are refused; a bad option value is a usage error
	if code, _, _ := runLSC(t, "repertoire", "clonotypes", "../../airr/testdata/filtered_contig_annotations.csv", "--out", dir); code != 2 {
		t.Errorf("overwrite without --force: exit %d", code)
	}
	if code, _, errs := runLSC(t, "repertoire", "clonotypes", "x.csv", "--dual-ir", "both", "--out", t.TempDir()); code != 2 || !strings.Contains(errs, "both") {
		t.Errorf("bad --dual-ir: exit %d %s", code, errs)
	}
	if code, _, errs := runLSC(t, "repertoire", "clonotypes", "../../airr/testdata/README.md", "--out", t.TempDir()); code != 1 || !strings.Contains(errs, "not a receptor contig table") {
		t.Errorf("bad input: exit %d %s", code, errs)
	}
}

// Several samples through a sheet: one clone id space, per-sample rows,
// rarefied indices the same bytes for the same seed.
func TestRepertoireSheet(t *testing.T) {
	dir := t.TempDir()
	abs, _ := filepath.Abs("../../airr/testdata")
	sheet := filepath.Join(dir, "s.tsv")
	os.WriteFile(sheet, []byte("sample\tpath\nA\t"+abs+"/filtered_contig_annotations.csv\nB\t"+abs+"/all_contig_annotations.json\n"), 0o644)
	var outs []string
	for i := 0; i < 2; i++ {
		o := filepath.Join(dir, "out"+string(rune('0'+i)))
		if code, _, errs := runLSC(t, "repertoire", "clonotypes", "--samples", sheet, "--out", o, "-q"); code != 0 {
			t.Fatal(errs)
		}
		b, _ := os.ReadFile(filepath.Join(o, "diversity.tsv"))
		outs = append(outs, string(b))
	}
	if outs[0] != outs[1] || !strings.Contains(outs[0], "\nA\tall\t5\t5\t") || !strings.Contains(outs[0], "\nB\tall\t3\t3\t") {
		t.Errorf("diversity:\n%s\n%s", outs[0], outs[1])
	}
	// AAACCTGAGTACGCCC-1 is in both files but paired in A and orphan VJ in
	// B (scirpy's readings), so no clonotype is shared: Jaccard 0/8, MH 0.
	ov, _ := os.ReadFile(filepath.Join(dir, "out0", "overlap.tsv"))
	if string(ov) != "sample_a\tsample_b\tshared_clonotypes\tjaccard\tmorisita_horn\nA\tB\t0\t0\t0\n" {
		t.Errorf("overlap.tsv:\n%s", ov)
	}
}

// lsc inspect recognises receptor tables and feature references; lsc score
// refuses them with a pointer to the right command.
func TestInspectReceptor(t *testing.T) {
	code, out, errs := runLSC(t, "inspect", "../../airr/testdata/filtered_contig_annotations.csv")
	if code != 0 || !strings.Contains(out, "10x-contig-csv, 19 contigs in 5 cells") || !strings.Contains(out, "multichain 1") {
		t.Errorf("%d %s %s", code, out, errs)
	}
	code, out, _ = runLSC(t, "inspect", "--json", "../../airr/testdata/feature_reference.csv")
	if code != 0 || !strings.Contains(out, `"features": 3`) || !strings.Contains(out, "CD269=BCMA_TotalSeqC") {
		t.Errorf("%d %s", code, out)
	}
	code, _, errs = runLSC(t, "score", "../../airr/testdata/rearrangement_tra.tsv", "--signatures", "LSC17", "--out", filepath.Join(t.TempDir(), "x.tsv"))
	if code != 1 || !strings.Contains(errs, "lsc repertoire clonotypes") {
		t.Errorf("score on contigs: %d %s", code, errs)
	}
}

// --b-identity adds b_cluster: only the IGH cell of the fixture has one.
func TestRepertoireBCluster(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runLSC(t, "repertoire", "clonotypes", "../../airr/testdata/filtered_contig_annotations.csv", "--b-identity", "0.85", "--out", dir, "-q"); code != 0 {
		t.Fatal(errs)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "cells.tsv"))
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if !strings.HasSuffix(lines[0], "\tclone_size\tb_cluster") || !strings.HasSuffix(lines[5], "\t0") || !strings.HasSuffix(lines[1], "\t1\t") {
		t.Errorf("cells.tsv:\n%s", b)
	}
}

// --groups: cells named as Seurat's add.cell.ids would name them; one
// group row per sample and group, from the joined cells only.
func TestRepertoireGroups(t *testing.T) {
	dir := t.TempDir()
	g := filepath.Join(dir, "groups.csv")
	os.WriteFile(g, []byte("cell,group\nfiltered_contig_annotations_AAACCTGAGATAGCAT-1,CD8\nfiltered_contig_annotations_AAACCTGAGTACGCCC-1,CD8\nfiltered_contig_annotations_AAACCTGCATAGAAAC-1,CD4\n"), 0o644)
	out := filepath.Join(dir, "o")
	if code, _, errs := runLSC(t, "repertoire", "clonotypes", "../../airr/testdata/filtered_contig_annotations.csv", "--groups", g, "--out", out, "-q"); code != 0 {
		t.Fatal(errs)
	}
	b, _ := os.ReadFile(filepath.Join(out, "diversity.tsv"))
	// CD4: one clonotype of one cell (Shannon 0); CD8: two singletons (ln 2 = 0.6931471805599453)
	if !strings.Contains(string(b), "\nfiltered_contig_annotations\tCD4\t1\t1\t0\t0\t1\t") || !strings.Contains(string(b), "\nfiltered_contig_annotations\tCD8\t2\t2\t0.6931471805599453\t1\t0\t") {
		t.Errorf("diversity.tsv:\n%s", b)
	}
	// names that match nothing: the join error
	os.WriteFile(g, []byte("cell,group\nx1,CD8\nx2,CD4\n"), 0o644)
	if code, _, errs := runLSC(t, "repertoire", "clonotypes", "../../airr/testdata/filtered_contig_annotations.csv", "--groups", g, "--out", out, "--force"); code != 1 || !strings.Contains(errs, "barcodes do not match") {
		t.Errorf("%d %s", code, errs)
	}
}
