package twin

import (
	"fmt"
	"math"
)

// MMRPercent is the major-molecular-response level (0.1% IS): losing it
// after stopping therapy is the molecular relapse the stop projection
// predicts.
const MMRPercent = 0.1

// maxRelapseDays bounds the search for a relapse after stopping (100 years).
const maxRelapseDays = 36525

// MichorFit is the Michor 2005 model fitted to one blood series: the
// patient-specific parameters are the leukemic stem cells on day 0 (y0,
// with the normal stem cells at X0) and the two therapy reductions of the
// leukemic production rates (ay_reduction, by_reduction); the other rate
// constants are held at Const. sd is the residual SD on log10.
type MichorFit struct {
	fitted
	Const       MichorParams
	Params      []Param
	N, Censored int
}

var michorFitNames = []string{"y0", "ay_reduction", "by_reduction", "sd"}

func michorModel(c MichorParams) *model {
	m := &model{
		names:    michorFitNames,
		positive: []bool{true, true, true, true},
		mu: func(p []float64, o Obs) float64 {
			y3 := p[0] * c.leukemicAt(o.Day, p[1], p[2], math.Inf(1))[3]
			return math.Log10(c.ratioPercent(y3))
		},
		sdIndex: 3,
	}
	m.through = func(_ []float64, t, y float64) constraint { return michorThrough(c, t, y, math.Inf(1)) }
	return m
}

// michorThrough makes the course pass through 10^y % on day t (therapy
// stopped on day stop) by solving for y0: the model is linear in y0.
func michorThrough(c MichorParams, t, y, stop float64) constraint {
	target := c.y3ForPercent(math.Pow(10, y))
	return constraint{fix: 0, set: func(p []float64) bool {
		f := c.leukemicAt(t, p[1], p[2], stop)[3]
		if !(f > 0) || math.IsNaN(target) {
			return false
		}
		p[0] = target / f
		return p[0] > 0 && !math.IsInf(p[0], 0)
	}}
}

// michorStarts are the fixed start rules: reductions on a grid around the
// published 100 and 750, y0 chosen so the course passes through the first
// detected sample.
func michorStarts(c MichorParams, obs []Obs) [][]float64 {
	var first Obs
	for _, o := range obs {
		if !o.Censored {
			first = o
			break
		}
	}
	var out [][]float64
	for _, ra := range []float64{10, 100, 1000} {
		for _, rb := range []float64{30, 750, 20000} {
			y3 := c.y3ForPercent(math.Min(math.Pow(10, first.Y), 90))
			f := c.leukemicAt(first.Day, ra, rb, math.Inf(1))[3]
			out = append(out, []float64{y3 / f, ra, rb, 0.3})
		}
	}
	return out
}

