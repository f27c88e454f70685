package twin

import "math"

// Value returns the named parameter estimate (NaN when absent).
func (f *fitted) value(name string) float64 {
	for i, n := range f.m.names {
		if n == name {
			return f.p[i]
		}
	}
	return math.NaN()
}

// profileAll gives every parameter its profile-likelihood 95% interval.
func (f *fitted) profileAll(unit func(string) string) []Param {
	m := f.m
	u := m.toInternal(f.p)
	out := make([]Param, len(m.names))
	for k := range m.names {
		out[k] = f.profileOne(k, u, unit)
	}
	return out
}

// profileOne gives parameter k its profile-likelihood 95% interval; u is
// the estimate on the internal scale.
func (f *fitted) profileOne(k int, u []float64, unit func(string) string) Param {
	m, name := f.m, f.m.names[k]
	{
		dev := func(v float64, warm []float64) (float64, []float64) {
			nat := v
			if m.positive[k] {
				nat = math.Exp(v)
			}
			ll, w := m.profileFit(f.obs, fixParam(k, nat), warm)
			return 2 * (f.LogLik - ll), w
		}
		step := 0.1
		if !m.positive[k] {
			step = math.Max(0.1*math.Abs(f.p[k]), 1e-4)
		}
		l, h := profileBounds(dev, u[k], u, step, math.Inf(-1), math.Inf(1))
		if m.positive[k] {
			l, h = math.Exp(l), math.Exp(h)
		}
		return Param{Name: name, Estimate: f.p[k], Lower: l, Upper: h, Method: "maximum likelihood, left-censored normal on log10; profile-likelihood 95% interval", Unit: unit(name)}
	}
}

// curveDeviance is the profile deviance of "the curve passes through
// level 10^y at day t".
func (f *fitted) curveDeviance(t, y float64, warm []float64) (float64, []float64) {
	ll, w := f.m.profileFit(f.obs, f.m.through(f.p, t, y), warm)
	return 2 * (f.LogLik - ll), w
}

// LevelInterval returns the fitted log10 level at day t with its profile-
// likelihood 95% interval.
func (f *fitted) LevelInterval(t float64) (est, lo, hi float64) {
	est = f.m.mu(f.p, Obs{Day: t})
	dev := func(v float64, warm []float64) (float64, []float64) { return f.curveDeviance(t, v, warm) }
	lo, hi = profileBounds(dev, est, f.m.toInternal(f.p), 0.05, math.Inf(-1), math.Inf(1))
	return est, lo, hi
}
