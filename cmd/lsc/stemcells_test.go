package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// lsc stemcells end to end on two van Galen samples (the per-step numbers are
// checked against R in package stemcell); here: outputs, one study-wide
// threshold, counts consistent across files, cache reuse and determinism.
func TestStemcellsCLI(t *testing.T) {
	vg, _ := filepath.Abs("../../../shared/testdata/leukemia/vangalen2019_GSE116256")
	if _, err := os.Stat(vg); err != nil {
		t.Skip("../shared/testdata absent")
	}
	dir := t.TempDir()
	sheet := filepath.Join(dir, "study.tsv")
	os.WriteFile(sheet, []byte(fmt.Sprintf("sample\tpatient\ttimepoint\tpath\tannotation\tcelltype_column\n"+
		"P1_dx\tP1\tdiagnosis\t%[1]s/GSM3587984_AML870-D0.dem.txt.gz\t%[1]s/GSM3587985_AML870-D0.anno.txt.gz\tCellType\n"+
		"P1_rel\tP1\trelapse\t%[1]s/GSM3587950_AML419A-D0.dem.txt.gz\t%[1]s/GSM3587951_AML419A-D0.anno.txt.gz\tCellType\n", vg)), 0o644)
	out := filepath.Join(dir, "out")
	args := []string{"stemcells", "--samples", sheet, "-s", "LSPC-Quiescent", "--keep", "*-like", "--out", out}
	if code, _, stderr := runLSC(t, args...); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, f := range []string{"cells.tsv", "samples.tsv", "patients.tsv", "report.html", "run.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	// samples.tsv agrees with cells.tsv: count stem_like per sample by hand.
	cells, _ := os.ReadFile(filepath.Join(out, "cells.tsv"))
	n, k := map[string]int{}, map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(string(cells)), "\n")[1:] {
		p := strings.Split(l, "\t")
		if p[3] == "" {
			continue
		}
		n[p[0]]++
		if p[3] == "yes" {
			k[p[0]]++
		}
	}
	samples, _ := os.ReadFile(filepath.Join(out, "samples.tsv"))
	for _, l := range strings.Split(strings.TrimSpace(string(samples)), "\n")[1:] {
		p := strings.Split(l, "\t")
		nc, _ := strconv.Atoi(p[3])
		ns, _ := strconv.Atoi(p[4])
		if nc != n[p[0]] || ns != k[p[0]] {
			t.Errorf("%s: samples.tsv %d/%d, cells.tsv %d/%d", p[0], ns, nc, k[p[0]], n[p[0]])
		}
	}
	if n["P1_dx"] != 314 {
		t.Errorf("AML870 malignant (*-like) cells: %d, want 314 (authors' annotation)", n["P1_dx"])
	}
	// A second run reuses the cache and gives the same bytes.
	if code, _, stderr := runLSC(t, append(args, "--force")...); code != 0 || !strings.Contains(stderr, "2 of 2 samples reused") {
		t.Errorf("resume: exit %d %s", code, stderr)
	}
	cells2, _ := os.ReadFile(filepath.Join(out, "cells.tsv"))
	pat1, _ := os.ReadFile(filepath.Join(out, "patients.tsv"))
	runLSC(t, append(args, "--force")...)
	pat2, _ := os.ReadFile(filepath.Join(out, "patients.tsv"))
	if !bytes.Equal(cells, cells2) || !bytes.Equal(pat1, pat2) {
		t.Error("outputs differ between runs")
	}
}

// Bad sheets stop before any work, naming the row.
func TestStemcellsBadSheets(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "x.tsv")
	os.WriteFile(data, []byte("gene\tc1\nA\t1\n"), 0o644)
	for _, c := range []struct{ sheet, want string }{
		{"sample\tpatient\tpath\nS1\tP1\tx.tsv\n", "needs column(s) timepoint"},
		{"sample\tpatient\ttimepoint\tpath\nS1\tP1\tdiagnosis\tmissing.tsv\n", "line 2"},
		{"sample\tpatient\ttimepoint\tpath\nS1\tP1\tdiagnosis\tx.tsv\nS1\tP1\trelapse\tx.tsv\n", "also on line 2"},
		{"sample\tpatient\ttimepoint\tpath\nS1\tP1\tdiagnosis\tx.tsv\nS2\tP2\trelapse\tx.tsv\n", "patient P2 has no diagnosis sample"},
	} {
		sh := filepath.Join(dir, "s.tsv")
		os.WriteFile(sh, []byte(c.sheet), 0o644)
		code, _, stderr := runLSC(t, "stemcells", "--samples", sh, "-s", "LSC104", "--out", filepath.Join(dir, "o"))
		if code != 1 || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "s.tsv") {
			t.Errorf("%q: exit %d %s", c.sheet, code, stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "o")); err == nil {
			t.Errorf("%q: output written despite a bad sheet", c.sheet)
		}
	}
}
