package twin

import (
	"math"
)

// Milestone levels in % IS (Cross et al. 2012; ELN 2020).
var Milestones = []struct {
	Name    string
	Percent float64
}{{"MMR", 0.1}, {"MR4", 0.01}, {"MR4.5", 0.0032}}

// CrossingDay returns the day the fitted curve falls to percent, with its
// profile-likelihood 95% interval (the days t whose curve-through-(t,
// level) deviance is within the chi-square 95% point). NaN when the fitted
// curve never reaches the level; an upper bound of +Inf means the data
// are compatible with never reaching it.
func (d *Decline) CrossingDay(percent float64) (est, lo, hi float64) {
	y := math.Log10(percent)
	f := func(t float64) float64 { return d.m.mu(d.p, Obs{Day: t}) - y }
	// The curves are monotone decreasing when every rate is positive.
	if d.p[1] <= 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	a, b := -1.0, 1.0
	for f(a) < 0 && a > -1e7 {
		a *= 2
	}
	for f(b) > 0 && b < 1e7 {
		b *= 2
	}
	if f(a) < 0 || f(b) > 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	for k := 0; k < 200 && b-a > 1e-10*(1+math.Abs(a)); k++ {
		m := (a + b) / 2
		if f(m) > 0 {
			a = m
		} else {
			b = m
		}
	}
	est = (a + b) / 2
	dev := func(v float64, warm []float64) (float64, []float64) { return d.curveDeviance(v, y, warm) }
	step := math.Max(0.05*math.Abs(est), 5)
	// Beyond a century (or four times the estimate) the curve is too flat
	// for the arithmetic: the bound is reported as never (+Inf).
	limit := math.Max(4*est, maxCrossingDays)
	lo, hi = profileBounds(dev, est, d.m.toInternal(d.p), step, math.Inf(-1), limit)
	if hi >= limit {
		hi = math.Inf(1)
	}
	return est, lo, hi
}

// maxCrossingDays is the horizon (100 years) beyond which a crossing-day
// bound counts as never.
const maxCrossingDays = 36525

// HalfLives returns the half-life of each phase in days (ln 2 / rate) with
// the interval carried over from the rate's profile interval (profile
// intervals are invariant under monotone transformations).
func (d *Decline) HalfLives() []Param {
	var out []Param
	names := []string{"half_life_1", "half_life_2"}
	rates := []string{"a", "b"}
	if d.Model == "monophasic" {
		names, rates = []string{"half_life"}, []string{"a"}
	}
	for i, r := range rates {
		var rp Param
		for _, p := range d.Params {
			if p.Name == r {
				rp = p
			}
		}
		hl := func(rate float64) float64 {
			if rate <= 0 {
				return math.Inf(1)
			}
			return math.Ln2 / rate
		}
		est := math.NaN()
		if rp.Estimate > 0 {
			est = hl(rp.Estimate)
		}
		out = append(out, Param{Name: names[i], Estimate: est, Lower: hl(rp.Upper), Upper: hl(rp.Lower),
			Method: "ln 2 / " + r + "; interval from the profile interval of " + r, Unit: "days"})
	}
	return out
}
