package twin

import (
	"errors"
	"math"
	"sort"

	"github.com/lsc-bio/lsc/stats"
)

// ErrNotEstimable reports a series with too few usable points for a model.
var ErrNotEstimable = errors.New("twin: not estimable")

// Decline is a fitted mono- or bi-exponential decline of one series.
type Decline struct {
	fitted
	Model       string  // "biphasic" or "monophasic"
	Params      []Param // A, a, B, b, sd (biphasic) or A, a, sd (monophasic)
	N, Censored int
	// Likelihood-ratio test of two phases against one (df 2).
	LRT, LRTP float64
	BiLogLik  float64 // NaN when the biphasic model was not fitted
	Note      string
}

// Value returns the named parameter estimate (NaN when absent).
func (d *Decline) Value(name string) float64 {
	for _, p := range d.Params {
		if p.Name == name {
			return p.Estimate
		}
	}
	return math.NaN()
}

// Level returns the fitted level (percent) at day t.
func (d *Decline) Level(t float64) float64 { return math.Pow(10, d.m.mu(d.p, Obs{Day: t})) }

const ln10 = math.Ln10

// biModel: log10 level = log10(A e^-at + B e^-bt), A, B in % at day 0,
// a > b > 0 per day.
var biModel = &model{
	names:    []string{"A", "a", "B", "b", "sd"},
	positive: []bool{true, true, true, true, true},
	valid:    func(p []float64) bool { return p[1] > p[3] },
	mu: func(p []float64, o Obs) float64 {
		return math.Log10(p[0]*math.Exp(-p[1]*o.Day) + p[2]*math.Exp(-p[3]*o.Day))
	},
	sdIndex: 4,
}

func init() {
	biModel.through = func(p []float64, t, y float64) constraint { return through(biModel, p, t, y) }
	monoModel.through = func(p []float64, t, y float64) constraint { return through(monoModel, p, t, y) }
}

// monoModel: log10 level = log10(A e^-at); a may be negative (a rise).
var monoModel = &model{
	names:    []string{"A", "a", "sd"},
	positive: []bool{true, false, true},
	mu: func(p []float64, o Obs) float64 {
		return math.Log10(p[0]) - p[1]*o.Day/ln10
	},
	sdIndex: 2,
}

// through constrains the curve to pass through level 10^y at day t by
// eliminating one amplitude: A while the first phase dominates at t under
// the estimate pHat, B once the second does (B e^-bt is then the
// well-conditioned term; eliminating A would need A e^-at to the last bits).
func through(m *model, pHat []float64, t, y float64) constraint {
	k, other := 0, 2
	if m.names[2] == "B" && pHat[2]*math.Exp(-pHat[3]*t) > pHat[0]*math.Exp(-pHat[1]*t) {
		k, other = 2, 0
	}
	return constraint{fix: k, set: func(p []float64) bool {
		rest := 0.0
		if m.names[2] == "B" {
			rest = p[other] * math.Exp(-p[other+1]*t)
		}
		v := (math.Pow(10, y) - rest) * math.Exp(p[k+1]*t)
		if !(v > 0) || math.IsInf(v, 0) {
			return false
		}
		p[k] = v
		return true
	}}
}

func detected(obs []Obs) (x, y []float64) {
	for _, o := range obs {
		if !o.Censored {
			x = append(x, o.Day)
			y = append(y, o.Y)
		}
	}
	return
}

func distinctDays(x []float64) int {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	n := 0
	for i := range s {
		if i == 0 || s[i] != s[i-1] {
			n++
		}
	}
	return n
}

// monoStarts: least-squares line through the detected values.
func monoStarts(obs []Obs) [][]float64 {
	x, y := detected(obs)
	f, err := stats.FitLine(x, y, 0.95)
	if err != nil {
		return nil
	}
	sd := f.Residual
	if !(sd > 0.05) {
		sd = 0.05
	}
	return [][]float64{{math.Pow(10, f.Intercept), -f.Slope * ln10, sd}}
}

