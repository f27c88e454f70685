package twin

import (
	"errors"
	"math"

	"github.com/lsc-bio/lsc/internal/par"
)

// CARTOptions are the choices of a CAR-T twin fit.
type CARTOptions struct {
	HorizonDays float64 // persistence projected beyond the last sample; default 365
	GridPoints  int     // default 40
	Jobs        int     // patients fitted in parallel; default 1
	// Outcomes, when given, relate Cmax and AUC0-28 to time to event by a
	// log-rank test of a median split (RelateSurvival).
	Outcomes map[string]CARTOutcome
}

// ScenarioPersistence labels CAR-T projections beyond the last sample.
const ScenarioPersistence = "model projection: persistence"

// CARTPatientFit is the twin of one CAR-T course.
type CARTPatientFit struct {
	CARTPatient
	NCA          NCA
	Fit          *CARTFit // nil when not estimable
	NotEstimable string
	Curve        []Point // Date is zero: days are from infusion
}

// CARTResult is the twin fit of every CAR-T course.
type CARTResult struct {
	Options  CARTOptions
	Patients []CARTPatientFit
}

// FitCART computes the NCA and fits the Stein 2019 model per patient, with
// the persistence projected HorizonDays beyond the last sample.
func FitCART(pts []CARTPatient, opt CARTOptions) (*CARTResult, error) {
	if !(opt.HorizonDays > 0) {
		opt.HorizonDays = 365
	}
	if opt.GridPoints <= 0 {
		opt.GridPoints = 40
	}
	res := &CARTResult{Options: opt, Patients: make([]CARTPatientFit, len(pts))}
	err := par.Each(len(pts), opt.Jobs, func(i int) error {
		p := pts[i]
		pf := CARTPatientFit{CARTPatient: p, NCA: ComputeNCA(p.Samples)}
		f, err := FitStein(p.Samples)
		switch {
		case errors.Is(err, ErrNotEstimable):
			pf.NotEstimable = "not estimable: " + err.Error()
		case err != nil:
			return err
		default:
			pf.Fit = f
			pf.Curve = cartCurve(f, p.Samples, opt)
		}
		res.Patients[i] = pf
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func cartCurve(f *CARTFit, s []CARTSample, opt CARTOptions) []Point {
	first, last := math.Min(0, s[0].Day), s[len(s)-1].Day
	end := last + opt.HorizonDays
	step := math.Max(1, math.Ceil((end-first)/float64(opt.GridPoints)))
	days := []float64{}
	for t := first; t < last; t += step {
		days = append(days, t)
	}
	// Tmax on the grid keeps the peak of the curve.
	days = append(days, f.p[1], last)
	for t := last + step; t < end; t += step {
		days = append(days, t)
	}
	days = append(days, end)
	sortFloats(days)
	var out []Point
	for _, t := range days {
		e, l, h := f.LevelInterval(t)
		p := Point{Day: t, Value: math.Pow(10, e), Lower: math.Pow(10, l), Upper: math.Pow(10, h)}
		if t <= last {
			p.Scenario = ScenarioFitted
			out = append(out, p)
		}
		if t >= last {
			p.Scenario = ScenarioPersistence
			out = append(out, p)
		}
	}
	return out
}
