package twin

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// chi2Crit95 is the 95% quantile of the chi-square distribution with one
// degree of freedom: a profile-likelihood 95% interval holds the values
// whose deviance 2(l_max - l_profile) is at most this.
var chi2Crit95 = distuv.ChiSquared{K: 1}.Quantile(0.95)

// constraint eliminates one parameter: set fills p[fix] so that the
// constraint holds, or reports that no value can.
type constraint struct {
	fix int
	set func(p []float64) bool
}

// fixParam holds parameter k at the natural value v.
func fixParam(k int, v float64) constraint {
	return constraint{fix: k, set: func(p []float64) bool { p[k] = v; return true }}
}

// profileFit maximises the likelihood under c from each start (internal
// scale; the eliminated slot is ignored) and returns the best.
func (m *model) profileFit(obs []Obs, c constraint, starts ...[]float64) (float64, []float64) {
	n := len(m.names)
	free := make([]int, 0, n-1)
	for i := 0; i < n; i++ {
		if i != c.fix {
			free = append(free, i)
		}
	}
	full := func(base, x []float64) []float64 {
		u := append([]float64(nil), base...)
		for j, i := range free {
			u[i] = x[j]
		}
		return u
	}
	if m.moreStarts != nil {
		for _, s := range starts {
			if s == nil {
				continue
			}
			for _, q := range m.moreStarts(m.toNatural(s), obs) {
				starts = append(starts, m.toInternal(q))
			}
		}
	}
	bestLL, best := math.Inf(-1), []float64(nil)
	for _, s := range starts {
		if s == nil {
			continue
		}
		base := s
		f := func(x []float64) float64 {
			p := m.toNatural(full(base, x))
			if !c.set(p) {
				return math.Inf(1)
			}
			return -m.logLik(p, obs)
		}
		x0 := make([]float64, len(free))
		for j, i := range free {
			x0[j] = s[i]
		}
		x, fx := nelderMead(f, x0, 0)
		if -fx > bestLL {
			p := m.toNatural(full(base, x))
			c.set(p)
			bestLL, best = -fx, m.toInternal(p)
		}
	}
	return bestLL, best
}

// profileBounds walks from the estimate vhat (on the scale of v, where
// steps of size step are sensible) in both directions until the deviance
// exceeds the chi-square 95% point, then solves for the crossing by the
// Illinois variant of regula falsi. dev(v, warm) returns the deviance at v
// and the best internal parameters, reused as the next warm start. A side
// that never crosses within lim (lo, hi) is returned as that limit.
func profileBounds(dev func(v float64, warm []float64) (float64, []float64), vhat float64, warm0 []float64, step, lo, hi float64) (float64, float64) {
	out := [2]float64{lo, hi}
	for side, dir := range []float64{-1, 1} {
		prev, dprev, wprev := vhat, 0.0, warm0
		h := step
		found := false
		var cur, dcur float64
		var wcur []float64
		for k := 0; k < 80; k++ {
			cur = prev + dir*h
			if (dir < 0 && cur <= lo) || (dir > 0 && cur >= hi) {
				break
			}
			dcur, wcur = dev(cur, wprev)
			if dcur > chi2Crit95 {
				found = true
				break
			}
			prev, dprev, wprev = cur, dcur, wcur
			h *= 1.5
		}
		if !found {
			continue
		}
		// Illinois on g(v) = dev(v) - crit between prev (g<=0) and cur (g>0).
		a, ga, b, gb := prev, dprev-chi2Crit95, cur, dcur-chi2Crit95
		wa := wprev
		_ = wcur
		last := 0
		for k := 0; k < 100 && math.Abs(b-a) > 1e-10*(1+math.Abs(a)); k++ {
			x := b - gb*(b-a)/(gb-ga)
			if !(x > math.Min(a, b) && x < math.Max(a, b)) {
				x = (a + b) / 2
			}
			dx, wx := dev(x, wa)
			gx := dx - chi2Crit95
			if gx > 0 {
				b, gb = x, gx
				if last == 1 {
					ga /= 2
				}
				last = 1
			} else {
				a, ga, wa = x, gx, wx
				if last == -1 {
					gb /= 2
				}
				last = -1
			}
		}
		out[side] = a - ga*(b-a)/(gb-ga)
		if math.IsNaN(out[side]) {
			out[side] = (a + b) / 2
		}
	}
	return out[0], out[1]
}