// biStarts are the fixed start rules of the biphasic fit: lines through
// the first and second halves (and thirds) of the detected values give the
// fast and slow phases; a third start uses the textbook CML slopes
// (0.05 and 0.005 per day, Michor 2005, Tang 2011).
func biStarts(obs []Obs) [][]float64 {
	x, y := detected(obs)
	var out [][]float64
	for _, frac := range []float64{0.5, 1.0 / 3} {
		k := int(math.Round(float64(len(x)) * frac))
		if k < 2 || len(x)-k < 2 {
			continue
		}
		f1, e1 := stats.FitLine(x[:k], y[:k], 0.95)
		f2, e2 := stats.FitLine(x[k:], y[k:], 0.95)
		if e1 != nil || e2 != nil {
			continue
		}
		b := math.Max(-f2.Slope*ln10, 1e-4)
		a := math.Max(-f1.Slope*ln10, 3*b)
		B := math.Pow(10, f2.Intercept)
		A := math.Max(math.Pow(10, f1.Intercept)-B, 0.1*math.Pow(10, f1.Intercept))
		out = append(out, []float64{A, a, B, b, 0.2})
	}
	y0 := y[0] + 0.05*x[0]/ln10 // back to day 0 along the fast slope
	out = append(out, []float64{math.Pow(10, y0) * 0.99, 0.05, math.Pow(10, y0) * 0.01, 0.005, 0.2})
	return out
}

// fitModel maximises the likelihood from each natural-scale start.
func (m *model) fit(obs []Obs, starts [][]float64) ([]float64, float64) {
	best, bestU := math.Inf(-1), []float64(nil)
	for _, s := range starts {
		f := func(u []float64) float64 { return -m.logLik(m.toNatural(u), obs) }
		u, fu := nelderMead(f, m.toInternal(s), 0.3)
		if -fu > best {
			best, bestU = -fu, u
		}
	}
	if bestU == nil {
		return nil, math.NaN()
	}
	return m.toNatural(bestU), best
}

// FitDecline fits the monophasic and, when there are enough points, the
// biphasic model to one series (days from the origin, log10 levels, the
// undetectable samples left-censored at their own limits) and keeps the
// biphasic one when the likelihood-ratio test (df 2) gives p < 0.05.
// Parameters get profile-likelihood 95% intervals.
func FitDecline(obs []Obs) (*Decline, error) {
	x, _ := detected(obs)
	if len(x) < 3 || distinctDays(x) < 2 {
		return nil, ErrNotEstimable
	}
	pm, llm := monoModel.fit(obs, monoStarts(obs))
	if pm == nil {
		return nil, ErrNotEstimable
	}
	d := &Decline{fitted: fitted{m: monoModel, p: pm, LogLik: llm, obs: obs}, Model: "monophasic", N: len(obs), BiLogLik: math.NaN(), LRT: math.NaN(), LRTP: math.NaN()}
	for _, o := range obs {
		if o.Censored {
			d.Censored++
		}
	}
	if len(x) >= 6 && distinctDays(x) >= 6 {
		starts := biStarts(obs)
		// The monophasic fit split into two equal phases is a start too.
		if pm[1] > 0 {
			starts = append(starts, []float64{pm[0] * 0.9, pm[1] * 1.5, pm[0] * 0.1, pm[1] * 0.5, pm[2]})
		}
		pb, llb := biModel.fit(obs, starts)
		if pb != nil {
			d.BiLogLik = llb
			d.LRT = math.Max(2*(llb-llm), 0)
			d.LRTP = math.Exp(-d.LRT / 2) // chi-square df 2 upper tail
			if d.LRTP < 0.05 {
				d.Model, d.m, d.p, d.LogLik = "biphasic", biModel, pb, llb
				d.Note = "two phases: likelihood-ratio test against one phase p = " + fmtP(d.LRTP)
			} else {
				d.Note = "one phase: the data do not support a second phase (likelihood-ratio test p = " + fmtP(d.LRTP) + ")"
			}
		}
	} else {
		d.Note = "one phase: fewer than 6 detectable dates, the biphasic model is not estimable"
	}
	d.Params = d.profileAll(unitOf)
	return d, nil
}

func unitOf(name string) string {
	switch name {
	case "A", "B":
		return "% at day 0"
	case "a", "b":
		return "per day"
	case "sd":
		return "log10"
	}
	return ""
}
