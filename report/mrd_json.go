package report

import (
	"encoding/json"
	"io"
	"math"

	"github.com/lsc-bio/lsc/mrd"
)

// F is a float for JSON: NaN becomes null, infinities become null too
// (JSON has no infinity); everything else keeps full precision.
type F float64

// MarshalJSON implements json.Marshaler.
func (f F) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(Clean(v))
}

type jsonRow struct {
	Line         int               `json:"input_line"`
	Patient      string            `json:"patient"`
	Date         string            `json:"date"`
	Fraction     string            `json:"fraction"`
	Assay        string            `json:"assay"`
	Fields       map[string]string `json:"fields"`
	RatioPercent F                 `json:"ratio_percent"`
	ISPercent    F                 `json:"is_percent"`
	LogReduction F                 `json:"log_reduction"`
	Response     string            `json:"response"`
	Detectable   bool              `json:"detectable"`
	ClonePercent F                 `json:"clone_percent"`
	CloneLower   F                 `json:"clone_lower95"`
	CloneUpper   F                 `json:"clone_upper95"`
	Notes        []string          `json:"notes"`
}

type jsonMilestone struct {
	Name         string `json:"name"`
	Due          string `json:"due,omitempty"`
	Sample       string `json:"sample,omitempty"`
	ISPercent    F      `json:"is_percent"`
	Undetectable bool   `json:"undetectable"`
	Status       string `json:"status"`
	Rule         string `json:"rule"`
}

type jsonPatient struct {
	Patient      string          `json:"patient"`
	TherapyStart string          `json:"therapy_start,omitempty"`
	Milestones   []jsonMilestone `json:"milestones"`
	Deepest      string          `json:"deepest_response"`
	MMRDate      string          `json:"mmr_date,omitempty"`
	LossOfMMR    string          `json:"loss_of_mmr,omitempty"`
	LossRule     string          `json:"loss_of_mmr_rule,omitempty"`
	TKIYears     F               `json:"tki_years"`
	DMRYears     F               `json:"dmr_years"`
	MR45Years    F               `json:"mr45_years"`
	TFR          string          `json:"tfr"`
	TFRRules     []string        `json:"tfr_rules"`
	Persistence  []string        `json:"persistence"`
	Expansions   []jsonExpansion `json:"fish_expansion"`
	Notes        []string        `json:"notes"`
}

type jsonExpansion struct {
	Fraction string `json:"fraction"`
	Probe    string `json:"probe"`
	From     string `json:"from"`
	To       string `json:"to"`
	FromLow  F      `json:"from_lower95"`
	FromHigh F      `json:"from_upper95"`
	ToLow    F      `json:"to_lower95"`
	ToHigh   F      `json:"to_upper95"`
}

type jsonSeries struct {
	Patient      string `json:"patient"`
	Fraction     string `json:"fraction"`
	Target       string `json:"target"`
	Control      string `json:"control_gene"`
	Scale        string `json:"scale"`
	Stem         bool   `json:"stem_fraction"`
	N            int    `json:"n"`
	Undetectable int    `json:"undetectable"`
	First        string `json:"first,omitempty"`
	Last         string `json:"last,omitempty"`
	Slope        F      `json:"slope_log10_per_year"`
	SlopeLo      F      `json:"slope_lower95"`
	SlopeHi      F      `json:"slope_upper95"`
	Halving      F      `json:"halving_days"`
	HalvingLo    F      `json:"halving_lower95"`
	HalvingHi    F      `json:"halving_upper95"`
	Change       F      `json:"change_log10"`
	Declining    bool   `json:"declining"`
	Persistent   bool   `json:"persistent"`
	Note         string `json:"note,omitempty"`
}

// MRDJSON writes the whole assessment as one JSON document.
func MRDJSON(w io.Writer, header []string, a *mrd.Assessment) error {
	out := struct {
		Measurements []jsonRow     `json:"measurements"`
		Patients     []jsonPatient `json:"patients"`
		Kinetics     []jsonSeries  `json:"kinetics"`
	}{Measurements: []jsonRow{}, Patients: []jsonPatient{}, Kinetics: []jsonSeries{}}
	for _, r := range a.Rows {
		fields := map[string]string{}
		for i, h := range header {
			if i < len(r.Fields) {
				fields[h] = r.Fields[i]
			}
		}
		lo, hi := math.NaN(), math.NaN()
		if r.Assay == mrd.FISH {
			lo, hi = r.CloneCI.Lower, r.CloneCI.Upper
		}
		out.Measurements = append(out.Measurements, jsonRow{r.Line, r.Patient, date(r.Date), r.Fraction, string(r.Assay), fields,
			F(r.RatioPercent), F(r.ISPercent), F(r.LogReduction), string(r.Response), r.Detectable, F(r.ClonePercent), F(lo), F(hi), NonNil(r.Notes)})
	}
	for _, p := range a.Patients {
		jp := jsonPatient{Patient: p.ID, TherapyStart: date(p.TherapyStart), Milestones: []jsonMilestone{}, Deepest: string(p.Deepest),
			MMRDate: date(p.MMRDate), LossOfMMR: date(p.LossOfMMR), LossRule: p.LossRule, TKIYears: F(p.TKIYears), DMRYears: F(p.DMRYears),
			MR45Years: F(p.MR45Years), TFR: p.TFR, TFRRules: NonNil(p.TFRRules), Persistence: NonNil(p.Persistence), Expansions: []jsonExpansion{}, Notes: NonNil(p.Notes)}
		for _, m := range p.Milestones {
			jp.Milestones = append(jp.Milestones, jsonMilestone{m.Name, date(m.Due), date(m.SampleDate), F(m.ISPercent), m.Undetectable, m.Status, m.Rule})
		}
		for _, e := range p.Expansions {
			jp.Expansions = append(jp.Expansions, jsonExpansion{e.Fraction, e.Probe, date(e.From), date(e.To), F(e.FromCI.Lower), F(e.FromCI.Upper), F(e.ToCI.Lower), F(e.ToCI.Upper)})
		}
		out.Patients = append(out.Patients, jp)
	}
	for _, s := range a.Series {
		out.Kinetics = append(out.Kinetics, jsonSeries{s.Patient, s.Fraction, s.Target, s.ControlGene, s.Scale, s.Stem, s.N, s.Undetectable,
			date(s.First), date(s.Last), F(s.SlopePerYear), F(s.SlopeCI.Lower), F(s.SlopeCI.Upper), F(s.HalvingDays), F(s.HalvingCI.Lower), F(s.HalvingCI.Upper),
			F(s.ChangeLog), s.Declining, s.Persistent, s.Note})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// NonNil returns s, or an empty slice for nil, so JSON shows [] rather than
// null for an empty list.
func NonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
