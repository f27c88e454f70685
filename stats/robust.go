package stats

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mathext"
)

// Robust empirical Bayes as limma's squeezeVar(robust = TRUE) /
// fitFDistRobustly (Phipson B, Lee S, Majewski IJ, Alexander WS, Smyth GK.
// Robust hyperparameter estimation protects against hypervariable genes
// and improves power to detect differential expression. Ann Appl Stat
// 2016;10(2):946-963, doi:10.1214/16-AOAS920; limma 3.54, no covariate, one
// residual df for all): log variances are winsorised (tails 0.05 and 0.1
// by default), the prior df found by matching the winsorised variance of
// the log F distribution (128-point Gauss-Legendre moments, Brent root
// finding as R's uniroot with tol 1e-8), and variances that look like
// outliers get a smaller prior df of their own.

// SqueezeVarRobust moderates variances v (df residual degrees of freedom
// each) as limma::squeezeVar(v, df, robust = TRUE). DFPriors holds the
// per-variance prior df (limma's df2.shrunk); DFPrior is the common one.
func SqueezeVarRobust(v []float64, df float64) (Squeezed, []float64, error) {
	n := len(v)
	if n <= 2 {
		sq, err := SqueezeVar(v, df)
		d := make([]float64, n)
		for i := range d {
			d[i] = sq.DFPrior
		}
		return sq, d, err
	}
	if !(df > 1e-6) || math.IsInf(df, 0) {
		return Squeezed{}, nil, fmt.Errorf("%w: %g residual degrees of freedom (need more samples than groups)", ErrSqueeze, df)
	}
	x := append([]float64(nil), v...)
	m := median(x)
	if !(m > 0) {
		return Squeezed{}, nil, fmt.Errorf("%w: variances are mostly <= 0", ErrSqueeze)
	}
	for i := range x {
		if x[i] < m*1e-12 {
			x[i] = m * 1e-12
		}
	}
	scale, df2, shrunk := fitFDistRobustly(x, df, [2]float64{0.05, 0.1})
	post := make([]float64, n)
	for i := range v {
		if math.IsInf(shrunk[i], 1) {
			post[i] = scale
		} else {
			post[i] = (df*v[i] + shrunk[i]*scale) / (df + shrunk[i])
		}
	}
	return Squeezed{DFPrior: df2, VarPrior: scale, VarPost: post}, shrunk, nil
}

