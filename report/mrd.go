package report

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/lsc-bio/lsc/mrd"
)

const day = "2006-01-02"

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(day)
}

var breaks = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")

func cell(s string) string { return breaks.Replace(s) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// MRDMeasurements writes measurements.tsv: every input row in input order,
// its fields as given, then what lsc derived from it. sample_percent and
// detection_limit describe the row's qPCR sample as the milestones grade it
// (replicate rows summed, Cross 2015): its level and the level one target
// copy would give (the sensitivity), both in IS % when on the IS, else in
// ratio %; empty for FISH rows.
func MRDMeasurements(w io.Writer, header []string, a *mrd.Assessment) error {
	bw := bufio.NewWriter(w)
	cols := append([]string{"input_line"}, header...)
	cols = append(cols, "ratio_percent", "is_percent", "log_reduction", "response", "detectable", "sample_percent", "detection_limit", "clone_percent", "clone_lower95", "clone_upper95", "notes")
	for i := range cols {
		cols[i] = cell(cols[i])
	}
	fmt.Fprintln(bw, strings.Join(cols, "\t"))
	for _, r := range a.Rows {
		rec := []string{fmt.Sprint(r.Line)}
		notes := r.Notes
		for _, f := range r.Fields {
			if c := cell(f); c != f {
				notes = append(notes, fmt.Sprintf("tab or line break in field %q shown as a space", c))
				f = c
			}
			rec = append(rec, f)
		}
		lo, hi := math.NaN(), math.NaN()
		sv, lim := math.NaN(), math.NaN()
		if r.Sample >= 0 {
			s := a.Samples[r.Sample]
			sv, lim = s.Value(), s.Limit
		}
		if r.Assay == mrd.FISH {
			lo, hi = r.CloneCI.Lower, r.CloneCI.Upper
		}
		rec = append(rec, Num(r.RatioPercent), Num(r.ISPercent), Num(r.LogReduction), string(r.Response), yesNo(r.Detectable),
			Num(sv), Num(lim), Num(r.ClonePercent), Num(lo), Num(hi), cell(strings.Join(notes, "; ")))
		fmt.Fprintln(bw, strings.Join(rec, "\t"))
	}
	return bw.Flush()
}

// MRDPatients writes patients.tsv: one row per patient with milestones,
// loss of MMR, TFR and flags, each with the rule that produced it.
func MRDPatients(w io.Writer, a *mrd.Assessment) error {
	bw := bufio.NewWriter(w)
	cols := []string{"patient", "diagnosis", "therapy", "therapy_start"}
	for _, m := range []string{"m3", "m6", "m12", "latest"} {
		cols = append(cols, m+"_status", m+"_is_percent", m+"_detectable", m+"_sample")
	}
	cols = append(cols, "deepest_response", "mmr_date", "loss_of_mmr", "tki_years", "dmr_years", "mr45_years", "tfr", "persistence", "fish_expansion", "rules", "notes")
	fmt.Fprintln(bw, strings.Join(cols, "\t"))
	for _, p := range a.Patients {
		dx, th := "", ""
		if p.Record != nil {
			dx = p.Record.Diagnosis
			var ths []string
			for _, l := range p.Record.Lines {
				ths = append(ths, l.Therapy)
			}
			th = strings.Join(ths, " > ")
		}
		rec := []string{cell(p.ID), cell(dx), cell(th), date(p.TherapyStart)}
		var rules []string
		for i := 0; i < 4; i++ {
			if i < len(p.Milestones) {
				m := p.Milestones[i]
				det := ""
				if !m.SampleDate.IsZero() {
					det = yesNo(!m.Undetectable)
				}
				rec = append(rec, m.Status, Num(m.ISPercent), det, date(m.SampleDate))
				rules = append(rules, m.Name+": "+m.Rule)
			} else if !p.CML {
				rec = append(rec, mrd.NotApplicable, "", "", "")
			} else {
				rec = append(rec, "not assessable", "", "", "")
			}
		}
		if p.LossRule != "" {
			rules = append(rules, "loss of MMR: "+p.LossRule)
		}
		rules = append(rules, p.TFRRules...)
		var exp []string
		for _, e := range p.Expansions {
			exp = append(exp, fmt.Sprintf("%s %s %s->%s", e.Fraction, e.Probe, date(e.From), date(e.To)))
		}
		deep := string(p.Deepest)
		rec = append(rec, deep, date(p.MMRDate), date(p.LossOfMMR), Num(round(p.TKIYears)), Num(round(p.DMRYears)), Num(round(p.MR45Years)),
			p.TFR, cell(strings.Join(p.Persistence, "; ")), cell(strings.Join(exp, "; ")), cell(strings.Join(rules, " | ")), cell(strings.Join(p.Notes, "; ")))
		fmt.Fprintln(bw, strings.Join(rec, "\t"))
	}
	return bw.Flush()
}

func round(v float64) float64 { return math.Round(v*1000) / 1000 }

// MRDKinetics writes kinetics.tsv: one row per patient, fraction, target
// and control gene.
func MRDKinetics(w io.Writer, a *mrd.Assessment) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, strings.Join([]string{"patient", "fraction", "target", "control_gene", "scale", "stem_fraction", "n", "undetectable",
		"first", "last", "slope_log10_per_year", "slope_lower95", "slope_upper95", "halving_days", "halving_lower95", "halving_upper95",
		"change_log10", "declining", "persistent", "notes"}, "\t"))
	for _, s := range a.Series {
		fmt.Fprintln(bw, strings.Join([]string{cell(s.Patient), cell(s.Fraction), cell(s.Target), s.ControlGene, s.Scale, yesNo(s.Stem),
			fmt.Sprint(s.N), fmt.Sprint(s.Undetectable), date(s.First), date(s.Last), Num(s.SlopePerYear), Num(s.SlopeCI.Lower), Num(s.SlopeCI.Upper),
			Num(s.HalvingDays), Num(s.HalvingCI.Lower), Num(s.HalvingCI.Upper), Num(s.ChangeLog), yesNo(s.Declining), yesNo(s.Persistent), cell(s.Note)}, "\t"))
	}
	return bw.Flush()
}

func round6(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	m := math.Pow(10, 5-math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*m) / m
}
