package mrd

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

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

// Milestone is one ELN 2020 response assessment.
type Milestone struct {
	Name         string // "3 months", "6 months", "12 months", "latest"
	Due          time.Time
	SampleDate   time.Time // zero when no sample was usable
	ISPercent    float64   // NaN when none; for undetectable samples the sensitivity
	Undetectable bool
	Status       string // optimal, warning, failure, not assessable
	Rule         string
}

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

// Expansion is a FISH clone whose interval moved up.
type Expansion struct {
	Patient, Fraction, Probe string
	From, To                 time.Time
	FromCI, ToCI             stats.Interval // percent
	Line                     int            // input line of the later measurement
}

// PatientResult is everything lsc concludes for one patient.
type PatientResult struct {
	ID           string
	Record       *Patient // nil when the patient sheet has no row for this patient
	TherapyStart time.Time
	Milestones   []Milestone
	Deepest      Response
	MMRDate      time.Time // first MMR or deeper in blood; zero when never
	LossOfMMR    time.Time // zero when none
	LossRule     string
	TKIYears     float64 // NaN without therapy start
	DMRYears     float64 // current run of MR4 or deeper in blood; 0 when none
	MR45Years    float64 // current run of MR4.5 or deeper
	TFR          string
	TFRRules     []string
	Persistence  []string
	Expansions   []Expansion
	Notes        []string
}

// Assessment is the result of Assess.
type Assessment struct {
	Params   Params
	Rows     []Row
	Samples  []Sample
	Series   []Series
	Patients []PatientResult
}

