package stemcell

import (
	"fmt"
	"math"
	"path"
	"sort"
	"strings"

	"github.com/lsc-bio/lsc/stats"
	"github.com/lsc-bio/lsc/study"
)

// Options configure Analyze.
type Options struct {
	Method      string   // fixed, jenks, mixture, reference
	Fixed       float64  // fixed threshold
	Keep        []string // cell types (globs) counted for burden; empty = all cells
	Reference   []string // cell types (globs) of the reference population
	RefQuantile float64  // reference quantile (default 0.99)
	Bands       Bands    // default 0.05, 0.15
	Bootstrap   int      // resamples for fold-change intervals (default 2000)
	Seed        uint64
}

// Cell is one scored cell.
type Cell struct {
	Sample, Cell, Type string
	Score              float64
	Kept               bool // counted for burden
	StemLike           bool
}

// Cohort compares diagnosis fractions between relapsing and non-relapsing
// patients.
type Cohort struct {
	Relapse, NoRelapse []float64 // diagnosis fractions
	Patients           [2][]string
	MannWhitney        stats.MannWhitney
	ROC                *stats.ROC
}

// Result is a study analysis.
type Result struct {
	Threshold Threshold
	Cells     []Cell
	Burdens   []Burden
	Changes   []Change
	Patients  []Patient
	Cohort    *Cohort
	Notes     []string
}

// Patient lists a patient's burdens in timepoint order.
type Patient struct {
	ID      string
	Outcome string
	Burdens []Burden
	Change  *Change
}

// Match reports whether a cell type matches any pattern (globs with *).
func Match(t string, patterns []string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, t); ok || p == t {
			return true
		}
	}
	return false
}

// Analyze fits one threshold for the study and measures every sample and
// patient.
func Analyze(scored []Scored, sheet *study.Sheet, o Options) (*Result, error) {
	if len(o.Bands) == 0 {
		o.Bands = Bands{0.05, 0.15}
	}
	if o.Bootstrap == 0 {
		o.Bootstrap = 2000
	}
	if o.RefQuantile == 0 {
		o.RefQuantile = 0.99
	}
	res := &Result{}
	var pooled, ref []float64
	for _, s := range scored {
		for i, c := range s.Cells {
			cell := Cell{Sample: s.Sample.ID, Cell: c, Type: s.Types[i], Score: s.Scores[i]}
			cell.Kept = len(o.Keep) == 0 || Match(cell.Type, o.Keep)
			if cell.Kept {
				pooled = append(pooled, cell.Score)
			}
			if len(o.Reference) > 0 && Match(cell.Type, o.Reference) {
				ref = append(ref, cell.Score)
			}
			res.Cells = append(res.Cells, cell)
		}
	}
	if len(pooled) == 0 {
		return nil, fmt.Errorf("no cell matches --keep %s in any sample; check the cell-type column and values", strings.Join(o.Keep, ","))
	}
	var err error
	switch o.Method {
	case "fixed", "":
		res.Threshold = Threshold{Method: "fixed", Value: o.Fixed, Detail: "given"}
	case "jenks":
		res.Threshold, err = Jenks(pooled)
	case "mixture":
		res.Threshold, err = Mixture(pooled)
	case "reference":
		if len(o.Reference) == 0 {
			return nil, fmt.Errorf("--threshold reference needs --reference cell types")
		}
		res.Threshold, err = Reference(ref, o.RefQuantile)
	default:
		return nil, fmt.Errorf("unknown threshold method %q: use fixed, jenks, mixture or reference", o.Method)
	}
	if err != nil {
		return nil, err
	}
	t := res.Threshold.Value
	for i := range res.Cells {
		res.Cells[i].StemLike = res.Cells[i].Kept && res.Cells[i].Score >= t
	}
	// Burden per sample.
	byID := map[string]Burden{}
	idx := 0
	for _, s := range scored {
		var kept []float64
		for range s.Cells {
			if res.Cells[idx].Kept {
				kept = append(kept, res.Cells[idx].Score)
			}
			idx++
		}
		b := NewBurden(s.Sample.ID, s.Sample.Patient, s.Sample.Timepoint.Label, kept, t, o.Bands)
		if b.N == 0 {
			res.Notes = append(res.Notes, fmt.Sprintf("sample %s: no cells left after --keep", s.Sample.ID))
		}
		res.Burdens = append(res.Burdens, b)
		byID[s.Sample.ID] = b
	}
	// Patients in sheet order.
	var order []string
	samples := map[string][]study.Sample{}
	outcome := map[string]string{}
	for _, s := range sheet.Samples {
		if _, ok := samples[s.Patient]; !ok {
			order = append(order, s.Patient)
		}
		samples[s.Patient] = append(samples[s.Patient], s)
		if s.Outcome != "" {
			outcome[s.Patient] = s.Outcome
		}
	}
	for pi, p := range order {
		ss := samples[p]
		sort.SliceStable(ss, func(a, b int) bool { return study.Less(ss[a].Timepoint, ss[b].Timepoint) })
		pt := Patient{ID: p, Outcome: outcome[p]}
		var dx, rel *Burden
		for _, s := range ss {
			b := byID[s.ID]
			pt.Burdens = append(pt.Burdens, b)
			if s.Timepoint.IsDiagnosis() && dx == nil {
				dx = &b
			}
			if s.Timepoint.IsRelapse() && rel == nil {
				rel = &b
			}
		}
		if dx != nil && rel != nil {
			c := Compare(p, *dx, *rel, o.Bootstrap, o.Seed+uint64(pi)*0x9e3779b97f4a7c15)
			pt.Change = &c
			res.Changes = append(res.Changes, c)
		}
		res.Patients = append(res.Patients, pt)
	}
	if sheet.HasOutcome {
		c := &Cohort{}
		var score []float64
		var rel []bool
		for _, p := range res.Patients {
			if p.Outcome == "" || len(p.Burdens) == 0 {
				continue
			}
			r, ok := relapsed(p.Outcome)
			if !ok {
				return nil, fmt.Errorf("patient %s: outcome %q not recognised; use relapse/no relapse, yes/no or 1/0", p.ID, p.Outcome)
			}
			var f float64 = math.NaN()
			for _, b := range p.Burdens {
				if _, isDx := dxOf(sheet, b.Sample); isDx {
					f = b.Fraction
					break
				}
			}
			if math.IsNaN(f) {
				continue
			}
			if r {
				c.Relapse = append(c.Relapse, f)
				c.Patients[0] = append(c.Patients[0], p.ID)
			} else {
				c.NoRelapse = append(c.NoRelapse, f)
				c.Patients[1] = append(c.Patients[1], p.ID)
			}
			score, rel = append(score, f), append(rel, r)
		}
		if len(c.Relapse) > 0 && len(c.NoRelapse) > 0 {
			c.MannWhitney, _ = stats.MannWhitneyTest(c.Relapse, c.NoRelapse)
			c.ROC, _ = stats.ROCCurve(score, rel, 0.95)
			res.Cohort = c
		} else {
			res.Notes = append(res.Notes, "cohort comparison skipped: it needs patients with and without relapse")
		}
	}
	return res, nil
}

func dxOf(sh *study.Sheet, sample string) (study.Sample, bool) {
	for _, s := range sh.Samples {
		if s.ID == sample {
			return s, s.Timepoint.IsDiagnosis()
		}
	}
	return study.Sample{}, false
}

func relapsed(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "relapse", "relapsed", "yes", "y", "1", "true":
		return true, true
	case "no relapse", "no", "n", "0", "false", "ccr", "remission", "none":
		return false, true
	}
	return false, false
}
