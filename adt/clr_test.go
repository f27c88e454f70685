package adt

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/formats/input"
)

// Hand-derived: x = (0, 1, 3): sum log1p over x > 0 = ln 2 + ln 4 = 3 ln 2,
// divided by length 3 -> ln 2, so the divisor is 2 and
// CLR = (log1p(0), log1p(1/2), log1p(3/2)) = (0, ln 1.5, ln 2.5).
func TestCLRHand(t *testing.T) {
	m := &Matrix{Antibodies: []string{"A"}, Cells: []string{"c1", "c2", "c3"}, Values: [][]float64{{0, 1, 3}}}
	n, err := CLR(m, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0, math.Log(1.5), math.Log(2.5)}
	for i, w := range want {
		if math.Abs(n.Values[0][i]-w) > 1e-15 {
			t.Errorf("cell %d: %v, want %v", i, n.Values[0][i], w)
		}
	}
	// margin 2 on the transposed layout gives the same numbers
	mt := &Matrix{Antibodies: []string{"a", "b", "c"}, Cells: []string{"c1"}, Values: [][]float64{{0}, {1}, {3}}}
	n2, _ := CLR(mt, 2)
	for i, w := range want {
		if math.Abs(n2.Values[i][0]-w) > 1e-15 {
			t.Errorf("margin 2, antibody %d: %v, want %v", i, n2.Values[i][0], w)
		}
	}
	if _, err := CLR(m, 3); !errors.Is(err, ErrMargin) {
		t.Errorf("margin 3: %v", err)
	}
}

// The Antibody Capture features of a Cell Ranger 3 folder (Seurat's test
// files): CD3 counts 0, 70000, 0, 5, 3332 and CD19 0, 0, 0, 0, 1200 in the
// matrix.mtx. Cell 2 at margin 2: log1p(70000 / exp(log1p(70000) / 2)).
func TestFromTenx(t *testing.T) {
	path := "../../shared/testdata/10x/seurat/cr3.0"
	if _, err := os.Stat(path); err != nil {
		t.Skip("shared test data absent")
	}
	src, err := input.Open(path, input.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	m, err := FromSource(src)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.Antibodies, ",") != "CD3,CD19" || len(m.Cells) != 5 ||
		fmt.Sprint(m.Values[0]) != "[0 70000 0 5 3332]" || fmt.Sprint(m.Values[1]) != "[0 0 0 0 1200]" {
		t.Fatalf("%v %v %v", m.Antibodies, m.Cells, m.Values)
	}
	n, _ := CLR(m, 2)
	if want := math.Log1p(70000 / math.Exp(math.Log1p(70000)/2)); math.Abs(n.Values[0][1]-want) > 1e-15 || n.Values[1][1] != 0 {
		t.Errorf("cell 2: %v %v, want %v 0", n.Values[0][1], n.Values[1][1], want)
	}
	// a gene-expression-only 10x folder has no antibodies
	g, err := input.Open("../../shared/testdata/10x/scanpy/10x_data/3.0.0/filtered_feature_bc_matrix", input.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if _, err := FromSource(g); !errors.Is(err, ErrNoADT) {
		t.Errorf("GEX only: %v", err)
	}
}
