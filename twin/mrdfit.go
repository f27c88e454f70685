package twin

import (
	"errors"
	"math"
	"time"

	"github.com/lsc-bio/lsc/mrd"

	"github.com/lsc-bio/lsc/internal/par"
)

// Options are the choices of an MRD twin fit.
type Options struct {
	HorizonDays float64 // projection beyond the last measurement; default 730
	GridPoints  int     // about this many projection days per series; default 40
	Jobs        int     // series fitted in parallel; default 1 (results do not depend on it)
}

// Point is one day of a fitted or projected curve, in the series' unit.
type Point struct {
	Day                 float64
	Date                time.Time
	Value, Lower, Upper float64
	Scenario            string
}

// Scenarios of MRD projections.
const (
	ScenarioFitted    = "fitted"
	ScenarioContinued = "model projection: continued therapy"
)

// SeriesFit is the twin of one series.
type SeriesFit struct {
	Series
	Fit          *Decline // nil when not estimable
	NotEstimable string
	Derived      []Param // half-lives and predicted milestone days
	Curve        []Point
}

// PatientComparison is a stem-vs-blood slope comparison in one patient.
type PatientComparison struct {
	Patient string
	SlopeComparison
}

// MRDResult is the twin fit of every series in an MRD assessment.
type MRDResult struct {
	Options     Options
	Series      []SeriesFit
	Comparisons []PatientComparison
}

// FitMRD fits every series of the assessment, derives half-lives and
// predicted milestone days for series on the International Scale, projects
// the curve and compares each stem-cell fraction's final slope with the
// blood's of the same patient and target.
func FitMRD(a *mrd.Assessment, opt Options) (*MRDResult, error) {
	if !(opt.HorizonDays > 0) {
		opt.HorizonDays = 730
	}
	if opt.GridPoints <= 0 {
		opt.GridPoints = 40
	}
	res := &MRDResult{Options: opt}
	series := SeriesFromMRD(a)
	res.Series = make([]SeriesFit, len(series))
	err := par.Each(len(series), opt.Jobs, func(i int) error {
		s := series[i]
		sf := SeriesFit{Series: s}
		d, err := FitDecline(s.Obs)
		switch {
		case errors.Is(err, ErrNotEstimable):
			sf.NotEstimable = "not estimable: needs at least 3 detectable samples on 2 or more dates"
		case err != nil:
			return err
		default:
			sf.Fit = d
			sf.Derived = d.HalfLives()
			if s.Scale == "IS" {
				for _, m := range Milestones {
					e, l, h := d.CrossingDay(m.Percent)
					sf.Derived = append(sf.Derived, Param{Name: "day_" + m.Name, Estimate: e, Lower: l, Upper: h, Unit: "days from " + s.OriginRule + " " + s.Origin.Format("2006-01-02"),
						Method: "day the fitted curve reaches " + fmtP(m.Percent) + "% IS; profile-likelihood 95% interval"})
				}
			}
			sf.Curve = curve(d, s, opt)
		}
		res.Series[i] = sf
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range res.Series {
		st := &res.Series[i]
		if !st.Stem || st.Fit == nil {
			continue
		}
		for j := range res.Series {
			bl := &res.Series[j]
			if bl.Patient != st.Patient || bl.Target != st.Target || bl.Stem || bl.Fit == nil || !a.Params.IsBlood(bl.Fraction) {
				continue
			}
			c := CompareSlopes(bl.Fit, st.Fit)
			c.Stem, c.Blood = st.Name(), bl.Name()
			res.Comparisons = append(res.Comparisons, PatientComparison{Patient: st.Patient, SlopeComparison: c})
			break
		}
	}
	return res, nil
}

// curve evaluates the fit with pointwise profile intervals on an even grid
// of whole days from day 0 (or the first sample) to HorizonDays after the
// last sample; the last sample's day is on the grid and closes the fitted
// part and opens the projection.
func curve(d *Decline, s Series, opt Options) []Point {
	first, last := math.Min(0, s.Obs[0].Day), s.Obs[len(s.Obs)-1].Day
	end := last + opt.HorizonDays
	step := math.Max(1, math.Ceil((end-first)/float64(opt.GridPoints)))
	var days []float64
	for t := first; t < last; t += step {
		days = append(days, t)
	}
	days = append(days, last)
	for t := last + step; t < end; t += step {
		days = append(days, t)
	}
	days = append(days, end)
	var out []Point
	for _, t := range days {
		e, l, h := d.LevelInterval(t)
		p := Point{Day: t, Date: DateAt(s.Origin, t), Value: math.Pow(10, e), Lower: math.Pow(10, l), Upper: math.Pow(10, h)}
		if t <= last {
			p.Scenario = ScenarioFitted
			out = append(out, p)
		}
		if t >= last {
			p.Scenario = ScenarioContinued
			out = append(out, p)
		}
	}
	return out
}
