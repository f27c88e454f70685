// Package stemcell calls stem-like leukemia cells from signature scores and
// measures their burden: one threshold fitted once per study and applied to
// every sample (a per-sample cut would hide expansion), the stem-like
// fraction per sample with its Wilson interval and risk band, each
// patient's change from diagnosis to relapse with a seeded bootstrap
// interval and a two-proportion test, and the cohort comparison of
// diagnosis fractions between patients who relapse and those who do not.
//
// Thresholds and their sources:
//   - fixed: a given cut, e.g. 0.25 on AddModuleScore scores (Costea et al.,
//     Nat Commun 2025, T-ALL stem cell score).
//   - jenks: Jenks natural breaks with two classes (Jenks 1967; Costea et al.
//     found 0.25 this way): the split of the sorted pooled scores that
//     minimises the within-class sum of squared deviations, computed exactly
//     with prefix sums; the threshold is the smallest score of the upper
//     class.
//   - mixture: a two-component Gaussian mixture fitted by EM (Dempster,
//     Laird & Rubin 1977), started from the Jenks split; the threshold is
//     where the upper component's posterior probability reaches 1/2, between
//     the two means.
//   - reference: a quantile (default 0.99, R's type 7) of the scores of a
//     reference population, e.g. normal or mature cells.
//
// Cells are stem-like when score >= threshold. Risk bands default to < 5 %,
// 5-15 % and > 15 % stem-like (Costea et al.).
package stemcell

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/lsc-bio/lsc/stats"
)

// Threshold is a fitted cut.
type Threshold struct {
	Method string
	Value  float64
	Detail string // how it was fitted
}

// ErrTooFew reports too few scores to fit a threshold.
var ErrTooFew = errors.New("stemcell: need at least two distinct scores to fit a threshold")

// Jenks returns the two-class natural-breaks threshold of v.
func Jenks(v []float64) (Threshold, error) {
	s := finite(v)
	sort.Float64s(s)
	n := len(s)
	if n < 2 || s[0] == s[n-1] {
		return Threshold{}, ErrTooFew
	}
	pre, pre2 := make([]float64, n+1), make([]float64, n+1)
	for i, x := range s {
		pre[i+1] = pre[i] + x
		pre2[i+1] = pre2[i] + x*x
	}
	ssd := func(a, b int) float64 { // [a, b)
		m := float64(b - a)
		sum := pre[b] - pre[a]
		return pre2[b] - pre2[a] - sum*sum/m
	}
	best, at := math.Inf(1), -1
	for k := 1; k < n; k++ {
		if s[k] == s[k-1] {
			continue // a break between equal values is no break
		}
		if c := ssd(0, k) + ssd(k, n); c < best {
			best, at = c, k
		}
	}
	return Threshold{Method: "jenks", Value: s[at], Detail: fmt.Sprintf("2-class natural breaks on %d pooled scores: lower class up to %.6g, upper from %.6g", n, s[at-1], s[at])}, nil
}