// FitMichor fits the Michor 2005 model to one series under continued
// therapy from day 0 by maximum likelihood (left-censored normal on log10,
// as FitDecline) with profile-likelihood 95% intervals. It needs at least
// 4 detectable samples on 3 or more dates.
func FitMichor(obs []Obs, c MichorParams) (*MichorFit, error) {
	x, _ := detected(obs)
	if len(x) < 4 || distinctDays(x) < 3 {
		return nil, ErrNotEstimable
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	m := michorModel(c)
	p, ll := m.fit(obs, michorStarts(c, obs))
	if p == nil || math.IsInf(ll, -1) {
		return nil, fmt.Errorf("twin: michor2005 fit failed: %w", ErrNotEstimable)
	}
	f := &MichorFit{fitted: fitted{m: m, p: p, obs: obs, LogLik: ll}, Const: c, N: len(obs)}
	for _, o := range obs {
		if o.Censored {
			f.Censored++
		}
	}
	f.Params = f.profileAll(michorUnit)
	for i := range f.Params {
		// A profile still under the 95% point 40 natural-log units (a
		// factor e^40) from the estimate never crosses: the data are
		// compatible with 0 or with no limit (ay_reduction and by_reduction
		// can trade off, the product of the two productions is what
		// shows).
		p := &f.Params[i]
		if math.Log(p.Estimate/p.Lower) > 40 {
			p.Lower = 0
		}
		if math.Log(p.Upper/p.Estimate) > 40 {
			p.Upper = math.Inf(1)
		}
	}
	return f, nil
}

func michorUnit(name string) string {
	switch name {
	case "y0":
		return "leukemic stem cells on day 0 (normal stem cells X0 held at homeostasis)"
	case "ay_reduction", "by_reduction":
		return "fold reduction of the leukemic production rate under therapy"
	case "sd":
		return "log10"
	}
	return ""
}

// Percent returns the modelled BCR::ABL1 % on day t with therapy stopped
// on day stop (+Inf: continued).
func (f *MichorFit) Percent(t, stop float64) float64 {
	return f.Const.ratioPercent(f.p[0] * f.Const.leukemicAt(t, f.p[1], f.p[2], stop)[3])
}

// PercentInterval returns the modelled % on day t (therapy stopped on day
// stop) with its profile-likelihood 95% interval. The profile runs over
// log10 y3 (unbounded; the % is monotone in it and approaches 100).
func (f *MichorFit) PercentInterval(t, stop float64) (est, lo, hi float64) {
	c := f.Const
	y3 := f.p[0] * c.leukemicAt(t, f.p[1], f.p[2], stop)[3]
	dev := func(v float64, warm []float64) (float64, []float64) {
		ll, w := f.m.profileFit(f.obs, michorThroughY3(c, t, math.Pow(10, v), stop), warm)
		return 2 * (f.LogLik - ll), w
	}
	l, h := profileBounds(dev, math.Log10(y3), f.m.toInternal(f.p), 0.05, math.Inf(-1), math.Inf(1))
	return c.ratioPercent(y3), c.ratioPercent(math.Pow(10, l)), c.ratioPercent(math.Pow(10, h))
}

// michorThroughY3 makes y3 on day t equal target by solving for y0.
func michorThroughY3(c MichorParams, t, target, stop float64) constraint {
	return constraint{fix: 0, set: func(p []float64) bool {
		f := c.leukemicAt(t, p[1], p[2], stop)[3]
		if !(f > 0) || !(target > 0) || math.IsInf(target, 0) {
			return false
		}
		p[0] = target / f
		return p[0] > 0 && !math.IsInf(p[0], 0)
	}}
}

// StemCellsAt returns the leukemic stem cells on day t with the interval
// carried over from the profile interval of y0 (therapy does not act on
// them: y0 e^((ry-d0) t) is monotone in y0).
func (f *MichorFit) StemCellsAt(t float64) Param {
	g := math.Exp((f.Const.RY - f.Const.D0) * t)
	y := f.Params[0]
	return Param{Name: "lsc_at_stop", Estimate: y.Estimate * g, Lower: y.Lower * g, Upper: y.Upper * g,
		Method: "y0 e^((ry-d0) t) on the stop day; interval from the profile interval of y0", Unit: "leukemic stem cells"}
}

// relapseAfter returns the days from stop until the course with parameters
// p first reaches MMRPercent again; NaN when it is above MMR on the stop
// day, +Inf when not within maxRelapseDays.
func (f *MichorFit) relapseAfter(p []float64, stop float64) float64 {
	c := f.Const
	thr := c.y3ForPercent(MMRPercent)
	y3 := func(t float64) float64 { return p[0] * c.leukemicAt(t, p[1], p[2], stop)[3] }
	if y3(stop) >= thr {
		return math.NaN()
	}
	prev := stop
	for d := 1; d <= maxRelapseDays; d++ {
		t := stop + float64(d)
		if y3(t) >= thr {
			a, b := prev, t
			for k := 0; k < 60; k++ {
				mid := (a + b) / 2
				if y3(mid) >= thr {
					b = mid
				} else {
					a = mid
				}
			}
			return (a+b)/2 - stop
		}
		prev = t
	}
	return math.Inf(1)
}

// relapseThrough constrains the first return to MMR to T days after stop
// by solving for y0; it holds only when the course is below MMR on the stop
// day (after stopping, y3 first falls for a while, then rises for good, so
// the crossing is the first when f3(stop) < f3(stop+T)).
func relapseThrough(c MichorParams, stop, T float64) constraint {
	thr := c.y3ForPercent(MMRPercent)
	return constraint{fix: 0, set: func(p []float64) bool {
		fT := c.leukemicAt(stop+T, p[1], p[2], stop)[3]
		fS := c.leukemicAt(stop, p[1], p[2], stop)[3]
		if !(fT > 0) || !(fT > fS) {
			return false
		}
		p[0] = thr / fT
		return p[0] > 0 && !math.IsInf(p[0], 0)
	}}
}

// Relapse returns the days from stopping therapy on day stop to molecular
// relapse (the modelled ratio back above 0.1%) with its profile-likelihood
// 95% interval. The estimate is NaN when the fitted course is not below
// MMR on the stop day.
func (f *MichorFit) Relapse(stop float64) Param {
	out := Param{Name: "relapse_days_after_stop", Estimate: f.relapseAfter(f.p, stop), Lower: math.NaN(), Upper: math.NaN(),
		Method: "days from the stop day until the modelled ratio first exceeds 0.1% (loss of MMR); profile-likelihood 95% interval", Unit: "days"}
	if math.IsNaN(out.Estimate) || math.IsInf(out.Estimate, 1) {
		return out
	}
	dev := func(v float64, warm []float64) (float64, []float64) {
		ll, w := f.m.profileFit(f.obs, relapseThrough(f.Const, stop, math.Exp(v)), warm)
		return 2 * (f.LogLik - ll), w
	}
	lo, hi := profileBounds(dev, math.Log(out.Estimate), f.m.toInternal(f.p), 0.1, math.Inf(-1), math.Log(maxRelapseDays))
	out.Lower, out.Upper = math.Exp(lo), math.Exp(hi)
	if out.Lower < 1e-6 {
		out.Lower = 0 // the profile runs to an immediate relapse
	}
	if hi >= math.Log(maxRelapseDays) {
		out.Upper = math.Inf(1)
	}
	return out
}
