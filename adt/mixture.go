package adt

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/lsc-bio/lsc/stats"
)

// Mixture is a univariate Gaussian mixture fitted by EM as mclust's Mclust
// does for one-dimensional data (Scrucca et al. 2016; mclust 6.0/6.1,
// functions mclustBIC, qclass, meE/meV and their Fortran me1e/me1v).
type Mixture struct {
	Model      string    // "E" (equal variances) or "V" (unequal)
	Mean       []float64 // per component, in mclust's order (component 1 starts on the lowest values)
	Var        []float64 // per component (equal for "E")
	Pro        []float64 // mixing proportions
	Loglik     float64
	BIC        float64 // 2 loglik - parameters log(n), mclust's sign
	Iterations int
}

// ErrMixture is wrapped when no mixture can be fitted.
var ErrMixture = errors.New("no Gaussian mixture could be fitted")

const (
	flmax  = math.MaxFloat64
	emTol  = 1e-5 // mclust emControl()$tol[1]
	smalog = -708.0
	pi2log = 1.837877066409345 // log(2 pi), as mclust's Fortran
)

var machEps = math.Nextafter(1, 2) - 1 // .Machine$double.eps

// FitMixture fits a g-component mixture to x for each model name ("E", "V";
// both when models is empty, as Mclust's default for univariate data) from
// mclust's quantile initialisation (qclass), and returns the one with the
// highest BIC (ties to "E", as mclust's pickBIC). Unlike Mclust on more
// than 2,000 values, no random subset is drawn for the initialisation:
// the whole vector is used (R: mclust.options(subset = Inf) gives the same).
func FitMixture(x []float64, g int, models ...string) (*Mixture, error) {
	if len(models) == 0 {
		models = []string{"E", "V"}
	}
	if g < 2 {
		return nil, fmt.Errorf("%w: need 2 or more components, got %d", ErrMixture, g)
	}
	if len(x) <= g {
		return nil, fmt.Errorf("%w: %d values for %d components", ErrMixture, len(x), g)
	}
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: a value is %v", ErrMixture, v)
		}
	}
	cl, err := qclass(x, g)
	if err != nil {
		return nil, err
	}
	var best *Mixture
	var bestZ [][]float64
	for _, m := range []string{"E", "V"} {
		if !contains(models, m) {
			continue
		}
		z := unmap(cl, len(x), g)
		fit, ok := emFit(x, z, g, m == "V")
		if !ok {
			continue
		}
		fit.Model = m
		if best == nil || fit.BIC > best.BIC {
			best, bestZ = fit, z
		}
	}
	for _, m := range models {
		if m != "E" && m != "V" {
			return nil, fmt.Errorf("%w: unknown model %q (E or V)", ErrMixture, m)
		}
	}
	if best == nil {
		return nil, fmt.Errorf("%w: every model collapsed (a variance or a proportion fell to zero)", ErrMixture)
	}
	// summaryMclustBIC: an extra M-step when the proportions and the mean
	// posteriors disagree by more than sqrt(eps) (sum of squares).
	var d float64
	for k := 0; k < g; k++ {
		var s float64
		for i := range x {
			s += bestZ[i][k]
		}
		d += (best.Pro[k] - s/float64(len(x))) * (best.Pro[k] - s/float64(len(x)))
	}
	if d > math.Sqrt(machEps) {
		mstep(x, bestZ, g, best.Model == "V", best)
	}
	return best, nil
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// qclass is mclust's quantile classification: k classes cut at the
// quantiles (R type 7) of x, widening the grid until k+1 distinct cut
// points exist and dropping those closest together.
func qclass(x []float64, k int) ([]int, error) {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	distinct := 1
	for i := 1; i < len(s); i++ {
		if s[i] != s[i-1] {
			distinct++
		}
	}
	if distinct < k+1 {
		return nil, fmt.Errorf("%w: %d distinct values for %d components", ErrMixture, distinct, k)
	}
	eps := sdR(x) * math.Sqrt(machEps)
	var q []float64
	for n := k + 1; len(q) < k+1; n++ {
		q = q[:0]
		for i := 0; i < n; i++ {
			var p float64
			switch {
			case i == 0:
				p = 0
			case i == n-1:
				p = 1
			default:
				p = float64(i) * (1 / float64(n-1)) // R's seq(0, 1, length = n)
			}
			v := stats.Quantile7(s, p)
			dup := false
			for _, u := range q {
				if u == v {
					dup = true
					break
				}
			}
			if !dup {
				q = append(q, v)
			}
		}
	}
	if len(q) > k+1 {
		dq := make([]int, len(q)-1)
		for i := range dq {
			dq[i] = i
		}
		sort.SliceStable(dq, func(a, b int) bool { return q[dq[a]+1]-q[dq[a]] < q[dq[b]+1]-q[dq[b]] })
		drop := map[int]bool{}
		for _, i := range dq[:len(q)-k-1] {
			drop[i] = true
		}
		var kept []float64
		for i, v := range q {
			if !drop[i] {
				kept = append(kept, v)
			}
		}
		q = kept
	}
	q[0] = s[0] - eps
	q[len(q)-1] = s[len(s)-1] + eps
	cl := make([]int, len(x))
	for j, v := range x {
		cl[j] = -1
		for i := 0; i < k; i++ {
			if v >= q[i] && v < q[i+1] {
				cl[j] = i
			}
		}
		if cl[j] < 0 {
			return nil, fmt.Errorf("%w: value %v outside the quantile classes", ErrMixture, v)
		}
	}
	return cl, nil
}

