package main

import (
	"compress/gzip"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// lsc adt normalize on the 20-cell CBMC fixture equals Seurat 4.3.0's CLR
// (adt/testdata/cbmc20_clr_margin2.tsv) to 1e-9, in the same layout.
func TestADTNormalizeCmd(t *testing.T) {
	out := filepath.Join(t.TempDir(), "clr.tsv")
	code, _, errs := runLSC(t, "adt", "normalize", "../../adt/testdata/cbmc20_umi.tsv", "--margin", "2", "--out", out)
	if code != 0 {
		t.Fatal(errs)
	}
	got, _ := os.ReadFile(out)
	ref, _ := os.ReadFile("../../adt/testdata/cbmc20_clr_margin2.tsv")
	var refLines []string
	for _, l := range strings.Split(strings.TrimSpace(string(ref)), "\n") {
		if !strings.HasPrefix(l, "#") {
			refLines = append(refLines, l)
		}
	}
	gl := strings.Split(strings.TrimSpace(string(got)), "\n")
	if len(gl) != len(refLines) || gl[0] != refLines[0] {
		t.Fatalf("layout: %q vs %q (%d/%d lines)", gl[0], refLines[0], len(gl), len(refLines))
	}
	for i := 1; i < len(gl); i++ {
		g, r := strings.Split(gl[i], "\t"), strings.Split(refLines[i], "\t")
		if g[0] != r[0] {
			t.Fatalf("row %d cell %s, Seurat %s", i, g[0], r[0])
		}
		for k := 1; k < len(g); k++ {
			a, _ := strconv.ParseFloat(g[k], 64)
			b, _ := strconv.ParseFloat(r[k], 64)
			if math.Abs(a-b) > 1e-9 {
				t.Errorf("%s column %d: %v, Seurat %v", g[0], k, a, b)
			}
		}
	}
	if code, _, _ := runLSC(t, "adt", "normalize", "../../adt/testdata/cbmc20_umi.tsv", "--method", "dsb", "--out", out+"2"); code != 2 {
		t.Errorf("dsb without --empty: exit %d", code)
	}
	if code, _, _ := runLSC(t, "adt", "normalize", "../../adt/testdata/cbmc20_umi.tsv", "--margin", "3", "--out", out+"3"); code != 2 {
		t.Errorf("margin 3: exit %d", code)
	}
	if code, _, _ := runLSC(t, "adt", "normalize", "../../adt/testdata/cbmc20_umi.tsv", "--out", out); code != 2 {
		t.Errorf("overwrite: exit %d", code)
	}
}

// lsc adt normalize --method dsb equals dsb 2.0.1 in R on its example data
// (adt/testdata/dsb/dsb_isotypes.tsv.gz; calls in that folder's README) to
// 1e-9 (EM stopping; see adt.TestDSBReference).
func TestADTNormalizeDSBCmd(t *testing.T) {
	dir := "../../adt/testdata/dsb/"
	out := filepath.Join(t.TempDir(), "dsb.tsv")
	code, _, errs := runLSC(t, "adt", "normalize", dir+"cells_counts.tsv.gz", "--method", "dsb", "--empty", dir+"empty_counts.tsv.gz",
		"--isotypes", "MouseIgG1kappaisotype_PROT,MouseIgG2akappaisotype_PROT,Mouse IgG2bkIsotype_PROT,RatIgG2bkIsotype_PROT", "--out", out, "-q")
	if code != 0 {
		t.Fatal(errs)
	}
	got := readCellTable(t, out)
	want := readCellTable(t, dir+"dsb_isotypes.tsv.gz")
	if len(got) != len(want) || len(got) != 201 {
		t.Fatalf("%d rows, dsb %d", len(got), len(want))
	}
	if got[0][1] != want[0][1] || len(got[0]) != len(want[0]) {
		t.Fatalf("header %v, dsb %v", got[0][:3], want[0][:3])
	}
	for i := 1; i < len(got); i++ {
		for k := 1; k < len(got[i]); k++ {
			a, _ := strconv.ParseFloat(got[i][k], 64)
			b, _ := strconv.ParseFloat(want[i][k], 64)
			if math.Abs(a-b) > 1e-9*math.Max(1, math.Abs(b)) || got[i][0] != want[i][0] {
				t.Fatalf("%s %s: %v, dsb %v", got[i][0], got[0][k], a, b)
			}
		}
	}
	if code, _, errs := runLSC(t, "adt", "normalize", dir+"cells_counts.tsv.gz", "--method", "dsb", "--empty", dir+"empty_counts.tsv.gz", "--isotypes", "IgG9", "--out", out+"x"); code != 1 || !strings.Contains(errs, "IgG9") {
		t.Errorf("unknown isotype: exit %d %s", code, errs)
	}
	if code, _, errs := runLSC(t, "adt", "normalize", dir+"cells_counts.tsv.gz", "--method", "dsb", "--out", out+"y"); code != 2 || !strings.Contains(errs, "--empty") {
		t.Errorf("no --empty: exit %d %s", code, errs)
	}
}

func readCellTable(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		if r, err = gzip.NewReader(f); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := io.ReadAll(r)
	var rows [][]string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if !strings.HasPrefix(l, "#") {
			rows = append(rows, strings.Split(l, "\t"))
		}
	}
	return rows
}

