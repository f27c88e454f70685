package stats

import (
	"math"
	"slices"
	"testing"
)

// Hand-derived edge cases; R's agreement on real data is tested in package
// clinical against survival 3.5.3 output.

func TestKMTiesOfEventsAndCensorings(t *testing.T) {
	// t=1: 5 at risk, 1 event -> S = 4/5; t=2: 4 at risk, 2 events and 1
	// censoring -> S = 4/5 * 2/4 = 0.4; Greenwood sum 1/(5*4) + 2/(4*2) = 0.3.
	k, err := KaplanMeier([]float64{2, 1, 2, 3, 2}, []bool{true, true, true, false, false}, ConfLog, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Rows) != 3 || k.Rows[1].NRisk != 4 || k.Rows[1].NEvent != 2 || k.Rows[1].NCensor != 1 {
		t.Fatalf("rows %+v", k.Rows)
	}
	if !near(k.Rows[1].Surv, 0.4, 1e-15) || !near(k.Rows[1].StdErr, 0.4*math.Sqrt(0.3), 1e-14) || k.Rows[2].Surv != k.Rows[1].Surv {
		t.Errorf("t=2: %+v", k.Rows[1])
	}
	// log CI: exp(log 0.4 +- 1.959964 sqrt(0.3)).
	z := 1.959963984540054
	if !near(k.Rows[1].Lower, 0.4*math.Exp(-z*math.Sqrt(0.3)), 1e-12) || !near(k.Rows[1].Upper, math.Min(1, 0.4*math.Exp(z*math.Sqrt(0.3))), 1e-12) {
		t.Errorf("CI %v %v", k.Rows[1].Lower, k.Rows[1].Upper)
	}
	if k.Median != 2 {
		t.Errorf("median %v, want 2", k.Median)
	}
}

func TestKMMedianOnAFlat(t *testing.T) {
	// S = 0.75, 0.5, 0.25, 0: the curve sits at exactly 0.5 from t=2 to t=3,
	// so the median is the midpoint 2.5 (quantile.survfit's rule).
	k, _ := KaplanMeier([]float64{1, 2, 3, 4}, []bool{true, true, true, true}, ConfLog, 0.95)
	if k.Median != 2.5 {
		t.Errorf("median %v, want 2.5", k.Median)
	}
}

func TestKMNoEventsAndSingleSubject(t *testing.T) {
	k, _ := KaplanMeier([]float64{3, 5, 8}, []bool{false, false, false}, ConfLog, 0.95)
	for _, r := range k.Rows {
		if r.Surv != 1 || r.StdErr != 0 || r.Lower != 1 || r.Upper != 1 {
			t.Errorf("all censored row %+v", r)
		}
	}
	if !math.IsNaN(k.Median) || k.Events != 0 {
		t.Errorf("median %v, events %d: want not reached", k.Median, k.Events)
	}
	// One subject, one event: S drops to 0; its variance is undefined.
	k, _ = KaplanMeier([]float64{5}, []bool{true}, ConfLog, 0.95)
	r := k.Rows[0]
	if r.Surv != 0 || !math.IsNaN(r.Lower) || !math.IsNaN(r.Upper) || k.Median != 5 || !math.IsNaN(k.MedianLower) {
		t.Errorf("single subject %+v, median %v [%v, %v]", r, k.Median, k.MedianLower, k.MedianUpper)
	}
	if _, err := KaplanMeier(nil, nil, ConfLog, 0.95); err == nil {
		t.Error("empty input accepted")
	}
}

