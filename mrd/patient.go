package mrd

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// PatientResult is everything lsc concludes for one patient.
type PatientResult struct {
	ID           string
	Record       *Patient // nil when the patient sheet has no row for this patient
	CML          bool     // BCR::ABL1 is monitored by qPCR (or nothing yet): the ELN 2020 CML rules apply
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

// patients assesses every patient with rows (in order of first appearance)
// and then those only in the patient sheet (sorted).
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
	a.Patients = make([]PatientResult, 0, len(ids))
	for _, id := range ids {
		a.Patients = append(a.Patients, a.patient(id, records[id]))
	}
}

func (a *Assessment) patient(id string, rec *Patient) PatientResult {
	pr := PatientResult{ID: id, Record: rec, TKIYears: math.NaN()}
	rows := a.RowsOf(id)
	if lines := a.unordered[id]; len(lines) > 0 {
		pr.Notes = append(pr.Notes, fmt.Sprintf("rows out of date order in the input (line %s): assessed in date order", joinInts(lines)))
	}
	pr.CML = len(rows) == 0
	for _, i := range rows {
		if r := a.Rows[i]; r.Assay == QPCR && r.Target == BCRABL1 {
			pr.CML = true
			break
		}
	}
	if !pr.CML {
		if rec != nil && len(rec.Lines) > 0 {
			pr.TherapyStart = rec.Lines[0].Start
		}
		pr.Notes = append(pr.Notes, NotCML)
		pr.TFR = NotApplicable
		pr.TFRRules = []string{NotCML}
		pr.DMRYears, pr.MR45Years = math.NaN(), math.NaN()
	} else {
		a.cml(&pr, rec, rows)
	}
	a.flags(&pr)
	return pr
}

// cml applies the ELN 2020 CML rules: response, milestones, TKI duration
// and TFR, on the blood BCR::ABL1 IS samples in date order.
func (a *Assessment) cml(pr *PatientResult, rec *Patient, rows []int) {
	var blood []Sample
	var last time.Time
	for _, si := range a.SamplesOf(pr.ID) {
		s := a.Samples[si]
		if s.OnIS && a.Params.IsBlood(s.Fraction) {
			blood = append(blood, s)
		}
	}
	for _, i := range rows {
		if r := a.Rows[i]; r.Date.After(last) {
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
	if len(blood) == 0 && len(rows) == 0 {
		pr.Notes = append(pr.Notes, "no measurements")
	} else if len(blood) == 0 {
		pr.Notes = append(pr.Notes, "no BCR::ABL1 IS measurement in blood: milestones use blood only")
	}
	response(pr, blood)
	switch {
	case pr.TherapyStart.IsZero():
		pr.TFR = "not assessable"
		pr.TFRRules = []string{"no therapy start"}
		return
	case len(blood) > 0:
		pr.Milestones = a.milestones(pr.TherapyStart, blood, rec, pr)
	}
	pr.TKIYears = years(tkiDuration(rec, asOf))
	if len(blood) == 0 {
		pr.TFR = "not assessable"
		pr.TFRRules = []string{"no BCR::ABL1 IS measurement in blood: TFR criteria apply to CML monitored on the International Scale"}
	} else {
		pr.TFR, pr.TFRRules = a.tfr(pr, rec)
	}
}

// NotApplicable is the TFR (and milestone) status of a patient without
// BCR::ABL1 qPCR monitoring, e.g. FISH only in del(5q) MDS.
const NotApplicable = "not applicable"

// NotCML explains NotApplicable.
const NotCML = "no BCR::ABL1 qPCR measurement: the ELN 2020 CML milestones, molecular response and TFR criteria do not apply"

// flags adds the persistence and FISH expansion flags, which apply to any
// disease.
func (a *Assessment) flags(pr *PatientResult) {
	for _, i := range a.SeriesOf(pr.ID) {
		if sr := a.Series[i]; sr.Persistent {
			pr.Persistence = append(pr.Persistence, sr.Fraction)
		}
	}
	pr.Expansions = a.expansions(pr.ID)
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// response finds the deepest response, the first MMR, a loss of MMR and
// the current runs of MR4 and MR4.5 or deeper in blood (IS, date order).
func response(pr *PatientResult, blood []Sample) {
	rec := pr.Record
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
}

// tkiDuration sums the lines of therapy up to asOf.
func tkiDuration(rec *Patient, asOf time.Time) time.Duration {
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
	return d
}

func years(d time.Duration) float64 { return d.Hours() / 24 / 365.25 }
