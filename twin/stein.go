package twin

import (
	"errors"
	"math"
)

// steinModel is the expansion-contraction-persistence model of
// tisagenlecleucel cellular kinetics (Stein et al., CPT Pharmacometrics
// Syst Pharmacol 2019;8:285, Figure 2 and the analytical solution of its
// supplement): the level grows exponentially at rate rho up to Tmax, where
// it reaches Cmax, then declines biexponentially, a fraction 1-FB
// contracting at rate alpha and a fraction FB persisting at rate beta:
//
//	t <  Tmax: C(t) = Cmax exp(rho (t - Tmax))
//	t >= Tmax: C(t) = Cmax ((1-FB) exp(-alpha (t-Tmax)) + FB exp(-beta (t-Tmax)))
//
// fitted per patient on log10 with a normal error (Stein's "constant error
// model in log scale") and left-censoring at the lloq. fold expansion is
// exp(rho Tmax).
var steinModel = &model{
	names:    []string{"Cmax", "Tmax", "rho", "alpha", "FB", "beta", "sd"},
	positive: []bool{true, true, true, true, true, true, true},
	valid:    func(p []float64) bool { return p[4] < 1 && p[3] > p[5] },
	mu: func(p []float64, o Obs) float64 {
		return math.Log10(p[0]) + steinShape(p, o.Day)
	},
	sdIndex: 6,
}

// steinShape is log10(C(t)/Cmax).
func steinShape(p []float64, t float64) float64 {
	tm, rho, alpha, fb, beta := p[1], p[2], p[3], p[4], p[5]
	if t < tm {
		return rho * (t - tm) / ln10
	}
	return math.Log10((1-fb)*math.Exp(-alpha*(t-tm)) + fb*math.Exp(-beta*(t-tm)))
}

// steinStarts moves Tmax into the middle of the gaps between sample days
// next to the current one: the likelihood has a kink wherever Tmax crosses
// a sample day and often a mode on each side.
func steinStarts(p []float64, obs []Obs) [][]float64 {
	var days []float64
	for _, o := range obs {
		days = append(days, o.Day)
	}
	sortFloats(days)
	k := 0
	for k < len(days) && days[k] <= p[1] {
		k++
	}
	// The expansion is re-aimed so the curve keeps its level at the first
	// measurable sample before Tmax.
	t1 := math.NaN()
	for _, o := range obs {
		if !o.Censored && o.Day < p[1] {
			t1 = o.Day
			break
		}
	}
	var out [][]float64
	for _, j := range []int{k - 2, k} { // the gap below and the gap above the one holding Tmax
		if j < 0 || j+1 >= len(days) || !(days[j] > 0 || days[j+1] > 0) {
			continue
		}
		q := append([]float64(nil), p...)
		q[1] = math.Max((days[j]+days[j+1])/2, 0.25)
		if t1 < q[1] {
			q[2] = p[2] * (p[1] - t1) / (q[1] - t1)
		}
		out = append(out, q)
	}
	return out
}

func init() {
	steinModel.moreStarts = steinStarts
	steinModel.through = func(_ []float64, t, y float64) constraint {
		return constraint{fix: 0, set: func(p []float64) bool {
			p[0] = math.Pow(10, y-steinShape(p, t))
			return p[0] > 0 && !math.IsInf(p[0], 0)
		}}
	}
}

// CARTFit is the Stein 2019 model fitted to one patient.
type CARTFit struct {
	fitted
	Params []Param // Cmax, Tmax, rho, alpha, FB, beta, sd
	N, BLQ int
}

func steinUnit(n string) string {
	switch n {
	case "Tmax":
		return "days"
	case "rho", "alpha", "beta":
		return "per day"
	case "FB":
		return "fraction"
	case "sd":
		return "log10"
	}
	return "input unit"
}

// FitStein fits the Stein 2019 model to one course. Needs at least 7
// measurable samples (7 parameters) with one before and two after the
// highest. Start rules: Tmax at the highest sample and at 0.8 and 1.25 times
// it; rho from the first measurable sample to the peak (0.5 per day when
// the peak is first); alpha 0.16 and beta 0.0032 per day and FB 0.0079
// (the population values of Stein 2019, Table 1), sd 0.3.
func FitStein(s []CARTSample) (*CARTFit, error) {
	var obs []Obs
	imax, nmeas := -1, 0
	for _, x := range s {
		o := Obs{Day: x.Day, Y: math.NaN()}
		if x.BLQ {
			o.Censored, o.Limit = true, math.Log10(x.LLOQ)
		} else {
			if x.Value <= 0 {
				continue
			}
			o.Y = math.Log10(x.Value)
			if imax < 0 || o.Y > obs[imax].Y {
				imax = len(obs)
			}
			nmeas++
		}
		obs = append(obs, o)
	}
	if nmeas < 7 || imax < 1 || len(obs)-imax < 3 {
		return nil, errors.Join(ErrNotEstimable, errors.New("the Stein model needs at least 7 measurable samples, with one before and two after the peak"))
	}
	peak := obs[imax]
	tm := math.Max(peak.Day, 0.5)
	rho := 0.5
	for _, o := range obs[:imax] {
		if !o.Censored && o.Day < peak.Day {
			rho = math.Max((peak.Y-o.Y)*ln10/(peak.Day-o.Day), 0.05)
			break
		}
	}
	var starts [][]float64
	for _, f := range []float64{1, 0.8, 1.25} {
		starts = append(starts, []float64{math.Pow(10, peak.Y), tm * f, rho, 0.16, 0.0079, 0.0032, 0.3})
	}
	p, ll := steinModel.fit(obs, starts)
	if p == nil {
		return nil, ErrNotEstimable
	}
	f := &CARTFit{fitted: fitted{m: steinModel, p: p, obs: obs, LogLik: ll}, N: len(obs), BLQ: len(obs) - nmeas}
	f.Params = f.profileAll(steinUnit)
	return f, nil
}

// FoldExpansion is exp(rho Tmax), the level at Tmax over the level at day 0.
func (f *CARTFit) FoldExpansion() float64 { return math.Exp(f.p[2] * f.p[1]) }
