package twin

import (
	"math"
	"sort"
)

// nelderMead minimises f from x0 with the Nelder-Mead simplex (Nelder &
// Mead 1965; the standard coefficients 1, 2, 0.5, 0.5 as in R's optim).
// The initial simplex steps each coordinate by step (or 0.1 when x is 0,
// and by 10% of |x| otherwise when step is 0). The search restarts from
// the best point until a restart improves f by less than 1e-12 relative,
// which guards against the collapsed simplices Nelder-Mead is known for.
// Everything is deterministic.
func nelderMead(f func([]float64) float64, x0 []float64, step float64) ([]float64, float64) {
	x := append([]float64(nil), x0...)
	fx := f(x)
	for restart := 0; restart < 50; restart++ {
		nx, nf := nmRun(f, x, step, 4000)
		improved := fx - nf
		if nf < fx || math.IsInf(fx, 1) {
			x, fx = nx, nf
		}
		if !(improved > 1e-12*(math.Abs(fx)+1e-12)) {
			break
		}
	}
	return x, fx
}

func nmRun(f func([]float64) float64, x0 []float64, step float64, maxIter int) ([]float64, float64) {
	n := len(x0)
	type vertex struct {
		x []float64
		f float64
	}
	s := make([]vertex, n+1)
	s[0] = vertex{append([]float64(nil), x0...), f(x0)}
	for i := 0; i < n; i++ {
		x := append([]float64(nil), x0...)
		h := step
		if h == 0 {
			h = 0.1 * math.Abs(x[i])
			if h == 0 {
				h = 0.1
			}
		}
		x[i] += h
		s[i+1] = vertex{x, f(x)}
	}
	point := func(c []float64, w []float64, t float64) []float64 {
		out := make([]float64, n)
		for j := range out {
			out[j] = c[j] + t*(w[j]-c[j])
		}
		return out
	}
	for it := 0; it < maxIter; it++ {
		sort.SliceStable(s, func(i, j int) bool { return less(s[i].f, s[j].f) })
		if converged(s[0].f, s[n].f) && simplexSmall(s[0].x, func(k int) []float64 { return s[k].x }, n) {
			break
		}
		c := make([]float64, n)
		for i := 0; i < n; i++ {
			for j := range c {
				c[j] += s[i].x[j] / float64(n)
			}
		}
		xr := point(c, s[n].x, -1)
		fr := f(xr)
		switch {
		case less(fr, s[0].f):
			xe := point(c, s[n].x, -2)
			if fe := f(xe); less(fe, fr) {
				s[n] = vertex{xe, fe}
			} else {
				s[n] = vertex{xr, fr}
			}
		case less(fr, s[n-1].f):
			s[n] = vertex{xr, fr}
		default:
			var xc []float64
			if less(fr, s[n].f) {
				xc = point(c, xr, 0.5)
			} else {
				xc = point(c, s[n].x, 0.5)
			}
			fc := f(xc)
			if less(fc, math.Min(fr, s[n].f)) || (math.IsInf(fr, 1) && less(fc, s[n].f)) {
				s[n] = vertex{xc, fc}
				continue
			}
			for i := 1; i <= n; i++ {
				s[i].x = point(s[0].x, s[i].x, 0.5)
				s[i].f = f(s[i].x)
			}
		}
	}
	sort.SliceStable(s, func(i, j int) bool { return less(s[i].f, s[j].f) })
	return s[0].x, s[0].f
}

// less orders function values with NaN treated as +Inf.
func less(a, b float64) bool {
	if math.IsNaN(a) {
		return false
	}
	if math.IsNaN(b) {
		return true
	}
	return a < b
}

func converged(lo, hi float64) bool {
	if math.IsInf(hi, 1) || math.IsNaN(hi) {
		return false
	}
	return hi-lo <= 1e-13*(math.Abs(lo)+1e-10)
}

func simplexSmall(x0 []float64, v func(int) []float64, n int) bool {
	for i := 1; i <= n; i++ {
		for j, a := range v(i) {
			if math.Abs(a-x0[j]) > 1e-9*(1+math.Abs(x0[j])) {
				return false
			}
		}
	}
	return true
}
