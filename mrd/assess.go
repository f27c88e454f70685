package mrd

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/stats"
)

// Params are the choices lsc makes where the guidelines are silent.
type Params struct {
	WindowDays     int       // a milestone uses the blood sample nearest to it within this many days
	DeclineLog     float64   // a series declines when its fitted change is <= -DeclineLog log10
	BloodFractions []string  // fraction names counted as blood for milestones; empty = PB, blood, peripheral blood, PB-MNC, WBC
	StemFractions  []string  // fraction names counted as stem cells; empty = names with CD38-, CD38low, CD90+, LSC or HSC
	AsOf           time.Time // date of the TKI-duration and TFR assessment; zero = the patient's last measurement
}

// DefaultParams returns the documented defaults.
func DefaultParams() Params { return Params{WindowDays: 42, DeclineLog: 0.5} }

// Row is one input row with what lsc derived from it.
type Row struct {
	Measurement
	RatioPercent float64 // target/control x 100 of this row; NaN for FISH
	ISPercent    float64 // NaN when not on the International Scale
	LogReduction float64 // log10(100/IS %); NaN when undetectable or not on IS
	Response     Response
	Detectable   bool
	ClonePercent float64        // FISH: abnormal/scored x 100; NaN for qPCR
	CloneCI      stats.Interval // FISH: Clopper-Pearson 95 %, in percent
	Sample       int            // index in Assessment.Samples; -1 for FISH
	Notes        []string
}

// Sample is one qPCR sample: the replicate rows of one patient, date,
// fraction, target, control gene and conversion factor, combined.
type Sample struct {
	Patient, Fraction, Target, ControlGene string
	Date                                   time.Time
	CF                                     float64
	Rows                                   []int // indices in Assessment.Rows
	TargetCopies, ControlCopies            float64
	RatioPercent                           float64
	ISPercent                              float64 // NaN when not on IS
	OnIS                                   bool
	Detectable                             bool
	Limit                                  float64 // level (IS % or ratio %) one target copy would give: the sensitivity
	Response                               Response
	Rule                                   string
}

// Value is the sample's level on its scale: IS % when on IS, else ratio %.
func (s Sample) Value() float64 {
	if s.OnIS {
		return s.ISPercent
	}
	return s.RatioPercent
}

// Assessment is the result of Assess.
type Assessment struct {
	Params   Params
	Rows     []Row
	Samples  []Sample
	Series   []Series
	Patients []PatientResult

	byPatient map[string]*patientIndex
	unordered map[string][]int // per patient, input lines dated before an earlier row
}

// patientIndex holds one patient's rows (input order), samples (date
// order) and series, so per-patient work never scans the whole cohort.
type patientIndex struct {
	rows, samples, series []int
}

// RowsOf returns the indices in Rows of a patient's rows, in input order.
func (a *Assessment) RowsOf(id string) []int { return a.index(id).rows }

// SamplesOf returns the indices in Samples of a patient's qPCR samples, in
// date order (input order within a date).
func (a *Assessment) SamplesOf(id string) []int { return a.index(id).samples }

// SeriesOf returns the indices in Series of a patient's kinetic series.
func (a *Assessment) SeriesOf(id string) []int { return a.index(id).series }

func (a *Assessment) index(id string) *patientIndex {
	if a.byPatient == nil {
		a.reindex()
	}
	if ix := a.byPatient[id]; ix != nil {
		return ix
	}
	return &patientIndex{}
}

// reindex builds the per-patient index from Rows, Samples and Series.
func (a *Assessment) reindex() {
	a.byPatient = map[string]*patientIndex{}
	get := func(id string) *patientIndex {
		ix := a.byPatient[id]
		if ix == nil {
			ix = &patientIndex{}
			a.byPatient[id] = ix
		}
		return ix
	}
	for i := range a.Rows {
		ix := get(a.Rows[i].Patient)
		ix.rows = append(ix.rows, i)
	}
	for i := range a.Samples {
		ix := get(a.Samples[i].Patient)
		ix.samples = append(ix.samples, i)
	}
	for _, ix := range a.byPatient {
		sort.SliceStable(ix.samples, func(i, j int) bool { return a.Samples[ix.samples[i]].Date.Before(a.Samples[ix.samples[j]].Date) })
	}
	for i := range a.Series {
		ix := get(a.Series[i].Patient)
		ix.series = append(ix.series, i)
	}
}

// Assess applies the rules to every row, sample, series and patient.
// patients may be nil. The work is linear in the number of rows.
func Assess(d *Data, patients map[string]*Patient, p Params) (*Assessment, error) {
	if p.WindowDays <= 0 {
		p.WindowDays = 42
	}
	if !(p.DeclineLog > 0) {
		p.DeclineLog = 0.5
	}
	a := &Assessment{Params: p, Rows: make([]Row, len(d.Rows))}
	if err := a.score(d); err != nil {
		return nil, err
	}
	a.combine()
	a.series()
	a.reindex()
	a.persistence()
	a.patients(patients)
	return a, nil
}

