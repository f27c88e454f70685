package stats

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// Kaplan-Meier as R's survival::survfit (survival 3.5): Greenwood variance,
// confidence intervals on the log (default), log-log or plain scale, and
// medians by quantile.survfit's rules.

// ConfType is the scale of a survival confidence interval.
type ConfType string

const (
	ConfLog    ConfType = "log"
	ConfLogLog ConfType = "log-log"
	ConfPlain  ConfType = "plain"
)

// KMRow is one row of a Kaplan-Meier table: one distinct time (event or
// censoring), as survfit and summary(fit, censored = TRUE) print it.
type KMRow struct {
	Time    float64
	NRisk   int
	NEvent  int
	NCensor int
	Surv    float64
	StdErr  float64 // standard error of Surv (Greenwood), as summary.survfit
	Lower   float64 // NaN where undefined (R's NA)
	Upper   float64
}

// KM is a Kaplan-Meier estimate for one group.
type KM struct {
	N, Events   int
	Rows        []KMRow
	Median      float64 // NaN when not reached
	MedianLower float64
	MedianUpper float64
}

// ErrNoSubjects reports an empty group.
var ErrNoSubjects = errors.New("stats: no subjects")

// KaplanMeier estimates survival from times and event flags (true = event).
func KaplanMeier(time []float64, event []bool, conf ConfType, level float64) (*KM, error) {
	n := len(time)
	if n == 0 || len(event) != n {
		return nil, ErrNoSubjects
	}
	if _, err := ParseConfType(string(conf)); err != nil {
		return nil, err
	}
	if !(level > 0 && level < 1) {
		return nil, fmt.Errorf("%w confidence level %g: use a value between 0 and 1", ErrOption, level)
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return time[idx[a]] < time[idx[b]] })
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	km := &KM{N: n}
	s, varsum := 1.0, 0.0
	atRisk := n
	for i := 0; i < n; {
		t := time[idx[i]]
		d, c := 0, 0
		for i < n && time[idx[i]] == t {
			if event[idx[i]] {
				d++
			} else {
				c++
			}
			i++
		}
		km.Events += d
		if d > 0 {
			s *= float64(atRisk-d) / float64(atRisk)
			if atRisk > d {
				varsum += float64(d) / (float64(atRisk) * float64(atRisk-d))
			} else {
				varsum = math.Inf(1)
			}
		}
		row := KMRow{Time: t, NRisk: atRisk, NEvent: d, NCensor: c, Surv: s}
		se := math.Sqrt(varsum) // standard error of the cumulative hazard (log S)
		row.StdErr = se * s
		row.Lower, row.Upper = confBand(s, se, z, conf)
		km.Rows = append(km.Rows, row)
		atRisk -= d + c
	}
	km.Median, km.MedianLower, km.MedianUpper = medians(km.Rows)
	return km, nil
}

func confBand(s, se, z float64, conf ConfType) (lo, hi float64) {
	if se == 0 {
		return s, s
	}
	if s == 0 || math.IsInf(se, 1) || math.IsNaN(se) {
		return math.NaN(), math.NaN()
	}
	switch conf {
	case ConfLogLog:
		ls := math.Log(s)
		w := z * se / ls
		return math.Exp(-math.Exp(math.Log(-ls) - w)), math.Exp(-math.Exp(math.Log(-ls) + w))
	case ConfPlain:
		return math.Max(0, s-z*se*s), math.Min(1, s+z*se*s)
	default:
		return math.Exp(math.Log(s) - z*se), math.Min(1, math.Exp(math.Log(s)+z*se))
	}
}

// medians applies quantile.survfit's rule for p = 0.5 to the survival curve
// and to its lower and upper confidence curves.
func medians(rows []KMRow) (m, lo, hi float64) {
	x := make([]float64, len(rows)+1)
	ys, yl, yu := make([]float64, len(rows)+1), make([]float64, len(rows)+1), make([]float64, len(rows)+1)
	for i, r := range rows {
		x[i+1] = r.Time
		ys[i+1], yl[i+1], yu[i+1] = 1-r.Surv, 1-r.Lower, 1-r.Upper
	}
	return findq(x, ys, 0.5), findq(x, yl, 0.5), findq(x, yu, 0.5)
}

// findq finds where the cumulative curve y(x) (non-decreasing, starting at
// 0) reaches p, taking the midpoint of a flat stretch lying at p within
// tolerance sqrt(machine epsilon), as survival's findq.
func findq(x, y []float64, p float64) float64 {
	const tol = 1.4901161193847656e-08
	xmax := x[len(x)-1]
	// Drop NaN and repeated values (censoring times), keeping the first.
	var xs, yv []float64
	seen := map[float64]bool{}
	hasMax := false
	for i := range y {
		if math.IsNaN(y[i]) {
			continue
		}
		if !seen[y[i]] {
			seen[y[i]] = true
			xs, yv = append(xs, x[i]), append(yv, y[i])
		}
		hasMax = true
	}
	if !hasMax {
		return math.NaN()
	}
	maxY := math.Inf(-1)
	for _, v := range yv {
		maxY = math.Max(maxY, v)
	}
	if maxY < p {
		return math.NaN()
	}
	first := func(shift float64) int {
		for i, v := range yv {
			if v+shift >= p {
				return i
			}
		}
		return -1
	}
	i1, i2 := first(tol), first(-tol)
	if i1 < 0 {
		return math.NaN()
	}
	last := y[len(y)-1]
	if !math.IsNaN(last) && math.Abs(p-last) < tol {
		return (xs[i1] + xmax) / 2
	}
	if i2 < 0 {
		return math.NaN()
	}
	return (xs[i1] + xs[i2]) / 2
}

// AtRisk returns the number at risk just before each of the given times
// (R: summary(fit, times = t)$n.risk).
func (k *KM) AtRisk(times []float64) []int {
	out := make([]int, len(times))
	for j, t := range times {
		n := 0
		for _, r := range k.Rows {
			if r.Time >= t {
				n = r.NRisk
				break
			}
		}
		out[j] = n
	}
	return out
}

// SurvivalAt returns S(t), the estimate at the last row with Time <= t.
func (k *KM) SurvivalAt(t float64) float64 {
	s := 1.0
	for _, r := range k.Rows {
		if r.Time > t {
			break
		}
		s = r.Surv
	}
	return s
}