// Mixture fits a two-component Gaussian mixture and returns the score at
// which the upper component becomes the more probable one.
func Mixture(v []float64) (Threshold, error) {
	j, err := Jenks(v)
	if err != nil {
		return Threshold{}, err
	}
	s := finite(v)
	// Start from the Jenks split.
	var w [2]float64
	var mu, va [2]float64
	for _, x := range s {
		k := 0
		if x >= j.Value {
			k = 1
		}
		w[k]++
		mu[k] += x
	}
	for k := range mu {
		mu[k] /= w[k]
	}
	for _, x := range s {
		k := 0
		if x >= j.Value {
			k = 1
		}
		va[k] += (x - mu[k]) * (x - mu[k])
	}
	floor := 1e-12 * (1 + variance(s))
	for k := range va {
		va[k] = math.Max(va[k]/w[k], floor)
		w[k] /= float64(len(s))
	}
	resp := make([]float64, len(s))
	prev := math.Inf(-1)
	iter := 0
	for ; iter < 1000; iter++ {
		var ll float64
		for i, x := range s {
			p0 := w[0] * normPDF(x, mu[0], va[0])
			p1 := w[1] * normPDF(x, mu[1], va[1])
			t := p0 + p1
			if t == 0 {
				resp[i] = 0.5
				if x > (mu[0]+mu[1])/2 {
					resp[i] = 1
				} else {
					resp[i] = 0
				}
				continue
			}
			resp[i] = p1 / t
			ll += math.Log(t)
		}
		var r1, m1, m0 float64
		for i, x := range s {
			r1 += resp[i]
			m1 += resp[i] * x
			m0 += (1 - resp[i]) * x
		}
		r0 := float64(len(s)) - r1
		if r1 < 1e-9 || r0 < 1e-9 {
			return Threshold{}, errors.New("stemcell: the mixture collapsed to one component; use jenks or a fixed threshold")
		}
		mu[0], mu[1] = m0/r0, m1/r1
		var v0, v1 float64
		for i, x := range s {
			v1 += resp[i] * (x - mu[1]) * (x - mu[1])
			v0 += (1 - resp[i]) * (x - mu[0]) * (x - mu[0])
		}
		va[0], va[1] = math.Max(v0/r0, floor), math.Max(v1/r1, floor)
		w[0], w[1] = r0/float64(len(s)), r1/float64(len(s))
		if math.Abs(ll-prev) <= 1e-10*math.Abs(ll) {
			break
		}
		prev = ll
	}
	if mu[0] > mu[1] {
		mu[0], mu[1], va[0], va[1], w[0], w[1] = mu[1], mu[0], va[1], va[0], w[1], w[0]
	}
	// Solve w0 N(x; mu0, v0) = w1 N(x; mu1, v1) between the means (bisection
	// on the log ratio, which changes sign there).
	f := func(x float64) float64 {
		return math.Log(w[1]) - 0.5*math.Log(va[1]) - (x-mu[1])*(x-mu[1])/(2*va[1]) -
			(math.Log(w[0]) - 0.5*math.Log(va[0]) - (x-mu[0])*(x-mu[0])/(2*va[0]))
	}
	lo, hi := mu[0], mu[1]
	if f(lo) > 0 || f(hi) < 0 {
		return Threshold{}, errors.New("stemcell: the mixture components do not cross between their means; use jenks or a fixed threshold")
	}
	for i := 0; i < 200; i++ {
		mid := (lo + hi) / 2
		if f(mid) < 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	x := (lo + hi) / 2
	return Threshold{Method: "mixture", Value: x, Detail: fmt.Sprintf("2-component Gaussian mixture (EM, %d iterations): means %.4g / %.4g, sd %.4g / %.4g, weights %.3g / %.3g",
		iter+1, mu[0], mu[1], math.Sqrt(va[0]), math.Sqrt(va[1]), w[0], w[1])}, nil
}

// Reference returns the q quantile (R type 7) of reference scores.
func Reference(ref []float64, q float64) (Threshold, error) {
	s := finite(ref)
	if len(s) == 0 {
		return Threshold{}, errors.New("stemcell: no reference cells to take a quantile of")
	}
	if !(q > 0 && q < 1) {
		return Threshold{}, errors.New("stemcell: the reference quantile must be between 0 and 1")
	}
	sort.Float64s(s)
	return Threshold{Method: "reference", Value: stats.Quantile7(s, q), Detail: fmt.Sprintf("%g quantile of %d reference cells", q, len(s))}, nil
}

func finite(v []float64) []float64 {
	out := make([]float64, 0, len(v))
	for _, x := range v {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			out = append(out, x)
		}
	}
	return out
}

func variance(s []float64) float64 {
	var m float64
	for _, x := range s {
		m += x
	}
	m /= float64(len(s))
	var v float64
	for _, x := range s {
		v += (x - m) * (x - m)
	}
	return v / float64(len(s))
}

func normPDF(x, mu, v float64) float64 {
	return math.Exp(-(x-mu)*(x-mu)/(2*v)) / math.Sqrt(2*math.Pi*v)
}
