package mrd

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/lsc-bio/lsc/stats"
)

// Series is the kinetics of one patient's fraction, target and control.
type Series struct {
	Patient, Fraction, Target, ControlGene string
	Scale                                  string // "IS" or "ratio"
	Stem                                   bool
	N                                      int // detectable samples fitted
	Undetectable                           int // undetectable samples left out of the fit
	First, Last                            time.Time
	SlopePerYear                           float64        // log10 per year; NaN when N < 2
	SlopeCI                                stats.Interval // per year; NaN bounds when N < 3
	HalvingDays                            float64        // NaN unless declining slope
	HalvingCI                              stats.Interval // +Inf upper when the slope interval reaches 0
	ChangeLog                              float64        // fitted log10 change from first to last sample
	Declining                              bool
	Persistent                             bool
	Note                                   string
}

// series groups samples by patient, fraction, target and control gene (in
// order of first appearance) and fits each in date order.
func (a *Assessment) series() {
	idx := map[string]int{}
	var pts [][]int // sample indices per series
	for si, s := range a.Samples {
		k := strings.Join([]string{s.Patient, s.Fraction, s.Target, s.ControlGene}, "\x00")
		i, ok := idx[k]
		if !ok {
			i = len(a.Series)
			idx[k] = i
			scale := "ratio"
			if s.OnIS {
				scale = "IS"
			}
			a.Series = append(a.Series, Series{Patient: s.Patient, Fraction: s.Fraction, Target: s.Target, ControlGene: s.ControlGene, Scale: scale, Stem: a.Params.IsStem(s.Fraction)})
			pts = append(pts, nil)
		}
		pts[i] = append(pts[i], si)
	}
	for i := range a.Series {
		p := pts[i]
		sort.SliceStable(p, func(x, y int) bool { return a.Samples[p[x]].Date.Before(a.Samples[p[y]].Date) })
		a.fit(&a.Series[i], p)
	}
}

// fit fits log10 of the detectable levels linearly on days since the first.
func (a *Assessment) fit(sr *Series, samples []int) {
	sr.SlopePerYear, sr.HalvingDays, sr.ChangeLog = math.NaN(), math.NaN(), math.NaN()
	nan := stats.Interval{Lower: math.NaN(), Upper: math.NaN()}
	sr.SlopeCI, sr.HalvingCI = nan, nan
	var x, y []float64
	for _, si := range samples {
		s := a.Samples[si]
		if !s.Detectable {
			sr.Undetectable++
			continue
		}
		if sr.N == 0 {
			sr.First = s.Date
		}
		sr.Last = s.Date
		sr.N++
		x = append(x, s.Date.Sub(sr.First).Hours()/24)
		y = append(y, math.Log10(s.Value()))
	}
	if sr.Undetectable > 0 {
		sr.Note = fmt.Sprintf("%d undetectable sample(s) not fitted", sr.Undetectable)
	}
	fit, err := stats.FitLine(x, y, 0.95)
	if err != nil {
		if sr.N > 0 {
			sr.Note = strings.TrimPrefix(sr.Note+"; fewer than two dates with detectable target: no slope", "; ")
		}
		return
	}
	const year = 365.25
	sr.SlopePerYear = fit.Slope * year
	sr.SlopeCI = stats.Interval{Lower: fit.SlopeCI.Lower * year, Upper: fit.SlopeCI.Upper * year}
	sr.ChangeLog = fit.Slope * x[len(x)-1]
	sr.Declining = sr.ChangeLog <= -a.Params.DeclineLog
	if fit.Slope < 0 {
		sr.HalvingDays = math.Log10(2) / -fit.Slope
		if fit.N >= 3 {
			lo, hi := math.Log10(2)/-fit.SlopeCI.Lower, math.Inf(1)
			if fit.SlopeCI.Upper < 0 {
				hi = math.Log10(2) / -fit.SlopeCI.Upper
			}
			sr.HalvingCI = stats.Interval{Lower: lo, Upper: hi}
		}
	}
}

// persistence flags a stem fraction not declining while another fraction
// of the same patient, over overlapping dates, declines. Only the
// patient's own series are compared.
func (a *Assessment) persistence() {
	for i := range a.Series {
		st := &a.Series[i]
		if !st.Stem || st.N < 2 || st.Declining {
			continue
		}
		for _, j := range a.SeriesOf(st.Patient) {
			o := a.Series[j]
			if j == i || o.Stem || !o.Declining || o.Last.Before(st.First) || st.Last.Before(o.First) {
				continue
			}
			st.Persistent = true
			st.Note = strings.TrimPrefix(st.Note+"; "+fmt.Sprintf("persistence: %+.2f log while %s changed %+.2f log", st.ChangeLog, o.Fraction, o.ChangeLog), "; ")
			break
		}
	}
}
