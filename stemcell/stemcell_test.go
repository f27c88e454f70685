package stemcell

import (
	"math"
	"testing"
)

// Hand-derived threshold cases.
func TestJenks(t *testing.T) {
	// Two obvious groups: the within-class squared deviation is smallest
	// splitting {1,2,3} | {10,11,12}; the threshold is the upper class's minimum.
	th, err := Jenks([]float64{12, 1, 3, 10, 2, 11})
	if err != nil || th.Value != 10 {
		t.Errorf("Jenks = %+v, %v; want 10", th, err)
	}
	// {0, 0, 1}: splits {0,0}|{1} (SSD 0) beats {0}|{0,1} (SSD 0.5).
	if th, _ := Jenks([]float64{0, 0, 1}); th.Value != 1 {
		t.Errorf("Jenks {0,0,1} = %v, want 1", th.Value)
	}
	if _, err := Jenks([]float64{2, 2, 2}); err == nil {
		t.Error("constant scores accepted")
	}
}

func TestMixtureSymmetric(t *testing.T) {
	// Two mirror-image clusters of equal size and spread: the fitted
	// components are symmetric about 5, so they cross exactly at 5.
	th, err := Mixture([]float64{-1, 0, 1, 9, 10, 11})
	if err != nil || math.Abs(th.Value-5) > 1e-9 {
		t.Errorf("Mixture = %+v, %v; want 5", th, err)
	}
}

func TestReferenceQuantile(t *testing.T) {
	// R: quantile(1:10, 0.99) = 9.91 (type 7: 1 + 9*0.99 = 9.91 -> 9 + 0.91).
	th, _ := Reference([]float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 0.99)
	if math.Abs(th.Value-9.91) > 1e-12 {
		t.Errorf("Reference = %v, want 9.91", th.Value)
	}
}

func TestBurdenAndBands(t *testing.T) {
	// 3 of 4 scores >= 0.25 (0.25 itself counts).
	b := NewBurden("s", "p", "diagnosis", []float64{0.1, 0.25, 0.3, 0.9, math.NaN()}, 0.25, Bands{0.05, 0.15})
	if b.N != 4 || b.NStem != 3 || b.Fraction != 0.75 || b.Risk != ">15%" {
		t.Errorf("%+v", b)
	}
	bands := Bands{0.05, 0.15}
	for f, want := range map[float64]string{0.0137: "<=5%", 0.05: "<=5%", 0.1: "5%-15%", 0.2647: ">15%"} {
		if got := bands.Label(f); got != want {
			t.Errorf("Label(%v) = %q, want %q", f, got, want)
		}
	}
}

// Expected values: R 4.2.2 prop.test(c(x1, x2), c(n1, n2)) (continuity-corrected).
func TestTwoProportionMatchesR(t *testing.T) {
	for _, c := range []struct {
		x1, n1, x2, n2 int
		stat, p        float64
	}{
		{90, 340, 5, 365, 92.981130667988097, 5.2795301235367389e-22},
		{0, 100, 3, 100, 1.3536379018612521, 0.24464313940287297},
		{10, 20, 10, 20, 0, 1},
		{45, 170, 2, 146, 37.127755317205029, 1.1063767666506383e-09},
	} {
		got := TwoProportion(c.x1, c.n1, c.x2, c.n2)
		if math.Abs(got.Stat-c.stat) > 1e-9*math.Max(1, c.stat) || math.Abs(got.P-c.p) > 1e-9*math.Max(c.p, 1e-300) && math.Abs(got.P-c.p) > 1e-15 {
			t.Errorf("%v: %+v, R %v %v", c, got, c.stat, c.p)
		}
	}
}

// The bootstrap interval of the fold change against R's, made with many more
// resamples (set.seed(1); B <- 2e5; x <- rbinom(B, 365, 5/365)/365;
// y <- rbinom(B, 340, 90/340)/340; quantile(y/x, c(.025, .975)) -> 9.554, 95.544;
// set.seed(2) with 40/400 -> 60/300: 1.389, 2.958). Different generators, so
// the comparison is statistical: within 3 % (Monte Carlo error of 20,000
// resamples at these quantiles is about 1 %).
func TestBootstrapAgreesWithR(t *testing.T) {
	for _, c := range []struct {
		x1, n1, x2, n2 int
		lo, hi         float64
	}{
		{5, 365, 90, 340, 9.5544117647058826, 95.544117647058826},
		{40, 400, 60, 300, 1.3888888888888888, 2.958333333333333},
	} {
		from := NewBurden("a", "p", "diagnosis", scoresOf(c.x1, c.n1), 1, nil)
		to := NewBurden("b", "p", "relapse", scoresOf(c.x2, c.n2), 1, nil)
		ch := Compare("p", from, to, 20000, 7)
		if math.Abs(ch.FoldCI.Lower/c.lo-1) > 0.03 || math.Abs(ch.FoldCI.Upper/c.hi-1) > 0.03 {
			t.Errorf("%v: bootstrap CI %v, R [%v, %v]", c, ch.FoldCI, c.lo, c.hi)
		}
		again := Compare("p", from, to, 20000, 7)
		if again.FoldCI != ch.FoldCI {
			t.Error("same seed, different interval")
		}
	}
}

func scoresOf(x, n int) []float64 {
	s := make([]float64, n)
	for i := 0; i < x; i++ {
		s[i] = 2
	}
	return s
}
