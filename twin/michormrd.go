package twin

import (
	"fmt"
	"math"
	"time"

	"github.com/lsc-bio/lsc/mrd"

	"github.com/lsc-bio/lsc/internal/par"
)

// MichorOptions are the choices of a Michor 2005 twin fit.
type MichorOptions struct {
	Const       MichorParams // rate constants; zero value = DefaultMichorParams
	ConstSource string       // where Const comes from (a file name); empty = the quoted published values
	// Stop projection: therapy stopped on StopDate (each patient's day from
	// its own day 0) or, when StopDate is zero, on day StopDay; neither
	// (StopDay NaN or <= 0 and StopDate zero) projects continued therapy only.
	StopDate    time.Time
	StopDay     float64
	HorizonDays float64 // projection beyond the last sample (or the stop day); default 730
	GridPoints  int     // default 40
	Jobs        int
}

// Scenarios of the Michor projections (ScenarioFitted and
// ScenarioContinued as for the MRD fit).
const ScenarioStopped = "model projection: therapy stopped"

// MichorSeries is the Michor twin of one blood series.
type MichorSeries struct {
	Series
	Fit          *MichorFit // nil when not estimable
	NotEstimable string
	StopDay      float64 // NaN without a stop projection
	StopNote     string  // why no stop projection was made
	Derived      []Param // lsc_at_stop, relapse_days_after_stop
	Curve        []Point
}

// MichorResult is the Michor twin of every blood series of an assessment.
type MichorResult struct {
	Options MichorOptions
	Series  []MichorSeries
}

// FitMichorMRD fits the Michor 2005 model to every blood series of the
// assessment (the model's ratio is that of terminally differentiated blood
// cells; stem-cell and other fractions are listed as not fitted) and
// projects continued therapy and, when asked, stopping.
func FitMichorMRD(a *mrd.Assessment, opt MichorOptions) (*MichorResult, error) {
	if opt.Const == (MichorParams{}) {
		opt.Const = DefaultMichorParams()
	}
	if err := opt.Const.check(); err != nil {
		return nil, err
	}
	if !(opt.HorizonDays > 0) {
		opt.HorizonDays = 730
	}
	if opt.GridPoints <= 0 {
		opt.GridPoints = 40
	}
	series := SeriesFromMRD(a)
	res := &MichorResult{Options: opt, Series: make([]MichorSeries, len(series))}
	err := par.Each(len(series), opt.Jobs, func(i int) error {
		s := series[i]
		ms := MichorSeries{Series: s, StopDay: math.NaN()}
		defer func() { res.Series[i] = ms }()
		if s.Stem || !a.Params.IsBlood(s.Fraction) {
			ms.NotEstimable = "not fitted: the Michor 2005 model describes the ratio in blood (terminally differentiated cells), not in " + s.Fraction
			return nil
		}
		f, err := FitMichor(s.Obs, opt.Const)
		if err != nil {
			if errorsIsNotEstimable(err) {
				ms.NotEstimable = "not estimable: needs at least 4 detectable samples on 3 or more dates"
				return nil
			}
			return fmt.Errorf("%s %s: %w", s.Patient, s.Name(), err)
		}
		ms.Fit = f
		last := s.Obs[len(s.Obs)-1].Day
		stop := opt.StopDay
		if !opt.StopDate.IsZero() {
			stop = DaysBetween(s.Origin, opt.StopDate)
		}
		switch {
		case opt.StopDate.IsZero() && !(opt.StopDay > 0):
		case stop < last:
			ms.StopNote = fmt.Sprintf("no stop projection: the stop day %s is before the last sample (day %s); the fit assumes therapy continued through every sample", g4(stop), g4(last))
		default:
			ms.StopDay = stop
			ms.Derived = append(ms.Derived, f.StemCellsAt(stop))
			r := f.Relapse(stop)
			if math.IsNaN(r.Estimate) {
				r.Method = "not defined: the modelled ratio is above 0.1% on the stop day (no MMR to lose)"
			}
			ms.Derived = append(ms.Derived, r)
		}
		ms.Curve = michorCurve(f, s, ms.StopDay, opt)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func errorsIsNotEstimable(err error) bool {
	for e := err; e != nil; {
		if e == ErrNotEstimable {
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}

// michorCurve evaluates the fitted course (continued therapy) from day 0
// to the last sample, its continuation HorizonDays beyond, and, with a
// stop day, the stopped course from the stop day to HorizonDays beyond
// it; each point with its pointwise profile-likelihood 95% interval.
func michorCurve(f *MichorFit, s Series, stop float64, opt MichorOptions) []Point {
	first, last := math.Min(0, s.Obs[0].Day), s.Obs[len(s.Obs)-1].Day
	end := last + opt.HorizonDays
	if stop >= last {
		end = math.Max(end, stop+opt.HorizonDays)
	}
	step := math.Max(1, math.Ceil((end-first)/float64(opt.GridPoints)))
	grid := func(a, b float64) []float64 {
		var d []float64
		for t := a; t < b; t += step {
			d = append(d, t)
		}
		return append(d, b)
	}
	var out []Point
	add := func(days []float64, stopAt float64, sc string) {
		for _, t := range days {
			e, l, h := f.PercentInterval(t, stopAt)
			out = append(out, Point{Day: t, Date: DateAt(s.Origin, t), Value: e, Lower: l, Upper: h, Scenario: sc})
		}
	}
	add(grid(first, last), math.Inf(1), ScenarioFitted)
	add(grid(last, end), math.Inf(1), ScenarioContinued)
	if !math.IsNaN(stop) {
		add(grid(stop, end), stop, ScenarioStopped)
	}
	return out
}