// Assess applies the rules to every row, sample, series and patient.
// patients may be nil.
func Assess(d *Data, patients map[string]*Patient, p Params) (*Assessment, error) {
	if p.WindowDays <= 0 {
		p.WindowDays = 42
	}
	if !(p.DeclineLog > 0) {
		p.DeclineLog = 0.5
	}
	a := &Assessment{Params: p, Rows: make([]Row, len(d.Rows))}
	key := map[string]int{}
	reps := map[string]map[string]int{}
	for i, m := range d.Rows {
		r := Row{Measurement: m, RatioPercent: math.NaN(), ISPercent: math.NaN(), LogReduction: math.NaN(), ClonePercent: math.NaN(), Sample: -1}
		if m.Assay == FISH {
			r.ClonePercent = float64(m.Abnormal) / float64(m.Scored) * 100
			ci, err := stats.ClopperPearson(m.Abnormal, m.Scored, 0.95)
			if err != nil {
				return nil, fmt.Errorf("%s line %d: %w", d.Path, m.Line, err)
			}
			r.CloneCI = stats.Interval{Lower: ci.Lower * 100, Upper: ci.Upper * 100}
			r.Detectable = m.Abnormal > 0
			r.Response = NotAssessable
			r.Notes = append(r.Notes, "FISH: molecular response categories apply to qPCR only")
			a.Rows[i] = r
			continue
		}
		r.Detectable = m.TargetCopies > 0
		r.RatioPercent = m.TargetCopies / m.ControlCopies * 100
		if OnIS(m.Target, m.ControlGene) {
			r.ISPercent = r.RatioPercent * m.CF
			if r.Detectable {
				r.LogReduction = math.Log10(100 / r.ISPercent)
			}
			if !m.CFGiven {
				r.Notes = append(r.Notes, "no conversion factor given: 1 used (IS only if the laboratory's factor is 1)")
			}
		}
		k := strings.Join([]string{m.Patient, m.Date.Format(dateLayout), m.Fraction, m.Target, m.ControlGene, fmt.Sprint(m.CF)}, "\x00")
		si, ok := key[k]
		if !ok {
			si = len(a.Samples)
			key[k] = si
			reps[k] = map[string]int{}
			a.Samples = append(a.Samples, Sample{Patient: m.Patient, Fraction: m.Fraction, Target: m.Target, ControlGene: m.ControlGene, Date: m.Date, CF: m.CF, OnIS: OnIS(m.Target, m.ControlGene)})
		}
		if m.Replicate != "" {
			if prev, dup := reps[k][m.Replicate]; dup {
				return nil, fmt.Errorf("%s line %d: replicate %q of patient %s, %s, %s is also on line %d; number replicates 1, 2, 3 or remove the duplicate row",
					d.Path, m.Line, m.Replicate, m.Patient, m.Date.Format(dateLayout), m.Fraction, prev)
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
	for si := range a.Samples {
		s := &a.Samples[si]
		s.Detectable = s.TargetCopies > 0
		s.RatioPercent = s.TargetCopies / s.ControlCopies * 100
		s.ISPercent = math.NaN()
		s.Limit = 100 / s.ControlCopies
		if s.OnIS {
			s.ISPercent = s.RatioPercent * s.CF
			s.Limit *= s.CF
		}
		s.Response, s.Rule = Classify(s.Target, s.ControlGene, s.TargetCopies, s.ControlCopies, s.CF)
		for _, ri := range s.Rows {
			r := &a.Rows[ri]
			r.Response = s.Response
			if len(s.Rows) > 1 {
				lines := make([]string, len(s.Rows))
				for j, rj := range s.Rows {
					lines[j] = fmt.Sprint(a.Rows[rj].Line)
				}
				r.Notes = append(r.Notes, fmt.Sprintf("%d replicates combined (lines %s; copies summed, Cross 2015): %s/%s %s copies",
					len(s.Rows), strings.Join(lines, ", "), fmtCopies(s.TargetCopies), fmtCopies(s.ControlCopies), s.ControlGene))
			}
			r.Notes = append(r.Notes, s.Rule)
		}
	}
	a.series()
	a.patients(patients)
	return a, nil
}

func normFraction(s string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "_", "", ".", "").Replace(s))
}

// IsBlood reports whether a fraction name counts as blood under the
// assessment's parameters (Params.BloodFractions or the default names).
func (a *Assessment) IsBlood(f string) bool { return a.isBlood(f) }

func (a *Assessment) isBlood(f string) bool {
	n := normFraction(f)
	if len(a.Params.BloodFractions) > 0 {
		for _, b := range a.Params.BloodFractions {
			if normFraction(b) == n {
				return true
			}
		}
		return false
	}
	switch strings.ReplaceAll(n, "-", "") {
	case "PB", "BLOOD", "PERIPHERALBLOOD", "PBMNC", "PBL", "WBC", "WHOLEBLOOD":
		return true
	}
	return false
}

// IsStem reports whether a fraction name is a stem-cell fraction under p.
func (p Params) IsStem(f string) bool {
	n := normFraction(f)
	if len(p.StemFractions) > 0 {
		for _, s := range p.StemFractions {
			if normFraction(s) == n {
				return true
			}
		}
		return false
	}
	for _, pat := range []string{"CD38-", "CD38LOW", "CD38NEG", "CD38DIM", "CD90+", "LSC", "HSC"} {
		if strings.Contains(n, pat) {
			return true
		}
	}
	return false
}

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
		sr := &a.Series[i]
		sr.SlopePerYear, sr.HalvingDays, sr.ChangeLog = math.NaN(), math.NaN(), math.NaN()
		nan := stats.Interval{Lower: math.NaN(), Upper: math.NaN()}
		sr.SlopeCI, sr.HalvingCI = nan, nan
		var x, y []float64
		for _, si := range pts[i] {
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
			continue
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
	// Persistence: a stem fraction not declining while another fraction of
	// the same patient, over overlapping dates, declines.
	for i := range a.Series {
		st := &a.Series[i]
		if !st.Stem || st.N < 2 || st.Declining {
			continue
		}
		for j := range a.Series {
			o := a.Series[j]
			if j == i || o.Stem || o.Patient != st.Patient || !o.Declining || o.Last.Before(st.First) || st.Last.Before(o.First) {
				continue
			}
			st.Persistent = true
			st.Note = strings.TrimPrefix(st.Note+"; "+fmt.Sprintf("persistence: %+.2f log while %s changed %+.2f log", st.ChangeLog, o.Fraction, o.ChangeLog), "; ")
			break
		}
	}
}

func (a *Assessment) patients(records map[string]*Patient) {
	var ids []string
	seen := map[string]bool{}
	for _, r := range a.Rows {
		if !seen[r.Patient] {
			seen[r.Patient] = true
			ids = append(ids, r.Patient)
		}
	}
	var extra []string
	for id := range records {
		if !seen[id] {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	ids = append(ids, extra...)
	for _, id := range ids {
		a.Patients = append(a.Patients, a.patient(id, records[id]))
	}
}

func (a *Assessment) patient(id string, rec *Patient) PatientResult {
	pr := PatientResult{ID: id, Record: rec, TKIYears: math.NaN()}
	var blood []Sample
	var last time.Time
	for _, s := range a.Samples {
		if s.Patient != id {
			continue
		}
		if s.Date.After(last) {
			last = s.Date
		}
		if s.OnIS && a.isBlood(s.Fraction) {
			blood = append(blood, s)
		}
	}
	for _, r := range a.Rows {
		if r.Patient == id && r.Date.After(last) {
			last = r.Date
		}
	}
	asOf := a.Params.AsOf
	if asOf.IsZero() {
		asOf = last
	}
	switch {
	case rec == nil:
		pr.Notes = append(pr.Notes, "no row in the patient sheet: milestones and TFR not assessable")
	case len(rec.Lines) == 0 || rec.Lines[0].Start.IsZero():
		pr.Notes = append(pr.Notes, "no therapy start: milestones and TFR not assessable")
	default:
		pr.TherapyStart = rec.Lines[0].Start
	}
	if len(blood) == 0 && !hasRows(a.Rows, id) {
		pr.Notes = append(pr.Notes, "no measurements")
	} else if len(blood) == 0 {
		pr.Notes = append(pr.Notes, "no BCR::ABL1 IS measurement in blood: milestones use blood only")
	}

	// Deepest response, MMR, loss of MMR, deep-response runs (blood, IS).
	var runStart, run45Start, runEnd, run45End time.Time
	for _, s := range blood {
		dep := s.Response.Depth()
		if dep > pr.Deepest.Depth() {
			pr.Deepest = s.Response
		}
		if dep >= MMR.Depth() && pr.MMRDate.IsZero() {
			pr.MMRDate = s.Date
		}
		if !pr.MMRDate.IsZero() && pr.LossOfMMR.IsZero() && s.Detectable && s.ISPercent > MMRPercent*(1+1e-9) && s.Date.After(pr.MMRDate) {
			pr.LossOfMMR = s.Date
			pr.LossRule = fmt.Sprintf("IS %s%% > 0.1%% on %s after MMR on %s (ELN 2020: loss of MMR)", fmtPct(s.ISPercent), s.Date.Format(dateLayout), pr.MMRDate.Format(dateLayout))
			if rec != nil {
				if l := rec.Lines[len(rec.Lines)-1]; !l.Stop.IsZero() && !s.Date.Before(l.Stop) {
					pr.LossRule += "; during treatment-free remission this is failure (ELN 2020 Table 5): resume TKI"
				}
			}
		}
		if dep == 0 {
			continue // not assessable: neither extends nor ends a run
		}
		if dep >= MR4.Depth() {
			if runStart.IsZero() {
				runStart = s.Date
			}
			runEnd = s.Date
		} else {
			runStart, runEnd = time.Time{}, time.Time{}
		}
		if dep >= MR45.Depth() {
			if run45Start.IsZero() {
				run45Start = s.Date
			}
			run45End = s.Date
		} else {
			run45Start, run45End = time.Time{}, time.Time{}
		}
	}
	pr.DMRYears = years(runEnd.Sub(runStart))
	pr.MR45Years = years(run45End.Sub(run45Start))

	if !pr.TherapyStart.IsZero() {
		if len(blood) > 0 {
			pr.Milestones = a.milestones(pr.TherapyStart, blood, rec, &pr)
		}
		var d time.Duration
		for _, l := range rec.Lines {
			if l.Start.After(asOf) {
				continue
			}
			end := asOf
			if !l.Stop.IsZero() && l.Stop.Before(end) {
				end = l.Stop
			}
			d += end.Sub(l.Start)
		}
		pr.TKIYears = years(d)
		if len(blood) == 0 {
			pr.TFR = "not assessable"
			pr.TFRRules = []string{"no BCR::ABL1 IS measurement in blood: TFR criteria apply to CML monitored on the International Scale"}
		} else {
			pr.TFR, pr.TFRRules = a.tfr(&pr, rec)
		}
	} else {
		pr.TFR = "not assessable"
		pr.TFRRules = []string{"no therapy start"}
	}
	for _, sr := range a.Series {
		if sr.Patient == id && sr.Persistent {
			pr.Persistence = append(pr.Persistence, sr.Fraction)
		}
	}
	pr.Expansions = a.expansions(id)
	return pr
}

func hasRows(rows []Row, id string) bool {
	for _, r := range rows {
		if r.Patient == id {
			return true
		}
	}
	return false
}

func years(d time.Duration) float64 { return d.Hours() / 24 / 365.25 }

// milestone thresholds: optimal <= opt; failure > fail (warning between).
type mileRule struct {
	months    int
	opt, fail float64
}

var eln2020 = []mileRule{{3, 10, math.Inf(1)}, {6, 1, 10}, {12, 0.1, 1}}

func (a *Assessment) milestones(start time.Time, blood []Sample, rec *Patient, pr *PatientResult) []Milestone {
	win := time.Duration(a.Params.WindowDays) * 24 * time.Hour
	var out []Milestone
	for _, mr := range eln2020 {
		due := start.AddDate(0, mr.months, 0)
		m := Milestone{Name: fmt.Sprintf("%d months", mr.months), Due: due, ISPercent: math.NaN()}
		best := -1
		for i, s := range blood {
			d := absDur(s.Date.Sub(due))
			if d <= win && (best < 0 || d < absDur(blood[best].Date.Sub(due))) {
				best = i
			}
		}
		if best < 0 {
			m.Status = "not assessable"
			m.Rule = fmt.Sprintf("no blood BCR::ABL1 IS sample within %d days of %s", a.Params.WindowDays, due.Format(dateLayout))
			out = append(out, m)
			continue
		}
		s := blood[best]
		m.SampleDate, m.ISPercent, m.Undetectable = s.Date, s.ISPercent, !s.Detectable
		at := fmt.Sprintf("sample of %s", s.Date.Format(dateLayout))
		if !s.Detectable {
			m.ISPercent = s.Limit
			if atMost(s.Limit, mr.opt) {
				m.Status = "optimal"
				m.Rule = fmt.Sprintf("%s undetectable with sensitivity %s%% <= %s%% (ELN 2020 Table 5, %d months)", at, fmtPct(s.Limit), fmtPct(mr.opt), mr.months)
			} else {
				m.Status = "not assessable"
				m.Rule = fmt.Sprintf("%s undetectable but its sensitivity %s%% is above the %s%% optimal level", at, fmtPct(s.Limit), fmtPct(mr.opt))
			}
			out = append(out, m)
			continue
		}
		v := s.ISPercent
		switch {
		case atMost(v, mr.opt):
			m.Status = "optimal"
			m.Rule = fmt.Sprintf("%s IS %s%% <= %s%% (ELN 2020 Table 5, %d months)", at, fmtPct(v), fmtPct(mr.opt), mr.months)
		case mr.months == 3:
			// Failure only when > 10 % is confirmed within 1-3 months.
			m.Status = "warning"
			m.Rule = fmt.Sprintf("%s IS %s%% > 10%% (ELN 2020 Table 5, 3 months: warning; failure if confirmed within 1-3 months)", at, fmtPct(v))
			from, to := s.Date.AddDate(0, 1, 0), s.Date.AddDate(0, 3, 0)
			confirmed := ""
			checked := false
			for _, c := range blood {
				if c.Date.Before(from) || c.Date.After(to) {
					continue
				}
				checked = true
				if c.Detectable && c.ISPercent > 10*(1+1e-9) {
					confirmed = c.Date.Format(dateLayout)
					break
				}
			}
			switch {
			case confirmed != "":
				m.Status = "failure"
				m.Rule = fmt.Sprintf("%s IS %s%% > 10%% confirmed > 10%% on %s (ELN 2020 Table 5, 3 months)", at, fmtPct(v), confirmed)
			case !checked:
				m.Rule += "; no confirmatory sample 1-3 months later"
			default:
				m.Rule += "; not confirmed 1-3 months later"
			}
		case atMost(v, mr.fail):
			m.Status = "warning"
			m.Rule = fmt.Sprintf("%s IS %s%% in (%s%%, %s%%] (ELN 2020 Table 5, %d months)", at, fmtPct(v), fmtPct(mr.opt), fmtPct(mr.fail), mr.months)
		default:
			m.Status = "failure"
			m.Rule = fmt.Sprintf("%s IS %s%% > %s%% (ELN 2020 Table 5, %d months)", at, fmtPct(v), fmtPct(mr.fail), mr.months)
		}
		out = append(out, m)
	}
	// Latest, after 12 months: the "any time" row of Table 5.
	m := Milestone{Name: "latest", ISPercent: math.NaN()}
	twelve := start.AddDate(1, 0, 0)
	if len(blood) == 0 || !blood[len(blood)-1].Date.After(twelve) {
		m.Status = "not assessable"
		m.Rule = "no blood sample after 12 months: the milestones apply"
		return append(out, m)
	}
	s := blood[len(blood)-1]
	m.Due, m.SampleDate, m.ISPercent, m.Undetectable = s.Date, s.Date, s.ISPercent, !s.Detectable
	at := fmt.Sprintf("latest sample %s", s.Date.Format(dateLayout))
	inTFR := false
	if l := rec.Lines[len(rec.Lines)-1]; !l.Stop.IsZero() && !s.Date.Before(l.Stop) {
		inTFR = true
	}
	switch {
	case !s.Detectable && atMost(s.Limit, MMRPercent):
		m.ISPercent = s.Limit
		m.Status = "optimal"
		m.Rule = fmt.Sprintf("%s undetectable, sensitivity %s%% <= 0.1%% (ELN 2020 Table 5, any time)", at, fmtPct(s.Limit))
	case !s.Detectable:
		m.ISPercent = s.Limit
		m.Status = "not assessable"
		m.Rule = fmt.Sprintf("%s undetectable, sensitivity %s%% above 0.1%%", at, fmtPct(s.Limit))
	case atMost(s.ISPercent, MMRPercent):
		m.Status = "optimal"
		m.Rule = fmt.Sprintf("%s IS %s%% <= 0.1%% (ELN 2020 Table 5, any time)", at, fmtPct(s.ISPercent))
	case inTFR && !pr.LossOfMMR.IsZero():
		m.Status = "failure"
		m.Rule = fmt.Sprintf("%s IS %s%%: loss of MMR after treatment-free remission (ELN 2020 Table 5 footnote)", at, fmtPct(s.ISPercent))
	case atMost(s.ISPercent, 1):
		m.Status = "warning"
		m.Rule = fmt.Sprintf("%s IS %s%% in (0.1%%, 1%%] (ELN 2020 Table 5, any time)", at, fmtPct(s.ISPercent))
		if !pr.LossOfMMR.IsZero() {
			m.Rule += "; loss of MMR"
		}
	default:
		m.Status = "failure"
		m.Rule = fmt.Sprintf("%s IS %s%% > 1%% (ELN 2020 Table 5, any time)", at, fmtPct(s.ISPercent))
	}
	return append(out, m)
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

var secondGeneration = []string{"dasatinib", "nilotinib", "bosutinib"}

func (a *Assessment) tfr(pr *PatientResult, rec *Patient) (string, []string) {
	cur := rec.Lines[len(rec.Lines)-1]
	if !cur.Stop.IsZero() {
		st := "in TFR"
		rules := []string{fmt.Sprintf("TKI stopped on %s", cur.Stop.Format(dateLayout))}
		if !pr.LossOfMMR.IsZero() && !pr.LossOfMMR.Before(cur.Stop) {
			st = "TFR failed"
			rules = append(rules, pr.LossRule)
		}
		return st, rules
	}
	var rules []string
	ok, unknown := true, false
	note := func(state, text string) {
		rules = append(rules, state+": "+text)
		switch state {
		case "not met":
			ok = false
		case "to confirm":
			unknown = true
		}
	}
	failed := false
	for _, m := range pr.Milestones {
		if m.Status == "failure" {
			failed = true
		}
	}
	if failed {
		note("not met", "no prior treatment failure (a milestone was failure)")
	} else {
		note("met", "no treatment failure at the assessed milestones")
	}
	changeOK := true
	for _, l := range rec.Lines[1:] {
		r := strings.ToLower(l.Reason)
		switch {
		case strings.Contains(r, "intoler"):
		case r == "":
			changeOK = false
			note("to confirm", fmt.Sprintf("change to %s on %s: reason not given (only intolerance allows TFR)", l.Therapy, l.Start.Format(dateLayout)))
		default:
			changeOK = false
			note("not met", fmt.Sprintf("change to %s on %s for %q, not intolerance", l.Therapy, l.Start.Format(dateLayout), l.Reason))
		}
	}
	if changeOK {
		note("met", "first-line TKI, or changes for intolerance only")
	}
	tr := strings.ToLower(rec.Transcript)
	for _, r := range a.Rows {
		if tr == "" && r.Patient == pr.ID && r.Transcript != "" {
			tr = strings.ToLower(r.Transcript)
		}
	}
	switch {
	case tr == "":
		note("to confirm", "typical e13a2/e14a2 transcript (no transcript given)")
	case typicalTranscript(tr):
		note("met", "typical transcript "+tr)
	default:
		note("not met", "atypical transcript "+tr)
	}
	need := 5.0
	drug := strings.ToLower(cur.Therapy)
	for _, g := range secondGeneration {
		if strings.Contains(drug, g) {
			need = 4
		}
	}
	if pr.TKIYears > need {
		note("met", fmt.Sprintf("TKI %.2f years > %g", pr.TKIYears, need))
	} else {
		note("not met", fmt.Sprintf("TKI %.2f years, needs > %g", pr.TKIYears, need))
	}
	if pr.DMRYears > 2 {
		note("met", fmt.Sprintf("MR4 or deeper for %.2f years > 2", pr.DMRYears))
	} else {
		note("not met", fmt.Sprintf("MR4 or deeper for %.2f years, needs > 2", pr.DMRYears))
	}
	rules = append(rules, "to confirm: first chronic phase, motivated patient, quality-assured IS PCR with rapid results, agreement to monthly monitoring (ELN 2020 Table 7, mandatory)")
	if !ok {
		return "not eligible", rules
	}
	optimal := pr.TKIYears > 5 && (pr.DMRYears > 3 || pr.MR45Years > 2)
	rules = append(rules, fmt.Sprintf("optimal criteria: TKI > 5 years and MR4 > 3 years (%.2f) or MR4.5 > 2 years (%.2f): %v", pr.DMRYears, pr.MR45Years, optimal))
	st := "minimal criteria met"
	if optimal {
		st = "optimal criteria met"
	}
	if unknown {
		st += " (items to confirm)"
	}
	return st, rules
}

func typicalTranscript(t string) bool {
	for _, f := range strings.FieldsFunc(t, func(r rune) bool { return r == '/' || r == ',' || r == ';' || r == '+' || r == ' ' }) {
		switch f {
		case "e13a2", "e14a2", "b2a2", "b3a2":
		default:
			return false
		}
	}
	return true
}

func (a *Assessment) expansions(id string) []Expansion {
	last := map[string]int{}
	var out []Expansion
	for i := range a.Rows {
		r := &a.Rows[i]
		if r.Patient != id || r.Assay != FISH {
			continue
		}
		k := r.Fraction + "\x00" + r.Probe
		if j, ok := last[k]; ok {
			p := a.Rows[j]
			if r.Date.After(p.Date) && r.CloneCI.Lower > p.CloneCI.Upper {
				e := Expansion{Patient: id, Fraction: r.Fraction, Probe: r.Probe, From: p.Date, To: r.Date, FromCI: p.CloneCI, ToCI: r.CloneCI, Line: r.Line}
				out = append(out, e)
				r.Notes = append(r.Notes, fmt.Sprintf("clone expansion: 95%% interval %.3g-%.3g%% lies above %.3g-%.3g%% on %s (line %d)",
					r.CloneCI.Lower, r.CloneCI.Upper, p.CloneCI.Lower, p.CloneCI.Upper, p.Date.Format(dateLayout), p.Line))
			}
		}
		last[k] = i
	}
	return out
}
