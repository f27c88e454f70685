package twin

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// SlopeComparison tests whether a stem-cell fraction's final slope differs
// from the blood's in the same patient (the pattern of Chu et al., Blood
// 2011: BCR::ABL1 falls in blood and progenitors but barely in CD34+CD38-
// stem cells).
type SlopeComparison struct {
	Stem, Blood           string  // series names
	StemSlope, BloodSlope float64 // final-phase rate per day (b of a biphasic fit, a of a monophasic one)
	LogLikJoint           float64 // both series with one shared final slope
	LRT, P                float64 // likelihood-ratio test, chi-square df 1
	Shallower             bool    // stem slope < blood slope and P < 0.05
}

// finalSlope is the index of the last phase's rate.
func (d *Decline) finalSlope() int {
	if d.Model == "biphasic" {
		return 3
	}
	return 1
}

// CompareSlopes fits blood and stem jointly with their final slopes
// shared (each keeping its own chosen model and other parameters) and
// compares with the separate fits by a likelihood-ratio test.
func CompareSlopes(blood, stem *Decline) SlopeComparison {
	kb, ks := blood.finalSlope(), stem.finalSlope()
	nb, ns := len(blood.p), len(stem.p)
	// Joint vector: blood parameters, then stem parameters without its final slope.
	var names []string
	var pos []bool
	names = append(names, blood.m.names...)
	pos = append(pos, blood.m.positive...)
	for i := 0; i < ns; i++ {
		if i != ks {
			names = append(names, "stem_"+stem.m.names[i])
			pos = append(pos, stem.m.positive[i])
		}
	}
	split := func(p []float64) (pb, ps []float64) {
		pb = p[:nb]
		ps = make([]float64, 0, ns)
		j := nb
		for i := 0; i < ns; i++ {
			if i == ks {
				ps = append(ps, p[kb])
				continue
			}
			ps = append(ps, p[j])
			j++
		}
		return
	}
	// Positivity of a shared rate follows the blood model; a monophasic
	// stem slope may be negative, so a shared positive rate only restricts it.
	joint := &model{names: names, positive: pos, sdIndex: -1}
	ll := func(p []float64) float64 {
		pb, ps := split(p)
		return blood.m.logLik(pb, blood.obs) + stem.m.logLik(ps, stem.obs)
	}
	start := func(shared float64) []float64 {
		p := append([]float64(nil), blood.p...)
		p[kb] = shared
		for i := 0; i < ns; i++ {
			if i != ks {
				p = append(p, stem.p[i])
			}
		}
		return p
	}
	best := math.Inf(-1)
	for _, s := range [][]float64{start(blood.p[kb]), start(stem.p[ks])} {
		if joint.positive[kb] && !(s[kb] > 0) {
			continue
		}
		f := func(u []float64) float64 { return -ll(joint.toNatural(u)) }
		u, fu := nelderMead(f, joint.toInternal(s), 0.3)
		_ = u
		if -fu > best {
			best = -fu
		}
	}
	c := SlopeComparison{StemSlope: stem.p[ks], BloodSlope: blood.p[kb], LogLikJoint: best}
	c.LRT = math.Max(2*(blood.LogLik+stem.LogLik-best), 0)
	c.P = distuv.ChiSquared{K: 1}.Survival(c.LRT)
	c.Shallower = c.StemSlope < c.BloodSlope && c.P < 0.05
	return c
}
