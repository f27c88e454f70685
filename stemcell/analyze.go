package stemcell

import (
	"errors"
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
	Float32            bool // the score carries float32 precision
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
	Bands     Bands // risk-group limits used
	Notes     []string
}

// Patient lists a patient's burdens in timepoint order.
type Patient struct {
	ID      string
	Outcome string
	Burdens []Burden
	// Diagnosis is the first diagnosis burden (nil without one); Change
	// compares it with the first relapse.
	Diagnosis *Burden
	Change    *Change
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

// ErrNoCellsKept is returned (wrapped) when --keep matches no cell at all.
var ErrNoCellsKept = errors.New("no cell kept")

// Analyze fits one threshold for the study and measures every sample and
// patient.
func Analyze(scored []Scored, sheet *study.Sheet, o Options) (*Result, error) {
	o.defaults()
	res := &Result{Bands: o.Bands}
	pooled, ref := res.pool(scored, o)
	if len(pooled) == 0 {
		return nil, fmt.Errorf("%w: no cell matches --keep %s in any sample; check the cell-type column and values (%s)", ErrNoCellsKept, strings.Join(o.Keep, ","), typeList(countTypes(res.Cells)))
	}
	th, err := fitThreshold(pooled, ref, o)
	if err != nil {
		return nil, err
	}
	res.Threshold = th
	for i := range res.Cells {
		res.Cells[i].StemLike = res.Cells[i].Kept && res.Cells[i].Score >= th.Value
	}
	byID := res.burdens(scored, o)
	res.patients(sheet, byID, o)
	if sheet.HasOutcome {
		if err := res.cohort(sheet); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func (o *Options) defaults() {
	if len(o.Bands) == 0 {
		o.Bands = Bands{0.05, 0.15}
	}
	if o.Bootstrap == 0 {
		o.Bootstrap = 2000
	}
	if o.RefQuantile == 0 {
		o.RefQuantile = 0.99
	}
}

// pool lists every cell in res.Cells, marks those counted (--keep) and
// returns their scores and those of the reference cell types.
func (res *Result) pool(scored []Scored, o Options) (pooled, ref []float64) {
	for _, s := range scored {
		for i, c := range s.Cells {
			cell := Cell{Sample: s.Sample.ID, Cell: c, Type: s.Types[i], Score: s.Scores[i], Float32: s.Float32}
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
	return pooled, ref
}

// fitThreshold fits the study-wide threshold by o.Method.
func fitThreshold(pooled, ref []float64, o Options) (Threshold, error) {
	switch o.Method {
	case "fixed", "":
		return Threshold{Method: "fixed", Value: o.Fixed, Detail: "given"}, nil
	case "jenks":
		return Jenks(pooled)
	case "mixture":
		return Mixture(pooled)
	case "reference":
		if len(o.Reference) == 0 {
			return Threshold{}, fmt.Errorf("--cut reference needs --reference cell types")
		}
		return Reference(ref, o.RefQuantile)
	}
	return Threshold{}, fmt.Errorf("%w %q: use fixed, jenks, mixture or reference", ErrUnknownMethod, o.Method)
}

// ErrUnknownMethod is returned (wrapped) for a threshold method lsc lacks.
var ErrUnknownMethod = errors.New("unknown threshold method")

// burdens measures each sample; a sample left without counted cells is
// noted with the cell types it has.
func (res *Result) burdens(scored []Scored, o Options) map[string]Burden {
	byID := map[string]Burden{}
	idx := 0
	for _, s := range scored {
		var kept []float64
		cells := res.Cells[idx : idx+len(s.Cells)]
		idx += len(s.Cells)
		for _, c := range cells {
			if c.Kept {
				kept = append(kept, c.Score)
			}
		}
		b := NewBurden(s.Sample.ID, s.Sample.Patient, s.Sample.Timepoint.Label, kept, res.Threshold.Value, o.Bands)
		if b.N == 0 {
			b.Types = countTypes(cells)
			res.Notes = append(res.Notes, fmt.Sprintf("sample %s: %s", s.Sample.ID, b.Empty(o.Keep)))
		}
		res.Burdens = append(res.Burdens, b)
		byID[s.Sample.ID] = b
	}
	return byID
}

// TypeCount is a cell type and its number of cells.
type TypeCount struct {
	Type string
	N    int
}

// countTypes counts cells by type, most frequent first (ties by name);
// cells without a type count as "(none)".
func countTypes(cells []Cell) []TypeCount {
	n := map[string]int{}
	for _, c := range cells {
		t := c.Type
		if t == "" {
			t = "(none)"
		}
		n[t]++
	}
	out := make([]TypeCount, 0, len(n))
	for t, k := range n {
		out = append(out, TypeCount{t, k})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].N != out[b].N {
			return out[a].N > out[b].N
		}
		return out[a].Type < out[b].Type
	})
	return out
}

func typeList(tc []TypeCount) string {
	if len(tc) == 0 {
		return "no cells"
	}
	var b strings.Builder
	for i, t := range tc {
		if i > 0 {
			b.WriteString(", ")
		}
		if i == 12 {
			fmt.Fprintf(&b, "and %d more types", len(tc)-i)
			break
		}
		fmt.Fprintf(&b, "%s %d", t.Type, t.N)
	}
	return "cell types: " + b.String()
}

// Empty explains a burden without counted cells: which types the sample has.
func (b Burden) Empty(keep []string) string {
	if len(keep) == 0 {
		return "no cells scored"
	}
	return fmt.Sprintf("no cells left after --keep %s; %s", strings.Join(keep, ","), typeList(b.Types))
}

// patients orders each patient's burdens (sheet order of patients) and
// compares diagnosis with relapse.
func (res *Result) patients(sheet *study.Sheet, byID map[string]Burden, o Options) {
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
		var rel *Burden
		for _, s := range ss {
			b := byID[s.ID]
			pt.Burdens = append(pt.Burdens, b)
			if s.Timepoint.IsDiagnosis() && pt.Diagnosis == nil {
				pt.Diagnosis = &b
			}
			if s.Timepoint.IsRelapse() && rel == nil {
				rel = &b
			}
		}
		if pt.Diagnosis != nil && rel != nil {
			c := Compare(p, *pt.Diagnosis, *rel, o.Bootstrap, o.Seed+uint64(pi)*0x9e3779b97f4a7c15)
			pt.Change = &c
			res.Changes = append(res.Changes, c)
		}
		res.Patients = append(res.Patients, pt)
	}
}

// cohort compares diagnosis fractions of relapsing and non-relapsing
// patients.
func (res *Result) cohort(sheet *study.Sheet) error {
	c := &Cohort{}
	var score []float64
	var rel []bool
	for _, p := range res.Patients {
		if p.Outcome == "" || len(p.Burdens) == 0 {
			continue
		}
		r, ok := relapsed(p.Outcome)
		if !ok {
			return fmt.Errorf("patient %s: outcome %q not recognised; use relapse/no relapse, yes/no or 1/0", p.ID, p.Outcome)
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
	return nil
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
