package repertoire

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

func readTSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); !strings.HasPrefix(l, "#") {
			rows = append(rows, strings.Split(l, "\t"))
		}
	}
	return rows[1:] // header off
}

func num(t *testing.T, s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Chao1 and its standard error equal vegan 2.6-4's estimateR on small
// clone-size vectors (testdata/chao1_vegan.tsv, made by make_vegan.R).
func TestChao1Vegan(t *testing.T) {
	for _, r := range readTSV(t, "testdata/chao1_vegan.tsv") {
		var sizes []int
		for _, s := range strings.Split(r[0], ",") {
			n, _ := strconv.Atoi(s)
			sizes = append(sizes, n)
		}
		d := Measure(sizes)
		if !near(d.Chao1, num(t, r[1]), 1e-12) || !near(d.Chao1SE, num(t, r[2]), 1e-12) {
			t.Errorf("%s: chao1 %v se %v, vegan %s %s", r[0], d.Chao1, d.Chao1SE, r[1], r[2])
		}
	}
}

// Shannon, Gini-Simpson, inverse Simpson and Hill numbers q = 0..3 equal
// vegan's diversity() and renyi(hill = TRUE) on immunarch's four example
// repertoires (500 clonotypes each; sizes in testdata/immunarch_clone_sizes.tsv).
func TestDiversityVegan(t *testing.T) {
	sizes := map[string][]int{}
	for _, r := range readTSV(t, "testdata/immunarch_clone_sizes.tsv") {
		n, _ := strconv.Atoi(r[1])
		sizes[r[0]] = append(sizes[r[0]], n)
	}
	rows := readTSV(t, "testdata/immunarch_vegan.tsv")
	if len(rows) != 4 {
		t.Fatalf("%d reference rows", len(rows))
	}
	for _, r := range rows {
		d := Measure(sizes[r[0]])
		got := []float64{float64(d.Cells), float64(d.Clonotypes), d.Shannon, d.GiniSimpson, d.InverseSimpson, d.Chao1, d.Chao1SE, d.Hill[0], d.Hill[1], d.Hill[2], d.Hill[3]}
		for k, g := range got {
			if w := num(t, r[k+1]); !near(g, w, 1e-12) {
				t.Errorf("%s column %d: %v, vegan %v", r[0], k+1, g, w)
			}
		}
	}
}