func median(x []float64) float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func fitFDistRobustly(x []float64, df1 float64, tail [2]float64) (scale, df2 float64, shrunk []float64) {
	n := len(x)
	nfl := float64(n)
	nrDF, nrScale := fitFDist(x, df1)
	shrunk = make([]float64, n)
	fill := func(d float64) {
		for i := range shrunk {
			shrunk[i] = d
		}
	}
	if tail[0] < 1/nfl && tail[1] < 1/nfl {
		fill(nrDF)
		return nrScale, nrDF, shrunk
	}
	z := make([]float64, n)
	for i, a := range x {
		z[i] = math.Log(a)
	}
	ztrend := trimmedMean(z, tail[1])
	resid := make([]float64, n)
	for i := range z {
		resid[i] = z[i] - ztrend
	}
	sorted := append([]float64(nil), resid...)
	sort.Float64s(sorted)
	lo, hi := Quantile7(sorted, tail[0]), Quantile7(sorted, 1-tail[1])
	var zwmean float64
	wins := make([]float64, n)
	for i, r := range resid {
		wins[i] = math.Min(math.Max(r, lo), hi)
		zwmean += wins[i]
	}
	zwmean /= nfl
	var zwvar float64
	for _, w := range wins {
		zwvar += (w - zwmean) * (w - zwmean)
	}
	zwvar = zwvar / nfl * nfl / (nfl - 1)
	gx, gw := gaussLegendre01(128)
	momInf := winsorizedMoments(df1, math.Inf(1), tail, gx, gw)
	funInf := math.Log(zwvar / momInf.v)
	rank := midranksOf(z)
	if funInf <= 0 {
		ztc := ztrend + zwmean - momInf.m
		scale = math.Exp(ztc)
		tailP := make([]float64, n)
		fill(math.Inf(1))
		anyOut := false
		for i := range z {
			f := math.Exp(z[i] - ztc)
			tailP[i] = mathext.GammaIncRegComp(df1/2, f*df1/2)
			emp := (nfl - rank[i] + 0.5) / nfl
			if p := math.Min(tailP[i]/emp, 1); p < 1 {
				shrunk[i] = p * nfl * df1
				anyOut = true
			}
		}
		if anyOut {
			o := orderOf(tailP)
			cm := math.Inf(-1)
			for _, i := range o {
				cm = math.Max(cm, shrunk[i])
				shrunk[i] = cm
			}
		}
		return scale, math.Inf(1), shrunk
	}
	if math.IsInf(nrDF, 1) {
		fill(nrDF)
		return nrScale, nrDF, shrunk
	}
	link := func(d float64) float64 { return d / (1 + d) }
	inv := func(u float64) float64 { return u / (1 - u) }
	fun := func(u float64) float64 {
		return math.Log(zwvar / winsorizedMoments(df1, inv(u), tail, gx, gw).v)
	}
	rbx := link(nrDF)
	low := fun(rbx)
	if low >= 0 {
		df2 = nrDF
	} else {
		df2 = inv(zeroin(rbx, 1, low, funInf, fun, 1e-8, 1000))
	}
	mom := winsorizedMoments(df1, df2, tail, gx, gw)
	ztc := ztrend + zwmean - mom.m
	scale = math.Exp(ztc)
	logTail := make([]float64, n)
	logPNO := make([]float64, n)
	fstat := make([]float64, n)
	anyOut := false
	for i := range z {
		fstat[i] = math.Exp(z[i] - ztc)
		logTail[i] = math.Log(FUpper(fstat[i], df1, df2))
		logEmp := math.Log(nfl-rank[i]+0.5) - math.Log(nfl)
		logPNO[i] = math.Min(logTail[i]-logEmp, 0)
		if logPNO[i] < 0 {
			anyOut = true
		}
	}
	if !anyOut {
		fill(df2)
		return scale, df2, shrunk
	}
	minLog, maxF := math.Inf(1), math.Inf(-1)
	for i := range z {
		minLog, maxF = math.Min(minLog, logTail[i]), math.Max(maxF, fstat[i])
	}
	if math.IsInf(minLog, -1) {
		for i := range shrunk {
			shrunk[i] = math.Exp(logPNO[i]) * df2
		}
	} else {
		dfOut := math.Log(0.5) / minLog * df2
		newLog := math.Log(FUpper(maxF, df1, dfOut))
		dfOut = math.Log(0.5) / newLog * dfOut
		for i := range shrunk {
			pno := math.Exp(logPNO[i])
			shrunk[i] = pno*df2 + -math.Expm1(logPNO[i])*dfOut
		}
	}
	o := orderOf(logTail)
	ord := make([]float64, n)
	for k, i := range o {
		ord[k] = shrunk[i]
	}
	imin, best, cum := 0, math.Inf(1), 0.0
	for k := range ord {
		cum += ord[k]
		if mk := cum / float64(k+1); mk < best {
			imin, best = k, mk
		}
	}
	for k := 0; k <= imin; k++ {
		ord[k] = best
	}
	cm := math.Inf(-1)
	for k, i := range o {
		cm = math.Max(cm, ord[k])
		shrunk[i] = cm
	}
	return scale, df2, shrunk
}

// trimmedMean is R's mean(x, trim): drop floor(n*trim) values at each end.
func trimmedMean(x []float64, trim float64) float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	n := len(s)
	lo := int(math.Floor(float64(n)*trim)) + 1
	hi := n + 1 - lo
	var sum float64
	for i := lo - 1; i < hi; i++ {
		sum += s[i]
	}
	return sum / float64(hi-lo+1)
}

// midranksOf returns R's rank(x) (average ties).
func midranksOf(x []float64) []float64 {
	r, _ := midranks(x)
	return r
}

// orderOf returns R's order(x): indices by increasing value, ties by index.
func orderOf(x []float64) []int {
	o := make([]int, len(x))
	for i := range o {
		o[i] = i
	}
	sort.SliceStable(o, func(a, b int) bool { return x[o[a]] < x[o[b]] })
	return o
}

type moments struct{ m, v float64 }

// winsorizedMoments is the mean and variance of log F(df1, df2) winsorised
// at the tail probabilities, by Gauss-Legendre quadrature on F/(1+F).
func winsorizedMoments(df1, df2 float64, tail [2]float64, gx, gw []float64) moments {
	fq := [2]float64{qF(tail[0], df1, df2), qF(1-tail[1], df1, df2)}
	zq := [2]float64{math.Log(fq[0]), math.Log(fq[1])}
	q := [2]float64{fq[0] / (1 + fq[0]), fq[1] / (1 + fq[1])}
	q21 := q[1] - q[0]
	fn := make([]float64, len(gx))
	zn := make([]float64, len(gx))
	var m float64
	for i, g := range gx {
		node := q[0] + q21*g
		f := node / (1 - node)
		zn[i] = math.Log(f)
		fn[i] = dF(f, df1, df2) / ((1 - node) * (1 - node))
		m += gw[i] * fn[i] * zn[i]
	}
	m = q21*m + zq[0]*tail[0] + zq[1]*tail[1]
	var v float64
	for i := range gx {
		v += gw[i] * fn[i] * (zn[i] - m) * (zn[i] - m)
	}
	v = q21*v + (zq[0]-m)*(zq[0]-m)*tail[0] + (zq[1]-m)*(zq[1]-m)*tail[1]
	return moments{m, v}
}