// score derives each row's values and groups qPCR rows into samples.
func (a *Assessment) score(d *Data) error {
	type sampleKey struct {
		patient, fraction, target, control string
		date                               time.Time
		cf                                 float64
	}
	key := make(map[sampleKey]int, len(d.Rows))
	reps := map[sampleKey]map[string]int{} // replicate labels per sample, only where given
	a.Samples = make([]Sample, 0, len(d.Rows))
	latest := map[string]Measurement{} // per patient, the latest-dated row so far
	a.unordered = map[string][]int{}
	for i, m := range d.Rows {
		r := Row{Measurement: m, RatioPercent: math.NaN(), ISPercent: math.NaN(), LogReduction: math.NaN(), ClonePercent: math.NaN(), Sample: -1}
		if prev, ok := latest[m.Patient]; ok && m.Date.Before(prev.Date) {
			r.Notes = append(r.Notes, fmt.Sprintf("out of date order: %s is before %s on line %d; the patient's rows are assessed in date order",
				m.Date.Format(dateLayout), prev.Date.Format(dateLayout), prev.Line))
			a.unordered[m.Patient] = append(a.unordered[m.Patient], m.Line)
		} else {
			latest[m.Patient] = m
		}
		if m.Assay == FISH {
			if err := scoreFISH(&r); err != nil {
				return fmt.Errorf("%s line %d: %w", d.Path, m.Line, err)
			}
			a.Rows[i] = r
			continue
		}
		r.Detectable = m.TargetCopies > 0
		r.RatioPercent = percent(m.TargetCopies, m.ControlCopies, 1)
		if OnIS(m.Target, m.ControlGene) {
			r.ISPercent = percent(m.TargetCopies, m.ControlCopies, m.CF)
			if r.Detectable {
				r.LogReduction = math.Log10(100 / r.ISPercent)
			}
			if !m.CFGiven {
				r.Notes = append(r.Notes, "no conversion factor given: 1 used (IS only if the laboratory's factor is 1)")
			}
		}
		k := sampleKey{m.Patient, m.Fraction, m.Target, m.ControlGene, m.Date, m.CF}
		si, ok := key[k]
		if !ok {
			si = len(a.Samples)
			key[k] = si
			a.Samples = append(a.Samples, Sample{Patient: m.Patient, Fraction: m.Fraction, Target: m.Target, ControlGene: m.ControlGene, Date: m.Date, CF: m.CF, OnIS: OnIS(m.Target, m.ControlGene)})
		}
		if m.Replicate != "" {
			if reps[k] == nil {
				reps[k] = map[string]int{}
			}
			if prev, dup := reps[k][m.Replicate]; dup {
				return inputErr(ErrReplicate, formats.Errorf(d.Path, m.Line, "column replicate", "number replicates 1, 2, 3 or remove the duplicate row",
					"replicate %q of patient %s, %s, %s is also on line %d", m.Replicate, m.Patient, m.Date.Format(dateLayout), m.Fraction, prev))
			}
			reps[k][m.Replicate] = m.Line
		}
		s := &a.Samples[si]
		s.Rows = append(s.Rows, i)
		s.TargetCopies += m.TargetCopies
		s.ControlCopies += m.ControlCopies
		r.Sample = si
		a.Rows[i] = r
	}
	return nil
}

// combine scores each sample from its summed replicates and copies the
// response and rule to its rows.
func (a *Assessment) combine() {
	for si := range a.Samples {
		s := &a.Samples[si]
		s.Detectable = s.TargetCopies > 0
		s.RatioPercent = percent(s.TargetCopies, s.ControlCopies, 1)
		s.ISPercent = math.NaN()
		s.Limit = percent(1, s.ControlCopies, 1)
		if s.OnIS {
			s.ISPercent = percent(s.TargetCopies, s.ControlCopies, s.CF)
			s.Limit = percent(1, s.ControlCopies, s.CF)
		}
		s.Response, s.Rule = Classify(s.Target, s.ControlGene, s.TargetCopies, s.ControlCopies, s.CF)
		var combined string
		if len(s.Rows) > 1 {
			lines := make([]string, len(s.Rows))
			for j, rj := range s.Rows {
				lines[j] = fmt.Sprint(a.Rows[rj].Line)
			}
			combined = fmt.Sprintf("%d replicates combined (lines %s; copies summed, Cross 2015): %s/%s %s copies",
				len(s.Rows), strings.Join(lines, ", "), fmtCopies(s.TargetCopies), fmtCopies(s.ControlCopies), s.ControlGene)
		}
		for _, ri := range s.Rows {
			r := &a.Rows[ri]
			r.Response = s.Response
			if combined != "" {
				r.Notes = append(r.Notes, combined)
			}
			r.Notes = append(r.Notes, s.Rule)
		}
	}
}