func TestLogRankGroupWithoutEvents(t *testing.T) {
	// A dies at 1 and 2; B is censored at 3 and 4.
	// t=1: n=4, d=1, nA=2: E_A = 1/2, V = 1*3/(16*3) * 2*2 = 1/4.
	// t=2: n=3, d=1, nA=1: E_A = 1/3, V = 1*2/(9*2) * 1*2 = 2/9.
	// chisq = (2 - 5/6)^2 / (1/4 + 2/9) = (49/36) / (17/36) = 49/17.
	lr, err := LogRankTest([]float64{1, 2, 3, 4}, []bool{true, true, false, false}, []string{"A", "A", "B", "B"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !near(lr.Chisq, 49.0/17, 1e-14) || lr.DF != 1 || !near(lr.Expected[0], 5.0/6, 1e-15) || lr.Observed[1] != 0 {
		t.Errorf("%+v", lr)
	}
	if _, err := LogRankTest([]float64{1, 2}, []bool{true, true}, []string{"A", "A"}, nil); err == nil {
		t.Error("one group accepted")
	}
}

func TestCoxEdgeCases(t *testing.T) {
	tm := []float64{1, 2, 3, 4, 5, 6}
	ev := []bool{true, true, true, true, true, true}
	// A covariate with one value.
	if _, err := CoxPH(tm, ev, [][]float64{{1}, {1}, {1}, {1}, {1}, {1}}, []string{"x"}, Efron); err == nil {
		t.Error("constant covariate accepted")
	}
	// All censored.
	if _, err := CoxPH(tm, make([]bool, 6), [][]float64{{0}, {1}, {0}, {1}, {0}, {1}}, []string{"x"}, Efron); err == nil {
		t.Error("no events accepted")
	}
	// Perfect separation: everyone with x = 1 dies before anyone with x = 0,
	// so the likelihood grows without bound as beta -> infinity. The fit
	// must not be reported as an ordinary estimate.
	// R 4.2.2 / survival 3.5.3 stops at coef 21.94155 after 20 iterations with
	// "Loglik converged before variable 1; coefficient may be infinite".
	fit, err := CoxPH(tm, ev, [][]float64{{1}, {1}, {1}, {0}, {0}, {0}}, []string{"x"}, Efron)
	if err != nil {
		t.Fatal(err)
	}
	if !fit.Terms[0].MayBeInfinite || math.Abs(fit.Terms[0].Coef-21.94155) > 1e-5 {
		t.Errorf("separation: %+v, want coef 21.94155 flagged as possibly infinite", fit.Terms[0])
	}
	// One binary covariate, no ties: single-iteration score test by hand.
	// Subjects: (t, x) = (1,1) (2,0) (3,1) (4,0). At beta = 0 the score is
	// sum over deaths of x - mean(x in risk set) = (1-1/2) + (0-1/3) + (1-1/2) + 0 = 2/3,
	// information sum p(1-p) = 1/4 + 2/9 + 1/4 + 0 = 13/18; score test = (2/3)^2 / (13/18) = 8/13.
	fit, err = CoxPH([]float64{1, 2, 3, 4}, []bool{true, true, true, true}, [][]float64{{1}, {0}, {1}, {0}}, []string{"x"}, Efron)
	if err != nil {
		t.Fatal(err)
	}
	if !near(fit.Score.Stat, 8.0/13, 1e-12) {
		t.Errorf("score test %v, want 8/13", fit.Score.Stat)
	}
}

func TestConcordanceByHand(t *testing.T) {
	// Times 1..4 all events, risk 4,3,2,1: every comparable pair concordant.
	if c := Concordance([]float64{1, 2, 3, 4}, []bool{true, true, true, true}, []float64{4, 3, 2, 1}); c != 1 {
		t.Errorf("C = %v, want 1", c)
	}
	// Reverse order: 0. Tied risks everywhere: 0.5.
	if c := Concordance([]float64{1, 2, 3, 4}, []bool{true, true, true, true}, []float64{1, 2, 3, 4}); c != 0 {
		t.Errorf("C = %v, want 0", c)
	}
	if c := Concordance([]float64{1, 2, 3}, []bool{true, true, false}, []float64{1, 1, 1}); c != 0.5 {
		t.Errorf("C = %v, want 0.5", c)
	}
}

// TestSortLevels: levels that are all numbers in numeric order, as R orders
// the factor of a column it read as numbers (R 4.2.2:
// levels(factor(c(10, 2, 1))) is "1" "2" "10"; levels(factor(c(-1, 0.5,
// 1e1))) is "-1" "0.5" "10"); the same number written two ways keeps byte
// order whatever the input order (R would merge them; lsc keeps the groups
// apart, in an order that does not depend on the input's); anything else
// as strings.
func TestSortLevels(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{[]string{"10", "2", "1"}, []string{"1", "2", "10"}},
		{[]string{"1.0", "2", "1"}, []string{"1", "1.0", "2"}},
		{[]string{"1", "2", "1.0"}, []string{"1", "1.0", "2"}},
		{[]string{"-1", "0.5", "1e1"}, []string{"-1", "0.5", "1e1"}},
		{[]string{"b", "10", "A"}, []string{"10", "A", "b"}},
	} {
		got := append([]string(nil), c.in...)
		SortLevels(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("SortLevels(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
