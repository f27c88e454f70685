package twin

import (
	"math"
	"testing"
)

// A known curve: linear rise from 0 on day 0 to 1000 on day 7, then
// C(t) = 1000 e^{-0.1 (t-7)}. Linear-up log-down trapezoids are exact on
// both parts, so AUC0-T = 3500 + 10000 (1 - e^{-0.1 (T-7)}) by hand, and the
// terminal fit recovers lambda_z = 0.1 exactly (R^2 = 1 for every n, so the
// largest n wins).
func knownCurve(days ...float64) []CARTSample {
	var s []CARTSample
	for _, d := range days {
		x := CARTSample{Day: d, LLOQ: 1}
		switch {
		case d == 0:
			x.BLQ, x.Value = true, math.NaN()
		case d <= 7:
			x.Value = 1000 * d / 7
		default:
			x.Value = 1000 * math.Exp(-0.1*(d-7))
		}
		s = append(s, x)
	}
	return s
}

func TestNCAKnownCurve(t *testing.T) {
	auc := func(T float64) float64 { return 3500 + 10000*(1-math.Exp(-0.1*(T-7))) }
	near := func(got, want float64) bool { return math.Abs(got-want) <= 1e-9*math.Abs(want) }
	cases := []struct {
		name   string
		s      []CARTSample
		auc90  float64
		hlN    int
		tlast  float64
		blqMid bool
	}{
		{"full", knownCurve(0, 7, 14, 21, 28, 42, 56, 90), auc(90), 6, 90, false},
		{"no day-28 sample: log interpolation", knownCurve(0, 7, 14, 21, 42, 56, 90), auc(90), 5, 90, false},
		{"no day-0 sample: C(0) = 0", knownCurve(7, 14, 21, 28, 42, 56, 90), auc(90), 6, 90, false},
	}
	for _, c := range cases {
		n := ComputeNCA(c.s)
		if n.Cmax != 1000 || n.Tmax != 7 || n.Tlast != c.tlast || !near(n.Clast, 1000*math.Exp(-0.1*(c.tlast-7))) {
			t.Errorf("%s: Cmax %v Tmax %v Clast %v Tlast %v", c.name, n.Cmax, n.Tmax, n.Clast, n.Tlast)
		}
		if !near(n.AUC28, auc(28)) || !near(n.AUC90, c.auc90) {
			t.Errorf("%s: AUC0-28 %v (want %v), AUC0-90 %v (want %v)", c.name, n.AUC28, auc(28), n.AUC90, c.auc90)
		}
		if !near(n.LambdaZ, 0.1) || !near(n.HalfLife, math.Ln2/0.1) || n.HalfLifePoints != c.hlN || !near(n.AdjR2, 1) {
			t.Errorf("%s: lambda_z %v half-life %v points %d adjR2 %v", c.name, n.LambdaZ, n.HalfLife, n.HalfLifePoints, n.AdjR2)
		}
	}
}

// BLQ rules: a BLQ between measurable samples is dropped (the log
// trapezoid bridges it, exact for the exponential); a BLQ after the last
// measurable sample counts as 0 (linear down to it); a course ending
// before day 90 has no AUC0-90.
func TestNCABLQRules(t *testing.T) {
	s := knownCurve(0, 7, 14, 21, 28, 42, 56, 90)
	s[3].BLQ, s[3].Value = true, math.NaN() // day 21
	s = append(s, CARTSample{Day: 120, BLQ: true, LLOQ: 1, Value: math.NaN()})
	n := ComputeNCA(s)
	want28 := 3500 + 10000*(1-math.Exp(-2.1))
	if math.Abs(n.AUC28-want28) > 1e-9*want28 {
		t.Errorf("AUC0-28 with a middle BLQ: %v, want %v", n.AUC28, want28)
	}
	want90 := 3500 + 10000*(1-math.Exp(-8.3))
	if math.Abs(n.AUC90-want90) > 1e-9*want90 || n.Tlast != 90 {
		t.Errorf("AUC0-90 %v (want %v), Tlast %v", n.AUC90, want90, n.Tlast)
	}
	short := ComputeNCA(knownCurve(0, 7, 14, 28, 60))
	if !math.IsNaN(short.AUC90) || math.IsNaN(short.AUC28) {
		t.Errorf("course to day 60: AUC0-90 %v must be NaN, AUC0-28 %v a number", short.AUC90, short.AUC28)
	}
	// Linear up between two rising samples: trapezoid (0+500)/2*3.5 + ...
	up := ComputeNCA([]CARTSample{{Day: 0, Value: 0, BLQ: true, LLOQ: 1}, {Day: 2, Value: 100}, {Day: 4, Value: 300}, {Day: 30, Value: 300}})
	if want := 100.0 + 400 + 300*26 - 300*2; math.Abs(up.AUC28-want) > 1e-9 {
		t.Errorf("linear-up AUC0-28 %v, want %v", up.AUC28, want)
	}
	if none := ComputeNCA([]CARTSample{{Day: 1, BLQ: true, LLOQ: 5, Value: math.NaN()}}); !math.IsNaN(none.Cmax) || none.Note == "" {
		t.Errorf("all BLQ: %+v", none)
	}
}
