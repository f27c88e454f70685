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
	// Placement values (DeLong; Sun & Xu, IEEE Signal Processing Letters
	// 2014, as pROC's fast algorithm): a case's is the share of controls
	// scoring below it plus half of those tied with it, a control's the
	// share of cases scoring above it plus half of those tied. Counted with
	// binary searches in the sorted scores, O((m+n) log(m+n)). Every sum is
	// of halves, exact in float64, so the values equal the all-pairs sums.
	xs, ys := sortedCopy(x), sortedCopy(y)
	v10 := make([]float64, m)
	v01 := make([]float64, n)
	var auc float64
	// A NaN score is neither above, below nor tied with any other (its
	// pairs count 0 both ways), as in the all-pairs definition.
	for i, a := range x {
		if math.IsNaN(a) {
			continue
		}
		lt, le := countBelow(ys, a)
		v10[i] = float64(lt) + float64(le-lt)/2
		auc += v10[i]
	}
	for j, b := range y {
		if math.IsNaN(b) {
			continue
		}
		lt, le := countBelow(xs, b)
		v01[j] = float64(len(xs)-le) + float64(le-lt)/2
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
		// cases >= t, controls < t (none for a NaN threshold)
		tp := len(xs) - sort.Search(len(xs), func(i int) bool { return xs[i] >= t })
		tn := sort.Search(len(ys), func(j int) bool { return ys[j] >= t })
		if math.IsNaN(t) {
			tn = 0
		}
		r.Curve = append(r.Curve, ROCPoint{Threshold: t, Sensitivity: float64(tp) / float64(m), Specificity: float64(tn) / float64(n)})
	}
	return r, nil
}

// sortedCopy returns the non-NaN values, sorted.
func sortedCopy(v []float64) []float64 {
	s := make([]float64, 0, len(v))
	for _, a := range v {
		if !math.IsNaN(a) {
			s = append(s, a)
		}
	}
	sort.Float64s(s)
	return s
}

// countBelow returns how many of the sorted values are < a and <= a.
func countBelow(sorted []float64, a float64) (lt, le int) {
	lt = sort.Search(len(sorted), func(i int) bool { return sorted[i] >= a })
	le = sort.Search(len(sorted), func(i int) bool { return sorted[i] > a })
	return lt, le
}
