package twin

import "math"

// Obs is one measurement on the log10 scale. A censored observation was
// below its own detection limit: only Y <= Limit is known.
type Obs struct {
	Day      float64 // days from the series' origin
	Y        float64 // log10 of the level; NaN when censored
	Censored bool
	Limit    float64 // log10 of the detection limit (used when censored)
	Group    int     // series index in joint fits
}

// model is a curve on the log10 scale with named parameters. Parameters
// marked positive are optimised on the natural log scale.
type model struct {
	names    []string
	positive []bool
	valid    func(p []float64) bool           // constraints beyond positivity; nil = none
	mu       func(p []float64, o Obs) float64 // log10 level
	sdIndex  int                              // index of the residual SD
	// through constrains the curve to level 10^y at day t by eliminating
	// one parameter; pHat is the estimate (for choosing which).
	through func(pHat []float64, t, y float64) constraint
	// moreStarts, when set, gives further natural-scale starts near p for
	// likelihoods with several modes (the Stein model's Tmax between
	// different pairs of sample days).
	moreStarts func(p []float64, obs []Obs) [][]float64
}

// fitted is a maximum-likelihood fit of a model to one series.
type fitted struct {
	m      *model
	p      []float64
	obs    []Obs
	LogLik float64
}

// Param is one estimate with its 95% interval.
type Param struct {
	Name         string
	Estimate     float64
	Lower, Upper float64 // NaN when not computed; +-Inf or 0 when the profile never crosses
	Method       string
	Unit         string
}

// logLik is the left-censored normal log-likelihood on the log10 scale:
// detected values contribute log phi((y-mu)/sd) - log sd, undetectable
// ones log Phi((limit-mu)/sd) (Tobit / Beal's M3 method).
func (m *model) logLik(p []float64, obs []Obs) float64 {
	sd := p[m.sdIndex]
	if !(sd > 0) {
		return math.Inf(-1)
	}
	if m.valid != nil && !m.valid(p) {
		return math.Inf(-1)
	}
	var ll float64
	for _, o := range obs {
		mu := m.mu(p, o)
		if math.IsNaN(mu) {
			return math.Inf(-1)
		}
		if o.Censored {
			ll += logPhi((o.Limit - mu) / sd)
			continue
		}
		z := (o.Y - mu) / sd
		ll += -0.5*z*z - math.Log(sd) - 0.5*math.Log(2*math.Pi)
	}
	if math.IsNaN(ll) {
		return math.Inf(-1)
	}
	return ll
}

// logPhi is log of the standard normal distribution function, accurate in
// the lower tail.
func logPhi(z float64) float64 {
	if z > -30 {
		return math.Log(0.5 * math.Erfc(-z/math.Sqrt2))
	}
	// Asymptotic series of Mills' ratio (Abramowitz & Stegun 26.2.12).
	z2 := z * z
	s := 1 - 1/z2 + 3/(z2*z2) - 15/(z2*z2*z2)
	return -0.5*z2 - math.Log(-z) - 0.5*math.Log(2*math.Pi) + math.Log(s)
}

// toInternal maps natural parameters to the optimiser's scale.
func (m *model) toInternal(p []float64) []float64 {
	u := make([]float64, len(p))
	for i, v := range p {
		if m.positive[i] {
			u[i] = math.Log(v)
		} else {
			u[i] = v
		}
	}
	return u
}

func (m *model) toNatural(u []float64) []float64 {
	p := make([]float64, len(u))
	for i, v := range u {
		if m.positive[i] {
			p[i] = math.Exp(v)
		} else {
			p[i] = v
		}
	}
	return p
}
