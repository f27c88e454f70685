package adt

import (
	"errors"
	"math"
	"testing"
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
