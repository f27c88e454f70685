// Package compartment measures the stem-cell compartments leukemia
// research counts by immunophenotype: blasts (CD45dim, SSC-low), CD34+,
// CD34+CD38- (CML stem cells; Chu et al., Blood 2011) beside CD34+CD38+
// progenitors, CD34+CD38-/low CD90+ (del(5q) MDS stem cells), HSC
// (CD34+CD38-CD90+CD45RA-), MPP (CD90-), and CMP/GMP/MEP by CD123 and
// CD45RA (Manz et al., PNAS 2002). A template names markers, not channels:
// each marker is found in a panel by its $PnS label (or $PnN), so one
// template serves several panels; a marker the panel lacks leaves its
// compartments unmeasured. Marker thresholds can be set from a control
// sample (FMO or isotype) as a high quantile of its values.
//
// The template compiles to an ordinary gating strategy (package flow), so
// the compartments are counted by the same engine that passes the
// Gating-ML 2.0 compliance suite, and can be exported as Gating-ML.
package compartment

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/fcs"
	"github.com/lsc-bio/lsc/stats"
)

//go:embed default.json
var defaultJSON []byte

// DefaultJSON returns the built-in template, for editing.
func DefaultJSON() []byte { return append([]byte(nil), defaultJSON...) }

// Template is an editable compartment gating template.
type Template struct {
	Name      string  `json:"name"`
	Transform string  `json:"transform"`
	Note      string  `json:"note,omitempty"`
	Gates     []TGate `json:"gates"`
}

// TGate is a template gate: a 1-D marker threshold (Marker, Positive,
// Threshold) or a 2-D rectangle (X, Y with optional bounds; bounds on the
// transformed scale unless the axis is linear).
type TGate struct {
	ID        string   `json:"id"`
	Parent    string   `json:"parent,omitempty"`
	Marker    string   `json:"marker,omitempty"`
	Positive  bool     `json:"positive,omitempty"`
	Threshold float64  `json:"threshold,omitempty"`
	X         string   `json:"x,omitempty"`
	Y         string   `json:"y,omitempty"`
	XMin      *float64 `json:"x_min,omitempty"`
	XMax      *float64 `json:"x_max,omitempty"`
	YMin      *float64 `json:"y_min,omitempty"`
	YMax      *float64 `json:"y_max,omitempty"`
	XLinear   bool     `json:"x_linear,omitempty"`
	YLinear   bool     `json:"y_linear,omitempty"`
	About     string   `json:"about,omitempty"`
}

// Default returns the built-in template.
func Default() *Template {
	t, err := Read(bytes.NewReader(defaultJSON), "built-in template")
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return t
}

// ReadFile reads a template file.
func ReadFile(path string) (*Template, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads a template (JSON) from r and checks it; name is the file
// named in errors.
func Read(r io.Reader, name string) (*Template, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var t Template
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("%s: %w (write the template as JSON; lsc flow template prints the default)", name, err)
	}
	if _, err := flow.ParseTransform(t.Transform); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	ids := map[string]bool{}
	for i, g := range t.Gates {
		switch {
		case g.ID == "":
			return nil, fmt.Errorf("%s: gate %d has no id", name, i+1)
		case ids[g.ID]:
			return nil, fmt.Errorf("%s: gate id %q used twice", name, g.ID)
		case g.Parent != "" && !ids[g.Parent]:
			return nil, fmt.Errorf("%s: gate %s names parent %q, which must come before it", name, g.ID, g.Parent)
		case g.Marker == "" && (g.X == "" || g.Y == ""):
			return nil, fmt.Errorf("%s: gate %s needs a marker, or x and y", name, g.ID)
		}
		ids[g.ID] = true
	}
	return &t, nil
}