// lsc adt positive with an isotype control, hand-derived: IgG1 values
// 0..9, quantile 0.9 (R type 7) = 8.1; CD3 above 8.1 in cells b, d, e.
func TestADTPositiveCmd(t *testing.T) {
	dir := t.TempDir()
	tab := "cell\tCD3\tIgG1\n"
	for i, v := range []string{"8.1", "8.2", "0", "9", "10", "1", "2", "3", "4", "8.0999"} {
		tab += string(rune('a'+i)) + "\t" + v + "\t" + strconv.Itoa(i) + "\n"
	}
	in := filepath.Join(dir, "n.tsv")
	os.WriteFile(in, []byte(tab), 0o644)
	out := filepath.Join(dir, "pos")
	if code, _, errs := runLSC(t, "adt", "positive", in, "--controls", "isotype", "--isotype", "IgG1", "--quantile", "0.9", "--out", out, "-q"); code != 0 {
		t.Fatal(errs)
	}
	b, _ := os.ReadFile(filepath.Join(out, "positive.tsv"))
	if string(b) != "cell\tCD3\na\t0\nb\t1\nc\t0\nd\t1\ne\t1\nf\t0\ng\t0\nh\t0\ni\t0\nj\t0\n" {
		t.Errorf("positive.tsv:\n%s", b)
	}
	b, _ = os.ReadFile(filepath.Join(out, "thresholds.tsv"))
	if !strings.Contains(string(b), "\nCD3\tisotype\tIgG1\t8.1\t3\t10\t0.3\t") {
		t.Errorf("thresholds.tsv:\n%s", b)
	}
	for _, args := range [][]string{
		{"--controls", "isotype"},
		{"--controls", "fmo"},
		{"--controls", "gate"},
		{"--controls", "mixture", "--model", "VVV"},
		{"--controls", "isotype", "--pair", "CD3"},
		{"--controls", "isotype", "--isotype", "IgG1", "--quantile", "99"},
	} {
		if code, _, _ := runLSC(t, append([]string{"adt", "positive", in, "--out", filepath.Join(dir, "x")}, args...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	os.WriteFile(filepath.Join(dir, "bad.tsv"), []byte("cell\tCD3\na\tNA\n"), 0o644)
	if code, _, errs := runLSC(t, "adt", "positive", filepath.Join(dir, "bad.tsv"), "--controls", "mixture", "--out", filepath.Join(dir, "y")); code != 1 || !strings.Contains(errs, "bad.tsv line 2") {
		t.Errorf("NA value: exit %d %s", code, errs)
	}
}