// sdR is R's sd (n - 1 denominator).
func sdR(x []float64) float64 {
	var m float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	return math.Sqrt(ss / float64(len(x)-1))
}

func unmap(cl []int, n, g int) [][]float64 {
	z := make([][]float64, n)
	for i := range z {
		z[i] = make([]float64, g)
		z[i][cl[i]] = 1
	}
	return z
}

// emFit runs mclust's me1e / me1v: M-step, E-step (log-sum-exp), until
// the relative change of the log-likelihood is at most 1e-5. z is updated
// in place to the last posteriors. ok is false when a proportion or a
// variance collapses (mclust returns NA and the model's BIC is NA).
func emFit(x []float64, z [][]float64, g int, unequal bool) (*Mixture, bool) {
	n := len(x)
	mu := make([]float64, g)
	sig := make([]float64, g)
	pro := make([]float64, g)
	cst := make([]float64, g)  // log(2 pi) + log(variance)
	lpro := make([]float64, g) // log(proportion)
	rteps := math.Sqrt(machEps)
	hold, hood := flmax/2, flmax
	iter := 0
	// d holds the squared distances during the M-step (mclust reuses z).
	d := make([][]float64, n)
	for i := range d {
		d[i] = make([]float64, g)
	}
	for {
		iter++
		zsum := 1.0
		var sigsq float64
		for k := 0; k < g; k++ {
			var sum, smu float64
			for i := 0; i < n; i++ {
				sum += z[i][k]
				smu += z[i][k] * x[i]
			}
			pro[k] = sum / float64(n)
			zsum = math.Min(sum, zsum)
			if sum > rteps {
				smu /= sum
				mu[k] = smu
				var sk float64
				for i := 0; i < n; i++ {
					t := x[i] - smu
					t *= t
					sk += z[i][k] * t
					d[i][k] = t
				}
				if unequal {
					sig[k] = sk / sum
				} else {
					sigsq += sk
				}
			}
		}
		if zsum <= rteps {
			return nil, false
		}
		if !unequal {
			sigsq /= float64(n)
			for k := range sig {
				sig[k] = sigsq
			}
		}
		for k := 0; k < g; k++ {
			if sig[k] <= machEps {
				return nil, false
			}
		}
		for k := 0; k < g; k++ {
			cst[k] = pi2log + math.Log(sig[k])
			lpro[k] = math.Log(pro[k])
		}
		hood = 0
		for i := 0; i < n; i++ {
			tmax := -flmax
			for k := 0; k < g; k++ {
				if pro[k] == 0 {
					z[i][k] = 0
					continue
				}
				t := lpro[k] + (-(cst[k] + d[i][k]/sig[k]) / 2)
				tmax = math.Max(tmax, t)
				z[i][k] = t
			}
			var sum float64
			for k := 0; k < g; k++ {
				if pro[k] != 0 {
					t := z[i][k] - tmax
					if t >= smalog {
						z[i][k] = math.Exp(t)
						sum += z[i][k]
					} else {
						z[i][k] = 0
					}
				}
			}
			hood += math.Log(sum) + tmax
			r := 1 / sum
			for k := 0; k < g; k++ {
				z[i][k] *= r
			}
		}
		err := math.Abs(hold-hood) / (1 + math.Abs(hood))
		hold = hood
		if !(err > emTol) {
			break
		}
	}
	if hood > 1.79769e308 || hood < -1.79769e308 || math.IsNaN(hood) {
		return nil, false
	}
	npar := float64(g) + float64(g-1) + 1 // means, proportions, one variance
	if unequal {
		npar += float64(g - 1)
	}
	return &Mixture{Mean: mu, Var: sig, Pro: pro, Loglik: hood, BIC: 2*hood - npar*math.Log(float64(n)), Iterations: iter}, true
}

