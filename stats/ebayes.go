package stats

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mathext"
)

// Empirical Bayes moderation of residual variances as limma's squeezeVar /
// fitFDist / trigammaInverse (Smyth, Stat Appl Genet Mol Biol 2004;3:3,
// doi:10.2202/1544-6115.1027; limma 3.x, robust = FALSE, no covariate):
// the sample variances are taken as a scaled F sample, the prior degrees of
// freedom and scale found by matching the mean and variance of
// log(s^2) (digamma / trigamma moments), and each variance shrunk towards
// the prior: (df*s^2 + d0*s0^2) / (df + d0).

// Squeezed is the result of SqueezeVar.
type Squeezed struct {
	DFPrior  float64   // d0 (+Inf when the variances vary no more than sampling explains)
	VarPrior float64   // s0^2
	VarPost  []float64 // moderated variances, one per input
}

// ErrSqueeze reports variances that cannot be moderated.
var ErrSqueeze = errors.New("stats: variances cannot be moderated")

// SqueezeVar moderates variances v, each with df residual degrees of
// freedom, as limma::squeezeVar(v, df) (robust = FALSE). Variances that are
// exactly zero are offset to 1e-5 times the median before the fit, as limma
// does (limma warns; here the caller can check the input).
func SqueezeVar(v []float64, df float64) (Squeezed, error) {
	n := len(v)
	if n == 0 {
		return Squeezed{}, fmt.Errorf("%w: no variances", ErrSqueeze)
	}
	if !(df > 1e-15) || math.IsInf(df, 0) {
		return Squeezed{}, fmt.Errorf("%w: %g residual degrees of freedom (need more samples than groups)", ErrSqueeze, df)
	}
	for _, x := range v {
		if !(x > -1e-15) || math.IsInf(x, 0) {
			return Squeezed{}, fmt.Errorf("%w: variance %g", ErrSqueeze, x)
		}
	}
	if n == 1 {
		return Squeezed{DFPrior: 0, VarPrior: v[0], VarPost: []float64{v[0]}}, nil
	}
	d0, s0 := fitFDist(v, df)
	post := make([]float64, n)
	for i, x := range v {
		if math.IsInf(d0, 1) {
			post[i] = s0
		} else {
			post[i] = (df*x + d0*s0) / (df + d0)
		}
	}
	return Squeezed{DFPrior: d0, VarPrior: s0, VarPost: post}, nil
}

// fitFDist returns the prior degrees of freedom and scale (limma fitFDist).
func fitFDist(v []float64, df1 float64) (df2, scale float64) {
	n := len(v)
	x := make([]float64, n)
	for i, a := range v {
		x[i] = math.Max(a, 0)
	}
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	m := s[n/2]
	if n%2 == 0 {
		m = (s[n/2-1] + s[n/2]) / 2
	}
	if m == 0 {
		m = 1
	}
	for i := range x {
		x[i] = math.Max(x[i], 1e-5*m)
	}
	e := make([]float64, n)
	var emean float64
	shift := -mathext.Digamma(df1/2) + math.Log(df1/2)
	for i, a := range x {
		e[i] = math.Log(a) + shift
		emean += e[i]
	}
	emean /= float64(n)
	var evar float64
	for _, a := range e {
		evar += (a - emean) * (a - emean)
	}
	evar = evar/float64(n-1) - Trigamma(df1/2)
	if evar > 0 {
		df2 = 2 * TrigammaInverse(evar)
		return df2, math.Exp(emean + mathext.Digamma(df2/2) - math.Log(df2/2))
	}
	var mean float64
	for _, a := range x {
		mean += a
	}
	return math.Inf(1), mean / float64(n)
}

// Trigamma is the second derivative of log Gamma (x > 0): the recurrence
// psi1(x) = psi1(x+1) + 1/x^2 up to x >= 20, then the asymptotic series
// (Abramowitz & Stegun 6.4.12).
func Trigamma(x float64) float64 {
	if math.IsNaN(x) || x <= 0 {
		return math.NaN()
	}
	if math.IsInf(x, 1) {
		return 0
	}
	var r float64
	for ; x < 20; x++ {
		r += 1 / (x * x)
	}
	z := 1 / x
	z2 := z * z
	// 1/x + 1/(2x^2) + sum B_2k / x^(2k+1)
	s := z + z2/2 + z*z2*(1.0/6+z2*(-1.0/30+z2*(1.0/42+z2*(-1.0/30+z2*(5.0/66+z2*(-691.0/2730))))))
	return r + s
}

// tetragamma is the third derivative of log Gamma (R's psigamma(x, 2)).
func tetragamma(x float64) float64 {
	var r float64
	for ; x < 20; x++ {
		r -= 2 / (x * x * x)
	}
	z := 1 / x
	z2 := z * z
	s := -z2 - z*z2 - z2*z2*(1.0/2+z2*(-1.0/6+z2*(1.0/6+z2*(-3.0/10+z2*(5.0/6+z2*(-691.0/210))))))
	return r + s
}

// TrigammaInverse solves Trigamma(y) = x for y by Newton's method on 1/y as
// limma's trigammaInverse (starting at 0.5 + 1/x; 1/sqrt(x) above 1e7, 1/x
// below 1e-6).
func TrigammaInverse(x float64) float64 {
	switch {
	case math.IsNaN(x) || x < 0:
		return math.NaN()
	case x > 1e7:
		return 1 / math.Sqrt(x)
	case x < 1e-6:
		return 1 / x
	}
	y := 0.5 + 1/x
	for it := 0; it < 50; it++ {
		tri := Trigamma(y)
		dif := tri * (1 - tri/x) / tetragamma(y)
		y += dif
		if -dif/y < 1e-8 {
			break
		}
	}
	return y
}

// TTwoSided is the two-sided p value of a t statistic with df degrees of
// freedom (R's 2*pt(-abs(t), df)), from the incomplete beta function so that
// small p values keep their relative precision.
func TTwoSided(t, df float64) float64 {
	if math.IsNaN(t) || !(df > 0) {
		return math.NaN()
	}
	if math.IsInf(df, 1) {
		return math.Erfc(math.Abs(t) / math.Sqrt2)
	}
	return mathext.RegIncBeta(df/2, 0.5, df/(df+t*t))
}

// FUpper is P(F > f) for an F(df1, df2) variable (R's pf(f, df1, df2,
// lower.tail = FALSE)); df2 = +Inf gives the chi-squared limit
// pchisq(df1*f, df1, lower.tail = FALSE).
func FUpper(f, df1, df2 float64) float64 {
	if math.IsNaN(f) || !(df1 > 0) || !(df2 > 0) {
		return math.NaN()
	}
	if f <= 0 {
		return 1
	}
	if math.IsInf(df2, 1) {
		return mathext.GammaIncRegComp(df1/2, df1*f/2)
	}
	return mathext.RegIncBeta(df2/2, df1/2, df2/(df2+df1*f))
}
