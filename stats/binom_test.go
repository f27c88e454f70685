package stats

import (
	"math"
	"testing"
)

func near(a, b, rel float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))
}

// Expected values from R 4.2.2 (Debian r-base-core):
//
//	binom.test(x, n)$conf.int
//	prop.test(x, n, correct = FALSE)$conf.int
func TestBinomialIntervalsMatchR(t *testing.T) {
	cases := []struct {
		x, n                 int
		cpLo, cpHi, wLo, wHi float64
	}{
		{0, 10, 0, 0.30849710781876083, 0, 0.27753279986288915},
		{3, 200, 0.0031041076215535136, 0.043208281917712643, 0.0051142377932583156, 0.043165728792690254},
		{17, 20, 0.62107317345468604, 0.96792906281453628, 0.63958113525924309, 0.94763125410378346},
		{20, 20, 0.83156652901691464, 1, 0.83887484194718065, 1},
		{1, 1000, 2.5317487491294069e-05, 0.005558924279826627, 0.00017654637062607817, 0.0056425585979579338},
		{45, 150, 0.22797001580233442, 0.3801212336242189, 0.23240829378731656, 0.37757980395991403},
	}
	for _, c := range cases {
		cp, err := ClopperPearson(c.x, c.n, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		w, _ := Wilson(c.x, c.n, 0.95)
		if !near(cp.Lower, c.cpLo, 1e-9) || !near(cp.Upper, c.cpHi, 1e-9) {
			t.Errorf("ClopperPearson(%d,%d) = %v, R gives [%g, %g]", c.x, c.n, cp, c.cpLo, c.cpHi)
		}
		if !near(w.Lower, c.wLo, 1e-12) || !near(w.Upper, c.wHi, 1e-12) {
			t.Errorf("Wilson(%d,%d) = %v, R gives [%g, %g]", c.x, c.n, w, c.wLo, c.wHi)
		}
	}
	for _, bad := range [][2]int{{1, 0}, {-1, 5}, {6, 5}} {
		if _, err := ClopperPearson(bad[0], bad[1], 0.95); err == nil {
			t.Errorf("ClopperPearson(%v) accepted", bad)
		}
	}
}

// Expected values from R 4.2.2:
//
//	x <- c(0, 400, 1100, 1500); y <- log10(c(28.5, 12.1, 7.1, 5.0))
//	f <- lm(y ~ x); coef(f); summary(f)$coefficients[2, 2]; confint(f)[2, ]; summary(f)$sigma
func TestFitLineMatchesR(t *testing.T) {
	x := []float64{0, 400, 1100, 1500}
	y := []float64{math.Log10(28.5), math.Log10(12.1), math.Log10(7.1), math.Log10(5.0)}
	f, err := FitLine(x, y, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1.3766766527684349, -0.00047294934256456164, 8.1293238231783444e-05, -0.00082272591595271803, -0.0001231727691764053, 0.095151295827366492}
	got := []float64{f.Intercept, f.Slope, f.SlopeSE, f.SlopeCI.Lower, f.SlopeCI.Upper, f.Residual}
	for i := range want {
		if !near(got[i], want[i], 1e-9) {
			t.Errorf("value %d = %.17g, R gives %.17g", i, got[i], want[i])
		}
	}
	if _, err := FitLine([]float64{1, 1}, []float64{2, 3}, 0.95); err == nil {
		t.Error("fit with one distinct x accepted")
	}
	two, _ := FitLine([]float64{0, 2}, []float64{1, 0}, 0.95)
	if two.Slope != -0.5 || !math.IsNaN(two.SlopeSE) {
		t.Errorf("two-point fit %+v", two)
	}
}

// R: median(c(3, 1, 2)) = 2, median(c(4, 1, 3, 2)) = 2.5,
// quantile(1:10, 0.99) = 9.91, quantile(c(1, 5), 0.25) = 2.
func TestMedianQuantile(t *testing.T) {
	if Median([]float64{3, 1, 2}) != 2 || Median([]float64{4, 1, 3, 2}) != 2.5 || !math.IsNaN(Median(nil)) {
		t.Error("Median")
	}
	if q := Quantile7([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.99); math.Abs(q-9.91) > 1e-12 {
		t.Errorf("Quantile7 = %v", q)
	}
	if Quantile7([]float64{1, 5}, 0.25) != 2 {
		t.Error("Quantile7 interpolation")
	}
}
