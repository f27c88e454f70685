package stats

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// readTSV reads a headed table of numbers ("Inf" allowed).
func readTSV(t *testing.T, path string) (map[string]int, [][]float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	col := map[string]int{}
	for i, h := range strings.Split(sc.Text(), "\t") {
		col[h] = i
	}
	var rows [][]float64
	for sc.Scan() {
		var r []float64
		for _, v := range strings.Split(sc.Text(), "\t") {
			x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			r = append(r, x)
		}
		rows = append(rows, r)
	}
	return col, rows
}

func relClose(a, b, tol float64) bool {
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))
}

// Expected values: R 4.2.2 trigamma, psigamma(x, 2) and limma 3.54.1
// trigammaInverse (testdata/README.md).
func TestTrigamma(t *testing.T) {
	c, rows := readTSV(t, "testdata/trigamma.tsv")
	for _, r := range rows {
		x := r[c["x"]]
		if got := Trigamma(x); !relClose(got, r[c["trigamma"]], 1e-13) {
			t.Errorf("trigamma(%g) = %.17g, R %.17g", x, got, r[c["trigamma"]])
		}
		if x >= 0.01 {
			if got := tetragamma(x); !relClose(got, r[c["psigamma2"]], 1e-12) {
				t.Errorf("psigamma(%g, 2) = %.17g, R %.17g", x, got, r[c["psigamma2"]])
			}
		}
		if got := TrigammaInverse(x); !relClose(got, r[c["trigammaInverse"]], 1e-9) {
			t.Errorf("trigammaInverse(%g) = %.17g, limma %.17g", x, got, r[c["trigammaInverse"]])
		}
	}
}

// Expected values: limma 3.54.1 squeezeVar (testdata/README.md), one case
// with a finite and one with an infinite prior df.
func TestSqueezeVar(t *testing.T) {
	for path, in := range map[string]struct {
		v  []float64
		df float64
	}{
		"testdata/squeeze.tsv":     {[]float64{0.02, 0.05, 0.011, 0.3, 0.07, 0.09, 0.04}, 3},
		"testdata/squeeze_inf.tsv": {[]float64{1, 1.01, 0.99, 1.02}, 10},
	} {
		c, rows := readTSV(t, path)
		sq, err := SqueezeVar(in.v, in.df)
		if err != nil {
			t.Fatal(err)
		}
		if !relClose(sq.DFPrior, rows[0][c["df_prior"]], 1e-9) || !relClose(sq.VarPrior, rows[0][c["var_prior"]], 1e-9) {
			t.Errorf("%s: prior %v %v, limma %v %v", path, sq.DFPrior, sq.VarPrior, rows[0][c["df_prior"]], rows[0][c["var_prior"]])
		}
		for i, r := range rows {
			if !relClose(sq.VarPost[i], r[c["var_post"]], 1e-9) {
				t.Errorf("%s: var.post[%d] %v, limma %v", path, i, sq.VarPost[i], r[c["var_post"]])
			}
		}
	}
	if _, err := SqueezeVar([]float64{1, 2}, 0); err == nil {
		t.Error("zero residual df accepted")
	}
}

// Hand-derived: t = 3/sqrt(13) with 4 df has two-sided p = 1 - 261/(61
// sqrt(61)) (I_x(2, 1/2) = 1 - 3s/2 + s^3/2, s = |t|/sqrt(4+t^2) =
// 3/sqrt(61)); F(1, d) upper tail equals the two-sided t p for F = t^2.
func TestTFTails(t *testing.T) {
	tt := 3 / math.Sqrt(13)
	want := 1 - 261/(61*math.Sqrt(61))
	if got := TTwoSided(tt, 4); !relClose(got, want, 1e-13) {
		t.Errorf("t tail %.17g, hand %.17g", got, want)
	}
	if got := FUpper(tt*tt, 1, 4); !relClose(got, want, 1e-12) {
		t.Errorf("F tail %.17g, hand %.17g", got, want)
	}
	// chi-squared limit: P(chi2_2 > 2x) = exp(-x)
	if got := FUpper(1.5, 2, math.Inf(1)); !relClose(got, math.Exp(-1.5), 1e-13) {
		t.Errorf("F(2, Inf) tail %v", got)
	}
}

// Expected values: R 4.2.2 wilcox.test(x, y, paired = TRUE) (printed V and
// p) and one exact case by hand.
func TestSignedRank(t *testing.T) {
	cases := []struct {
		x, y  []float64
		v, p  float64
		exact bool
	}{
		// exact, n = 9 (R: V = 40, p = 0.0390625)
		{[]float64{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30}, []float64{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29}, 40, 0.0390625, true},
		// ties and a zero: normal approximation (R: V = 19.5, p = 0.073139799658908933)
		{[]float64{1, 2, 3, 4, 5, 6}, []float64{2, 1, 1, 2, 1, 3}, 19.5, 0.073139799658908933, false},
		// differences 0.4, -0.10000000000000003, 0.1 do not tie in floating point: exact
		// (R: V = 4, p = 0.74999999999999956)
		{[]float64{0.5, 0.3, 0.2}, []float64{0.1, 0.4, 0.1}, 4, 0.74999999999999956, true},
		// exact by hand: differences 1, -2, 3 -> V = 4; of the 8 sign patterns 3 have V >= 4 -> p = 2*3/8
		{[]float64{2, 0, 6}, []float64{1, 2, 3}, 4, 0.75, true},
	}
	for i, c := range cases {
		r, err := SignedRankTest(c.x, c.y)
		if err != nil {
			t.Fatal(err)
		}
		if r.V != c.v || r.Exact != c.exact || !relClose(r.P, c.p, 1e-12) {
			t.Errorf("case %d: %+v, want V %v p %v exact %v", i, r, c.v, c.p, c.exact)
		}
	}
	if _, err := SignedRankTest([]float64{1}, []float64{1}); err == nil {
		t.Error("all-zero differences accepted")
	}
}

// Expected values: limma 3.54.1 squeezeVar(var, df, robust = TRUE)
// (testdata/README.md): a case solved by the Brent root (robust prior df
// 3.14 against 2.49 without), a case with an infinite robust prior df and
// an outlier shrunk on its own, and a small case.
func TestSqueezeVarRobust(t *testing.T) {
	for _, c := range []struct {
		path string
		df   float64
	}{{"testdata/squeeze_robust_root.tsv", 4}, {"testdata/squeeze_robust_inf.tsv", 4}, {"testdata/squeeze_robust_small.tsv", 3}} {
		col, rows := readTSV(t, c.path)
		var v []float64
		for _, r := range rows {
			v = append(v, r[col["var"]])
		}
		sq, d0, err := SqueezeVarRobust(v, c.df)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			if !relClose(d0[i], r[col["df_prior"]], 1e-9) || !relClose(sq.VarPost[i], r[col["var_post"]], 1e-9) || !relClose(sq.VarPrior, r[col["var_prior"]], 1e-9) {
				t.Errorf("%s row %d: df.prior %.17g var.post %.17g var.prior %.17g; limma %v", c.path, i, d0[i], sq.VarPost[i], sq.VarPrior, r)
			}
		}
	}
}
