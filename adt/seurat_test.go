package adt

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/formats/input"
)

// readRef reads a Seurat output fixture: '#' lines, header cell + antibodies.
func readRef(t *testing.T, path string) (abs []string, rows map[string][]float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	rows = map[string][]float64{}
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "#") {
			continue
		}
		fs := strings.Split(l, "\t")
		if abs == nil {
			abs = fs[1:]
			continue
		}
		var v []float64
		for _, s := range fs[1:] {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
			v = append(v, x)
		}
		rows[fs[0]] = v
	}
	return abs, rows
}

func compare(t *testing.T, got *Matrix, ref string) {
	t.Helper()
	abs, rows := readRef(t, ref)
	if strings.Join(abs, ",") != strings.Join(got.Antibodies, ",") {
		t.Fatalf("antibodies %v, Seurat %v", got.Antibodies, abs)
	}
	seen, worst := 0, 0.0
	for c, name := range got.Cells {
		want, ok := rows[name]
		if !ok {
			continue
		}
		seen++
		for a := range abs {
			worst = math.Max(worst, math.Abs(got.Values[a][c]-want[a]))
		}
	}
	if seen != len(rows) {
		t.Errorf("%s: %d of %d reference cells found", ref, seen, len(rows))
	}
	t.Logf("%s: %d cells, largest difference to Seurat %g", ref, seen, worst)
	if worst > 1e-9 {
		t.Errorf("%s: largest difference to Seurat %g", ref, worst)
	}
}

func load(t *testing.T, path string) *Matrix {
	src, err := input.Open(path, input.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	m, err := FromSource(src)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Seurat's CLR on the 20-cell CBMC subset (in-repo input and outputs, made
// by testdata/make_fixtures.R; versions in the fixture headers).
func TestCLRSeuratSmall(t *testing.T) {
	m := load(t, "testdata/cbmc20_umi.tsv")
	for _, margin := range []int{1, 2} {
		n, _ := CLR(m, margin)
		compare(t, n, "testdata/cbmc20_clr_margin"+strconv.Itoa(margin)+".tsv")
	}
}

// Seurat's CLR on the whole CBMC matrix (8,617 cells; every 50th cell kept
// in the fixture).
func TestCLRSeuratCBMC(t *testing.T) {
	path := "../../shared/testdata/citeseq/GSE100866/GSE100866_CBMC_8K_13AB_10X-ADT_umi.csv.gz"
	if _, err := os.Stat(path); err != nil {
		t.Skip("shared test data absent")
	}
	m := load(t, path)
	for _, margin := range []int{1, 2} {
		n, _ := CLR(m, margin)
		compare(t, n, "testdata/cbmc_clr_margin"+strconv.Itoa(margin)+"_every50.tsv")
	}
}
