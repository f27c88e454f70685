package mrd

import (
	"fmt"
	"strings"
)

var secondGeneration = []string{"dasatinib", "nilotinib", "bosutinib"}

// tfrChecks collects the criteria of ELN 2020 Table 7 as they are checked.
type tfrChecks struct {
	rules       []string
	ok, unknown bool
}

func (c *tfrChecks) note(state, text string) {
	c.rules = append(c.rules, state+": "+text)
	switch state {
	case "not met":
		c.ok = false
	case "to confirm":
		c.unknown = true
	}
}

// tfr applies ELN 2020 Table 7 (or reports the TFR in progress).
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
	c := &tfrChecks{ok: true}
	failed := false
	for _, m := range pr.Milestones {
		if m.Status == "failure" {
			failed = true
		}
	}
	if failed {
		c.note("not met", "no prior treatment failure (a milestone was failure)")
	} else {
		c.note("met", "no treatment failure at the assessed milestones")
	}
	therapyChanges(c, rec)
	c.transcript(a.transcript(pr.ID, rec))
	need := 5.0
	drug := strings.ToLower(cur.Therapy)
	for _, g := range secondGeneration {
		if strings.Contains(drug, g) {
			need = 4
		}
	}
	if pr.TKIYears > need {
		c.note("met", fmt.Sprintf("TKI %.2f years > %g", pr.TKIYears, need))
	} else {
		c.note("not met", fmt.Sprintf("TKI %.2f years, needs > %g", pr.TKIYears, need))
	}
	if pr.DMRYears > 2 {
		c.note("met", fmt.Sprintf("MR4 or deeper for %.2f years > 2", pr.DMRYears))
	} else {
		c.note("not met", fmt.Sprintf("MR4 or deeper for %.2f years, needs > 2", pr.DMRYears))
	}
	rules := append(c.rules, "to confirm: first chronic phase, motivated patient, quality-assured IS PCR with rapid results, agreement to monthly monitoring (ELN 2020 Table 7, mandatory)")
	if !c.ok {
		return "not eligible", rules
	}
	optimal := pr.TKIYears > 5 && (pr.DMRYears > 3 || pr.MR45Years > 2)
	rules = append(rules, fmt.Sprintf("optimal criteria: TKI > 5 years and MR4 > 3 years (%.2f) or MR4.5 > 2 years (%.2f): %v", pr.DMRYears, pr.MR45Years, optimal))
	st := "minimal criteria met"
	if optimal {
		st = "optimal criteria met"
	}
	if c.unknown {
		st += " (items to confirm)"
	}
	return st, rules
}

// therapyChanges: a later line of therapy keeps TFR eligibility only when
// it replaced the previous one for intolerance.
func therapyChanges(c *tfrChecks, rec *Patient) {
	changeOK := true
	for _, l := range rec.Lines[1:] {
		r := strings.ToLower(l.Reason)
		switch {
		case strings.Contains(r, "intoler"):
		case r == "":
			changeOK = false
			c.note("to confirm", fmt.Sprintf("change to %s on %s: reason not given (only intolerance allows TFR)", l.Therapy, l.Start.Format(dateLayout)))
		default:
			changeOK = false
			c.note("not met", fmt.Sprintf("change to %s on %s for %q, not intolerance", l.Therapy, l.Start.Format(dateLayout), l.Reason))
		}
	}
	if changeOK {
		c.note("met", "first-line TKI, or changes for intolerance only")
	}
}

// transcript is the patient sheet's transcript, else the first one given
// on the patient's rows.
func (a *Assessment) transcript(id string, rec *Patient) string {
	if rec.Transcript != "" {
		return strings.ToLower(rec.Transcript)
	}
	for _, i := range a.RowsOf(id) {
		if t := a.Rows[i].Transcript; t != "" {
			return strings.ToLower(t)
		}
	}
	return ""
}

func (c *tfrChecks) transcript(tr string) {
	switch {
	case tr == "":
		c.note("to confirm", "typical e13a2/e14a2 transcript (no transcript given)")
	case typicalTranscript(tr):
		c.note("met", "typical transcript "+tr)
	default:
		c.note("not met", "atypical transcript "+tr)
	}
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
