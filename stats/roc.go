package stats

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// ROC curves and the DeLong interval for the AUC, as R's pROC (1.18,
// roc(..., direction = "<") and ci.auc(method = "delong")): the AUC is the
// Mann-Whitney probability that a case scores higher than a control (ties
// count one half); its variance is DeLong, DeLong & Clarke-Pearson
// (Biometrics 1988): var = S10/m + S01/n from the placement values.

// ROCPoint is one threshold of a ROC curve.
type ROCPoint struct {
	Threshold   float64 // classify as case when score >= Threshold
	Sensitivity float64
	Specificity float64
}

// ROC is a ROC analysis of a score against a binary outcome.
type ROC struct {
	Cases, Controls int
	AUC             float64
	SE              float64 // DeLong
	CI              Interval
	Curve           []ROCPoint // thresholds from +Inf down to -Inf
}

// ROCCurve analyses scores of cases (outcome true) and controls, higher
// scores meaning "case" (pROC direction "<").
func ROCCurve(score []float64, isCase []bool, level float64) (*ROC, error) {
	var x, y []float64 // cases, controls
	for i, s := range score {
		if isCase[i] {
			x = append(x, s)
		} else {
			y = append(y, s)
		}
	}
	m, n := len(x), len(y)
	if m == 0 || n == 0 {
		return nil, ErrSample
	}
	// Placement values by binary search in the sorted scores: v10[i] is
	// the share of controls below case i (ties one half), v01[j] the share
	// of cases above control j. Counts are integers and halves, so the sums
	// are exact whatever their order.
	xs, ys := sortedCopy(x), sortedCopy(y)
	v10 := make([]float64, m)
	v01 := make([]float64, n)
	var auc float64
	for i, a := range x {
		below, ties := countBelowEqual(ys, a)
		v10[i] = float64(below) + 0.5*float64(ties)
		auc += v10[i]
	}
	for j, b := range y {
		below, ties := countBelowEqual(xs, b)
		v01[j] = float64(m-below-ties) + 0.5*float64(ties)
	}
	auc /= float64(m * n)
	for i := range v10 {
		v10[i] /= float64(n)
	}
	for j := range v01 {
		v01[j] /= float64(m)
	}
	variance := func(v []float64, mean float64) float64 {
		if len(v) < 2 {
			return 0
		}
		var s float64
		for _, a := range v {
			s += (a - mean) * (a - mean)
		}
		return s / float64(len(v)-1)
	}
	se := math.Sqrt(variance(v10, auc)/float64(m) + variance(v01, auc)/float64(n))
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	r := &ROC{Cases: m, Controls: n, AUC: auc, SE: se,
		CI: Interval{Lower: math.Max(0, auc-z*se), Upper: math.Min(1, auc+z*se)}}
	// Curve: thresholds between distinct scores.
	u := append(append([]float64(nil), x...), y...)
	sort.Float64s(u)
	var th []float64
	th = append(th, math.Inf(1))
	for i := len(u) - 1; i >= 0; i-- {
		if i == len(u)-1 || u[i] != u[i+1] {
			th = append(th, u[i])
		}
	}
	th = append(th, math.Inf(-1))
	for _, t := range th {
		xb, _ := countBelowEqual(xs, t)
		yb, _ := countBelowEqual(ys, t)
		tp, tn := float64(m-xb), float64(yb) // cases >= t, controls < t
		r.Curve = append(r.Curve, ROCPoint{Threshold: t, Sensitivity: tp / float64(m), Specificity: tn / float64(n)})
	}
	return r, nil
}

func sortedCopy(v []float64) []float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s
}

// countBelowEqual returns how many values of the sorted s are < v and how
// many == v.
func countBelowEqual(s []float64, v float64) (below, equal int) {
	below = sort.SearchFloat64s(s, v)
	upTo := sort.Search(len(s), func(i int) bool { return s[i] > v })
	return below, upTo - below
}