// qF is the F(df1, df2) quantile (df2 = +Inf: chi-squared / df1).
func qF(p, df1, df2 float64) float64 {
	if math.IsInf(df2, 1) {
		return 2 * mathext.GammaIncRegInv(df1/2, p) / df1
	}
	if p < 0.5 {
		x := mathext.InvRegIncBeta(df1/2, df2/2, p)
		return df2 * x / (df1 * (1 - x))
	}
	y := mathext.InvRegIncBeta(df2/2, df1/2, 1-p)
	return df2 * (1 - y) / (df1 * y)
}

// dF is the F(df1, df2) density (df2 = +Inf: df1 * dchisq(df1*x, df1)).
func dF(x, df1, df2 float64) float64 {
	if math.IsInf(df2, 1) {
		y := df1 * x
		lg, _ := math.Lgamma(df1 / 2)
		return df1 * math.Exp((df1/2-1)*math.Log(y)-y/2-df1/2*math.Ln2-lg)
	}
	return math.Exp(df1/2*math.Log(df1/df2) + (df1/2-1)*math.Log(x) - (df1+df2)/2*math.Log1p(df1*x/df2) - mathext.Lbeta(df1/2, df2/2))
}

// gaussLegendre01 returns the n-point Gauss-Legendre nodes and weights on
// [0, 1] (weights summing to 1), as statmod's gauss.quad.prob(n, "uniform").
func gaussLegendre01(n int) ([]float64, []float64) {
	x := make([]float64, n)
	w := make([]float64, n)
	for i := 0; i < (n+1)/2; i++ {
		z := math.Cos(math.Pi * (float64(i) + 0.75) / (float64(n) + 0.5))
		var dp float64
		for it := 0; it < 100; it++ {
			p0, p1 := 1.0, z
			for k := 2; k <= n; k++ {
				p0, p1 = p1, ((2*float64(k)-1)*z*p1-(float64(k)-1)*p0)/float64(k)
			}
			dp = float64(n) * (z*p1 - p0) / (z*z - 1)
			dz := p1 / dp
			z -= dz
			if math.Abs(dz) < 1e-16 {
				break
			}
		}
		p0, p1 := 1.0, z
		for k := 2; k <= n; k++ {
			p0, p1 = p1, ((2*float64(k)-1)*z*p1-(float64(k)-1)*p0)/float64(k)
		}
		dp = float64(n) * (z*p1 - p0) / (z*z - 1)
		wt := 2 / ((1 - z*z) * dp * dp)
		x[i], x[n-1-i] = (1-z)/2, (1+z)/2
		w[i], w[n-1-i] = wt/2, wt/2
	}
	return x, w
}

// zeroin is Brent's root finder as R's R_zeroin2 (used by uniroot) with
// the function values at the ends given.
func zeroin(ax, bx, fa, fb float64, f func(float64) float64, tol float64, maxit int) float64 {
	const eps = 2.220446049250313e-16
	a, b := ax, bx
	c, fc := a, fa
	if fa == 0 {
		return a
	}
	if fb == 0 {
		return b
	}
	for it := maxit + 1; it > 0; it-- {
		prev := b - a
		if math.Abs(fc) < math.Abs(fb) {
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		tolAct := 2*eps*math.Abs(b) + tol/2
		step := (c - b) / 2
		if math.Abs(step) <= tolAct || fb == 0 {
			return b
		}
		if math.Abs(prev) >= tolAct && math.Abs(fa) > math.Abs(fb) {
			var p, q float64
			cb := c - b
			if a == c {
				t1 := fb / fa
				p = cb * t1
				q = 1 - t1
			} else {
				q = fa / fc
				t1 := fb / fc
				t2 := fb / fa
				p = t2 * (cb*q*(q-t1) - (b-a)*(t1-1))
				q = (q - 1) * (t1 - 1) * (t2 - 1)
			}
			if p > 0 {
				q = -q
			} else {
				p = -p
			}
			if p < 0.75*cb*q-math.Abs(tolAct*q)/2 && p < math.Abs(prev*q/2) {
				step = p / q
			}
		}
		if math.Abs(step) < tolAct {
			if step > 0 {
				step = tolAct
			} else {
				step = -tolAct
			}
		}
		a, fa = b, fb
		b += step
		fb = f(b)
		if (fb > 0 && fc > 0) || (fb < 0 && fc < 0) {
			c, fc = a, fa
		}
	}
	return b
}