// mstep is mclust's ms1e / ms1v: parameters from posteriors z.
func mstep(x []float64, z [][]float64, g int, unequal bool, m *Mixture) {
	n := len(x)
	var sumz, sigsq float64
	for k := 0; k < g; k++ {
		var sum, smu float64
		for i := 0; i < n; i++ {
			sum += z[i][k]
			smu += z[i][k] * x[i]
		}
		sumz += sum
		m.Pro[k] = sum / float64(n)
		smu /= sum
		m.Mean[k] = smu
		var sk float64
		for i := 0; i < n; i++ {
			t := math.Abs(x[i] - smu)
			sk += z[i][k] * (t * t)
		}
		if unequal {
			m.Var[k] = sk / sum
		} else {
			sigsq += sk
		}
	}
	if !unequal {
		for k := range m.Var {
			m.Var[k] = sigsq / sumz
		}
	}
}

// Crossing returns the positivity threshold of a 2-component mixture:
// the point where the weighted densities (so the posteriors) are equal and
// the component with the higher mean takes over going upward. With equal
// variances that point is unique; with unequal variances the quadratic has
// two roots and the one where the high component's posterior rises is
// taken (the other is where a wide component's tail wins back). NaN when
// one component dominates everywhere.
func (m *Mixture) Crossing() float64 {
	if len(m.Mean) != 2 {
		return math.NaN()
	}
	lo, hi := 0, 1
	if m.Mean[1] < m.Mean[0] {
		lo, hi = 1, 0
	}
	m1, m2 := m.Mean[lo], m.Mean[hi]
	v1, v2 := m.Var[lo], m.Var[hi]
	p1, p2 := m.Pro[lo], m.Pro[hi]
	if m1 == m2 && v1 == v2 {
		return math.NaN()
	}
	// g(x) = log(p2 N(x; m2, v2)) - log(p1 N(x; m1, v1)) = a x^2 + b x + k
	c := math.Log(p2) - math.Log(p1) - 0.5*math.Log(v2) + 0.5*math.Log(v1)
	a := 1/(2*v1) - 1/(2*v2)
	b := m2/v2 - m1/v1
	k := m1*m1/(2*v1) - m2*m2/(2*v2) + c
	if v1 == v2 {
		return -k / b // b = (m2 - m1)/v > 0: g rises through its root
	}
	disc := b*b - 4*a*k
	if disc < 0 {
		return math.NaN()
	}
	sq := math.Sqrt(disc)
	var t float64
	if b >= 0 {
		t = -(b + sq) / 2
	} else {
		t = -(b - sq) / 2
	}
	for _, r := range []float64{t / a, k / t} {
		if 2*a*r+b > 0 { // g rising: the high component takes over
			return r
		}
	}
	return math.NaN()
}
