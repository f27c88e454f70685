package main

import (
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
