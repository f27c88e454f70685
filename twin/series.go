package twin

import (
	"math"
	"time"

	"github.com/lsc-bio/lsc/mrd"
)

// Series is one patient's course of one fraction, target and control gene,
// as package mrd assesses it: replicates combined, undetectable samples
// carrying their own detection limit (the level one target copy would give
// with the sample's control copies).
type Series struct {
	Patient, Fraction, Target, ControlGene string
	Scale                                  string // "IS" or "ratio"
	Stem                                   bool
	Origin                                 time.Time
	OriginRule                             string // "therapy start" or "first measurement"
	Dates                                  []time.Time
	Obs                                    []Obs
}

// Name labels the series in outputs: fraction, then target/control.
func (s Series) Name() string { return s.Fraction + " " + s.Target + "/" + s.ControlGene }

// SeriesFromMRD turns an MRD assessment into one series per patient,
// fraction, target and control gene, in the assessment's order. Day 0 is
// the patient's first therapy start when the patient sheet gives it, else
// the patient's first measurement.
func SeriesFromMRD(a *mrd.Assessment) []Series {
	first := map[string]time.Time{}
	for _, r := range a.Rows {
		if t, ok := first[r.Patient]; !ok || r.Date.Before(t) {
			first[r.Patient] = r.Date
		}
	}
	start := map[string]time.Time{}
	for _, p := range a.Patients {
		if !p.TherapyStart.IsZero() {
			start[p.ID] = p.TherapyStart
		}
	}
	var out []Series
	for _, sr := range a.Series {
		s := Series{Patient: sr.Patient, Fraction: sr.Fraction, Target: sr.Target, ControlGene: sr.ControlGene, Scale: sr.Scale, Stem: sr.Stem}
		if t, ok := start[sr.Patient]; ok {
			s.Origin, s.OriginRule = t, "therapy start"
		} else {
			s.Origin, s.OriginRule = first[sr.Patient], "first measurement"
		}
		for _, sm := range a.Samples {
			if sm.Patient != sr.Patient || sm.Fraction != sr.Fraction || sm.Target != sr.Target || sm.ControlGene != sr.ControlGene {
				continue
			}
			o := Obs{Day: DaysBetween(s.Origin, sm.Date), Y: math.NaN()}
			if sm.Detectable {
				o.Y = math.Log10(sm.Value())
			} else {
				o.Censored, o.Limit = true, math.Log10(sm.Limit)
			}
			s.Obs = append(s.Obs, o)
			s.Dates = append(s.Dates, sm.Date)
		}
		out = append(out, s)
	}
	return out
}

// DaysBetween returns whole calendar days from a to b.
func DaysBetween(a, b time.Time) float64 {
	return math.Round(b.Sub(a).Hours() / 24)
}

// DateAt returns the calendar date day d after the origin (rounded down
// to a whole day).
func DateAt(origin time.Time, d float64) time.Time {
	return origin.AddDate(0, 0, int(math.Floor(d)))
}