// FindChannel returns the parameter whose $PnS (else $PnN) names marker:
// an exact match, or the marker as a whole word (e.g. "CD34" in
// "CD34 PE-Cy7" but not in "CD340"). Scatter names match $PnN exactly.
func FindChannel(d *fcs.Dataset, marker string) (string, bool) {
	for _, p := range d.Params {
		if strings.EqualFold(p.N, marker) || strings.EqualFold(p.S, marker) {
			return p.N, true
		}
	}
	re := regexp.MustCompile(`(?i)(^|[^A-Za-z0-9])` + regexp.QuoteMeta(marker) + `($|[^A-Za-z0-9])`)
	var hits []string
	for _, p := range d.Params {
		if re.MatchString(p.S) {
			hits = append(hits, p.N)
		}
	}
	if len(hits) == 1 {
		return hits[0], true
	}
	return "", false
}

// Compiled is a template bound to one panel.
type Compiled struct {
	Strategy *flow.Strategy
	Channels map[string]string // marker -> $PnN
	Missing  []string          // markers the panel lacks, every one, in template order
	Skipped  []string          // gates not measurable (marker missing here or above)
	Reasons  map[string]string // skipped gate -> why it is not measured
}

// Compile binds t to the panel of d; gates whose markers the panel lacks
// (or whose parents are unmeasured) are listed in Skipped. comp is the compensation id to read
// fluorescence in ("FCS" for the file's own matrix, "uncompensated").
func (t *Template) Compile(d *fcs.Dataset, comp string) (*Compiled, error) {
	tr, err := flow.ParseTransform(t.Transform)
	if err != nil {
		return nil, err
	}
	c := &Compiled{Strategy: &flow.Strategy{Transforms: map[string]flow.Transform{"display": tr}, Ratios: map[string]flow.Ratio{}, Matrices: map[string]*flow.Spillover{}},
		Channels: map[string]string{}, Reasons: map[string]string{}}
	find := func(m string) (string, bool) {
		if ch, ok := c.Channels[m]; ok {
			return ch, true
		}
		ch, ok := FindChannel(d, m)
		if ok {
			c.Channels[m] = ch
		} else if !contains(c.Missing, m) {
			c.Missing = append(c.Missing, m)
		}
		return ch, ok
	}
	for _, g := range t.Gates { // every marker, so that Missing lists them all
		for _, m := range []string{g.Marker, g.X, g.Y} {
			if m != "" {
				find(m)
			}
		}
	}
	dim := func(ch string, linear bool) flow.Dim {
		dd := flow.Dim{Name: ch, Comp: comp}
		if flow.IsScatter(ch) {
			dd.Comp = "uncompensated"
		}
		if !linear {
			dd.Transform = "display"
		}
		return dd
	}
	skipped := map[string]string{} // gate -> the gate where the cause lies
	cause := map[string]string{}
	skip := func(id, at, why string) {
		skipped[id], cause[id] = at, why
		c.Skipped = append(c.Skipped, id)
		c.Reasons[id] = why
		if at != id {
			c.Reasons[id] = why + " (gate " + at + " above)"
		}
	}
	for _, g := range t.Gates {
		if at, ok := skipped[g.Parent]; ok && g.Parent != "" {
			skip(g.ID, at, cause[g.Parent])
			continue
		}
		fg := &flow.Gate{ID: g.ID, Parent: g.Parent, Kind: "rectangle"}
		if g.Marker != "" {
			ch, ok := find(g.Marker)
			if !ok {
				skip(g.ID, g.ID, "marker "+g.Marker+" not in the panel")
				continue
			}
			dd := dim(ch, false)
			if g.Positive {
				dd.Min, dd.HasMin = g.Threshold, true
			} else {
				dd.Max, dd.HasMax = g.Threshold, true
			}
			fg.Dims = []flow.Dim{dd}
		} else {
			xc, okx := find(g.X)
			yc, oky := find(g.Y)
			if !okx || !oky {
				var lack []string
				if !okx {
					lack = append(lack, g.X)
				}
				if !oky {
					lack = append(lack, g.Y)
				}
				skip(g.ID, g.ID, "marker "+strings.Join(lack, " and ")+" not in the panel")
				continue
			}
			dx, dy := dim(xc, g.XLinear), dim(yc, g.YLinear)
			setBounds(&dx, g.XMin, g.XMax)
			setBounds(&dy, g.YMin, g.YMax)
			fg.Dims = []flow.Dim{dx, dy}
		}
		c.Strategy.Gates = append(c.Strategy.Gates, fg)
	}
	return c, nil
}

