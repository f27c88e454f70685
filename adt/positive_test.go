package adt

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// Control-quantile thresholds, derived by hand with R's type 7 definition:
// for the isotype values 0,1,...,9 (n = 10) the 0.9 quantile is at
// 1 + 9*0.9 = 9.1, so x[9] + 0.1*(x[10]-x[9]) = 8 + 0.1 = 8.1. Cells with
// CD3 above 8.1 are positive (strictly above).
func TestPositiveIsotypeHand(t *testing.T) {
	m := &Matrix{Antibodies: []string{"CD3", "IgG1", "CD19"}, Values: [][]float64{
		{8.1, 8.2, 0, 9, 10, 1, 2, 3, 4, 8.0999},
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	}}
	for i := 0; i < 10; i++ {
		m.Cells = append(m.Cells, string(rune('a'+i)))
	}
	p, err := Positive(m, PositiveOptions{Method: ControlIsotype, Isotype: "IgG1", Quantile: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Thresholds) != 2 || p.Thresholds[0].Antibody != "CD3" || p.Thresholds[1].Antibody != "CD19" {
		t.Fatalf("markers %+v (the control is not called)", p.Thresholds)
	}
	if th := p.Thresholds[0].Threshold; math.Abs(th-8.1) > 1e-12 {
		t.Errorf("threshold %v, want 8.1", th)
	}
	want := []bool{false, true, false, true, true, false, false, false, false, false}
	for i, w := range want {
		if p.Positive[0][i] != w {
			t.Errorf("cell %d CD3 positive %v, want %v", i, p.Positive[0][i], w)
		}
	}
	if p.Thresholds[0].Positive != 3 || p.Thresholds[1].Positive != 0 {
		t.Errorf("positive counts %d %d, want 3 0", p.Thresholds[0].Positive, p.Thresholds[1].Positive)
	}
	// 0.99 of 0..9: 1 + 9*0.99 = 9.91 -> 8 + 0.91 = 8.91
	p, _ = Positive(m, PositiveOptions{Method: ControlIsotype, Pairs: map[string]string{"CD3": "IgG1"}, Quantile: 0.99})
	if len(p.Thresholds) != 1 || math.Abs(p.Thresholds[0].Threshold-8.91) > 1e-12 {
		t.Errorf("pair threshold %+v, want CD3 only at 8.91", p.Thresholds)
	}
	// FMO: the same antibody in a control sample; CD19 absent there.
	fmo := &Matrix{Antibodies: []string{"CD3"}, Cells: []string{"x", "y", "z", "w", "v"}, Values: [][]float64{{5, 1, 2, 4, 3}}}
	p, err = Positive(m, PositiveOptions{Method: ControlFMO, FMO: fmo, Quantile: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if th := p.Thresholds[0]; th.Threshold != 3 || th.Positive != 6 || !th.Called {
		t.Errorf("fmo CD3 %+v, want threshold 3 (median of 1..5), 6 positive", th)
	}
	if th := p.Thresholds[2]; th.Called || !strings.Contains(th.Note, "not in the control") {
		t.Errorf("fmo CD19 %+v, want not called", th)
	}
	for _, o := range []PositiveOptions{
		{Method: ControlIsotype, Isotype: "IgG9", Quantile: 0.9},
		{Method: ControlIsotype, Quantile: 0.9},
		{Method: ControlIsotype, Isotype: "IgG1", Quantile: 1},
		{Method: "gate", Quantile: 0.9},
		{Method: ControlFMO, Quantile: 0.9},
	} {
		if _, err := Positive(m, o); !errors.Is(err, ErrPositive) {
			t.Errorf("%+v: error %v, want ErrPositive", o, err)
		}
	}
}

// Crossing of two weighted normal densities, by hand: equal variances and
// proportions cross at the midpoint; with proportions p1, p2 and variance
// v the point moves by v log(p1/p2) / (m2 - m1); unequal variances: the
// root of the quadratic where the high component takes over (here between
// the means), checked by equal densities.
func TestCrossingHand(t *testing.T) {
	m := &Mixture{Mean: []float64{4, 0}, Var: []float64{1, 1}, Pro: []float64{0.5, 0.5}}
	if c := m.Crossing(); math.Abs(c-2) > 1e-12 {
		t.Errorf("midpoint %v, want 2", c)
	}
	m = &Mixture{Mean: []float64{0, 4}, Var: []float64{2, 2}, Pro: []float64{0.8, 0.2}}
	if c, want := m.Crossing(), 2+2*math.Log(4)/4; math.Abs(c-want) > 1e-12 {
		t.Errorf("weighted %v, want %v", c, want)
	}
	m = &Mixture{Mean: []float64{0, 5}, Var: []float64{1, 4}, Pro: []float64{0.7, 0.3}}
	c := m.Crossing()
	d := func(k int) float64 {
		return m.Pro[k] / math.Sqrt(2*math.Pi*m.Var[k]) * math.Exp(-(c-m.Mean[k])*(c-m.Mean[k])/(2*m.Var[k]))
	}
	if c <= 0 || c >= 5 || math.Abs(d(0)-d(1)) > 1e-12*d(0) {
		t.Errorf("unequal variances: crossing %v, densities %v %v", c, d(0), d(1))
	}
}

// The first principal component of two standardised variables with any
// positive correlation is (1, 1)/sqrt(2) (up to sign).
func TestTopEigenvector(t *testing.T) {
	v := topEigenvector([][]float64{{1, 0.3}, {0.3, 1}})
	if math.Abs(math.Abs(v[0])-math.Sqrt(0.5)) > 1e-12 || math.Abs(v[0]-v[1]) > 1e-12 {
		t.Errorf("eigenvector %v", v)
	}
	v = topEigenvector([][]float64{{2, 0, 0}, {0, 5, 0}, {0, 0, 1}})
	if math.Abs(math.Abs(v[1])-1) > 1e-12 {
		t.Errorf("diagonal: %v", v)
	}
}

// qclass: R's mclust:::qclass(c(1,2,3,4,10), 2) is 1 1 2 2 2 (cut at the
// median 3, hand-derived: quantiles 0, .5, 1 = 1, 3, 10).
func TestQclassHand(t *testing.T) {
	cl, err := qclass([]float64{1, 2, 3, 4, 10}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 0, 1, 1, 1}; !equalInts(cl, want) {
		t.Errorf("qclass %v, want %v", cl, want)
	}
	if _, err := qclass([]float64{1, 1, 2, 2}, 2); !errors.Is(err, ErrMixture) {
		t.Errorf("two distinct values: %v", err)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
