package mrd

import (
	"fmt"
	"sort"
	"time"

	"github.com/lsc-bio/lsc/stats"
)

// Expansion is a FISH clone whose interval moved up.
type Expansion struct {
	Patient, Fraction, Probe string
	From, To                 time.Time
	FromCI, ToCI             stats.Interval // percent
	Line                     int            // input line of the later measurement
}

// scoreFISH derives the clone percentage and its Clopper-Pearson interval.
func scoreFISH(r *Row) error {
	r.ClonePercent = float64(r.Abnormal) * 100 / float64(r.Scored) // one rounding
	ci, err := stats.ClopperPearson(r.Abnormal, r.Scored, 0.95)
	if err != nil {
		return err
	}
	r.CloneCI = stats.Interval{Lower: ci.Lower * 100, Upper: ci.Upper * 100}
	r.Detectable = r.Abnormal > 0
	r.Response = NotAssessable
	r.Notes = append(r.Notes, "FISH: molecular response categories apply to qPCR only")
	return nil
}

// expansions compares each FISH result with the previous one of the same
// fraction and probe, in date order.
func (a *Assessment) expansions(id string) []Expansion {
	var fish []int
	for _, i := range a.RowsOf(id) {
		if a.Rows[i].Assay == FISH {
			fish = append(fish, i)
		}
	}
	sort.SliceStable(fish, func(x, y int) bool { return a.Rows[fish[x]].Date.Before(a.Rows[fish[y]].Date) })
	last := map[string]int{}
	var out []Expansion
	for _, i := range fish {
		r := &a.Rows[i]
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
