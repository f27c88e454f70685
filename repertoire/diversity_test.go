package repertoire

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

// Hand-derived: clone sizes {4, 2, 1, 1}, N = 8, S = 4, p = 1/2, 1/4, 1/8, 1/8.
//
//	Shannon = 1/2 ln 2 + 1/4 ln 4 + 2/8 ln 8 = 1.75 ln 2 = 1.2130075659799042
//	normalised = 1.75 ln 2 / ln 4 = 0.875; clonality 0.125
//	Simpson = 1/4 + 1/16 + 2/64 = 22/64 = 0.34375; inverse 64/22; Gini-Simpson 42/64
//	Hill: q0 4, q1 2^1.75, q2 64/22, q3 (sum p^3)^(-1/2) = (74/512)^(-1/2) = 2.6303837968857167
//	Gini: sum|xi-xj| over ordered pairs 20 / (2 S^2 mean = 2*16*2) = 0.3125
//	D50: the largest clone (4 of 8 cells) covers half: 1 clonotype, 25%
//	Chao1: f1 = 2, f2 = 1: 4 + 2/(2*2) = 4.5; vegan's variance with C = 54:
//	  2 (54*4.5 - 2*9) / (4 * 16 * 4.5) = 450/288 = 1.5625 (se 1.25, as vegan)
//	  T = 0.5, K = exp(1.96 sqrt(ln(1 + 6.25))): 4.031688259235045, 11.889357321449827
func TestMeasureHand(t *testing.T) {
	d := Measure([]int{1, 4, 1, 2})
	checks := []struct {
		name      string
		got, want float64
	}{
		{"shannon", d.Shannon, 1.2130075659799042},
		{"normalized", d.NormalizedShannon, 0.875},
		{"clonality", d.Clonality, 0.125},
		{"simpson", d.Simpson, 0.34375},
		{"inverse simpson", d.InverseSimpson, 64.0 / 22},
		{"gini-simpson", d.GiniSimpson, 42.0 / 64},
		{"hill0", d.Hill[0], 4},
		{"hill1", d.Hill[1], math.Pow(2, 1.75)},
		{"hill2", d.Hill[2], 64.0 / 22},
		{"hill3", d.Hill[3], 2.6303837968857167},
		{"gini", d.Gini, 0.3125},
		{"d50 percent", d.D50Percent, 25},
		{"chao1", d.Chao1, 4.5},
		{"chao1 se", d.Chao1SE, 1.25},
		{"chao1 lower", d.Chao1Lower, 4.031688259235045},
		{"chao1 upper", d.Chao1Upper, 11.889357321449827},
	}
	for _, c := range checks {
		if !near(c.got, c.want, 1e-12) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if d.D50Count != 1 || d.Cells != 8 || d.Clonotypes != 4 {
		t.Errorf("d50 %d cells %d clonotypes %d", d.D50Count, d.Cells, d.Clonotypes)
	}
}

// scirpy's test_alpha_diversity (adata_diversity): group A one clonotype
// of 3 cells -> normalised Shannon 0, D50 100; group B four singletons ->
// 1 and 50.
func TestMeasureScirpy(t *testing.T) {
	a, b := Measure([]int{3}), Measure([]int{1, 1, 1, 1})
	if a.NormalizedShannon != 0 || a.D50Percent != 100 || b.NormalizedShannon != 1 || b.D50Percent != 50 {
		t.Errorf("A %v %v, B %v %v", a.NormalizedShannon, a.D50Percent, b.NormalizedShannon, b.D50Percent)
	}
	// one clonotype: no singletons or doubletons, Chao1 = S, se 0, interval [S, S]; Gini 0
	if a.Chao1 != 1 || a.Chao1Lower != 1 || a.Chao1Upper != 1 || a.Gini != 0 {
		t.Errorf("A chao1 %v [%v,%v] gini %v", a.Chao1, a.Chao1Lower, a.Chao1Upper, a.Gini)
	}
	if e := Measure(nil); !math.IsNaN(e.Shannon) || e.Cells != 0 {
		t.Errorf("empty: %+v", e)
	}
}

func TestRarefy(t *testing.T) {
	sizes := []int{50, 20, 10, 5, 5, 3, 2, 1, 1, 1, 1, 1}
	if full := Rarefy(sizes, 1000, 10, 1); full != Measure(sizes) {
		t.Error("rarefying to more cells than there are changes the result")
	}
	a, b := Rarefy(sizes, 30, 50, 7), Rarefy(sizes, 30, 50, 7)
	if a != b {
		t.Error("same seed, different result")
	}
	if c := Rarefy(sizes, 30, 50, 8); c == a {
		t.Error("seed ignored")
	}
	// fewer cells -> fewer clonotypes seen on average, never more than depth
	if a.Hill[0] > 30 || a.Hill[0] >= float64(len(sizes)) || a.Cells != 30 {
		t.Errorf("rarefied richness %v", a.Hill[0])
	}
}

func TestBins(t *testing.T) {
	for size, want := range map[int]string{1: "1", 2: "<=5", 5: "<=5", 6: "<=20", 20: "<=20", 21: "<=100", 100: "<=100", 101: ">100"} {
		if got := CountBin(size); got != want {
			t.Errorf("CountBin(%d) = %s, want %s", size, got, want)
		}
	}
	for f, want := range map[float64]string{1e-4: "Rare", 2e-4: "Small", 0.001: "Small", 0.005: "Medium", 0.01: "Medium", 0.05: "Large", 0.1: "Large", 0.5: "Hyperexpanded"} {
		if got := ProportionBin(f); got != want {
			t.Errorf("ProportionBin(%v) = %s, want %s", f, got, want)
		}
	}
}

// Hand-derived: a = {2,1,0}, b = {1,1,2}: Jaccard 2/3; Morisita-Horn
// 2*3 / ((5/9 + 6/16) * 3 * 4) = 36/67.
func TestOverlap(t *testing.T) {
	a, b := []int{2, 1, 0}, []int{1, 1, 2}
	if j := Jaccard(a, b); !near(j, 2.0/3, 1e-15) {
		t.Errorf("jaccard %v", j)
	}
	if m := MorisitaHorn(a, b); !near(m, 36.0/67, 1e-15) {
		t.Errorf("morisita-horn %v", m)
	}
	if m := MorisitaHorn(a, a); !near(m, 1, 1e-15) {
		t.Errorf("identical samples %v", m)
	}
}