func setBounds(d *flow.Dim, lo, hi *float64) {
	if lo != nil {
		d.Min, d.HasMin = *lo, true
	}
	if hi != nil {
		d.Max, d.HasMax = *hi, true
	}
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// SetThresholds moves every 1-D marker threshold to the q quantile (R type
// 7) of the control's transformed values in that marker's channel: a
// positive gate then starts above (almost) all control events. It returns
// the thresholds set, by marker.
func (t *Template) SetThresholds(control *fcs.Dataset, comp string, q float64) (map[string]float64, error) {
	c, err := t.Compile(control, comp)
	if err != nil {
		return nil, err
	}
	ev := flow.NewEvaluator(c.Strategy, control)
	set := map[string]float64{}
	for i, g := range t.Gates {
		if g.Marker == "" {
			continue
		}
		ch, ok := c.Channels[g.Marker]
		if !ok {
			continue
		}
		if v, done := set[g.Marker]; done {
			t.Gates[i].Threshold = v
			continue
		}
		vals, err := ev.Values(flow.Dim{Name: ch, Comp: comp, Transform: "display"})
		if err != nil {
			return nil, err
		}
		s := append([]float64(nil), vals...)
		sort.Float64s(s)
		v := stats.Quantile7(s, q)
		set[g.Marker] = v
		t.Gates[i].Threshold = v
	}
	return set, nil
}

// Count is one compartment's count with its frequencies and
// Clopper-Pearson 95 % intervals (as R's binom.test).
type Count struct {
	ID, Path string
	Count    int
	Of       map[string]Freq // "parent", "CD34+", "blasts", "all"
	Measured bool
	Reason   string // why it is not measured
}

// Freq is a frequency with its interval, in percent.
type Freq struct {
	Denominator int
	Percent     float64
	Lower       float64
	Upper       float64
}

// Measure gates d with the compiled template and reports every compartment,
// the populations (with per-event membership) and the gating warnings.
func Measure(t *Template, c *Compiled, d *fcs.Dataset) ([]Count, []flow.Population, []string, error) {
	return measure(t, c, d, flow.NewEvaluator(c.Strategy, d))
}

// measure is Measure with the evaluator given, so that Run's plots reuse
// the compensated and transformed values the gating computed.
func measure(t *Template, c *Compiled, d *fcs.Dataset, ev *flow.Evaluator) ([]Count, []flow.Population, []string, error) {
	pops, err := ev.Apply()
	if err != nil {
		return nil, nil, nil, err
	}
	byID := map[string]flow.Population{}
	for _, p := range pops {
		byID[p.ID] = p
	}
	freq := func(k, n int) Freq {
		f := Freq{Denominator: n, Percent: math.NaN(), Lower: math.NaN(), Upper: math.NaN()}
		if n > 0 {
			f.Percent = 100 * float64(k) / float64(n)
			if iv, err := stats.ClopperPearson(k, n, 0.95); err == nil {
				f.Lower, f.Upper = 100*iv.Lower, 100*iv.Upper
			}
		}
		return f
	}
	var out []Count
	for _, g := range t.Gates {
		p, ok := byID[g.ID]
		cnt := Count{ID: g.ID, Of: map[string]Freq{}, Reason: c.Reasons[g.ID]}
		if !ok {
			out = append(out, cnt)
			continue
		}
		cnt.Measured, cnt.Count, cnt.Path = true, p.Count, p.Path
		parentN := d.Events
		if g.Parent != "" {
			parentN = byID[g.Parent].Count
		}
		cnt.Of["parent"] = freq(p.Count, parentN)
		cnt.Of["all"] = freq(p.Count, d.Events)
		for _, ref := range []string{"CD34+", "blasts"} {
			if r, ok := byID[ref]; ok && strings.Contains(p.Path+"/", "/"+ref+"/") {
				cnt.Of[ref] = freq(p.Count, r.Count)
			}
		}
		out = append(out, cnt)
	}
	return out, pops, ev.Warnings, nil
}
