package flow

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/lsc-bio/lsc/flow/fcs"
)

// Gate semantics follow Gating-ML 2.0 (Spidlen et al. 2015) as FlowKit 1.x
// implements it: rectangle and quadrant bounds include their minimum and
// exclude their maximum; a point is inside a polygon when its winding number
// (Sunday's algorithm) is odd, so a self-crossing polygon has holes where
// its loops overlap (FlowUtils' points_in_polygon, which the Gating-ML
// compliance truth confirms); an ellipsoid includes points with
// Mahalanobis distance squared <= its distanceSquare; a gate's events are
// those inside its region and inside its parent.

// Dim is one gate dimension: a channel (or a ratio) in a compensation and
// a transformation.
type Dim struct {
	Name      string // FCS dimension name, or "" for a ratio
	Ratio     string // id of a ratio transformation (new-dimension), or ""
	Comp      string // "uncompensated", "FCS", or the id of a spillover matrix
	Transform string // id of a transformation, or ""
	Min, Max  float64
	HasMin    bool
	HasMax    bool
}

// Gate is one gate of a gating strategy.
type Gate struct {
	ID     string
	Parent string
	// Name is the gate's own name in population paths (FlowJo's population
	// name, whose ID is its whole path); the ID when empty.
	Name string
	Kind string // rectangle, polygon, ellipsoid, quadrant, boolean
	// Complement selects the events outside the region (FlowJo's
	// eventsInside="0"); the parent still applies.
	Complement bool
	Dims       []Dim
	// polygon
	Vertices [][]float64
	// ellipsoid
	Mean       []float64
	Covariance [][]float64
	Distance2  float64
	// quadrant: dividers are Dims with Values; quadrants are child populations
	Dividers  []Divider
	Quadrants []Quadrant
	// boolean
	Op   string // and, or, not
	Refs []Ref
}

// Divider is a quadrant gate divider.
type Divider struct {
	ID     string
	Dim    Dim
	Values []float64
}

// Quadrant is one population of a quadrant gate, placed by a location per
// divider.
type Quadrant struct {
	ID        string
	Positions map[string]float64 // divider id -> location
}

// Ref is a boolean gate operand.
type Ref struct {
	ID         string
	Complement bool
}

// Strategy is a set of gates with the transforms and matrices they use.
type Strategy struct {
	Gates      []*Gate
	Transforms map[string]Transform
	Ratios     map[string]Ratio
	Matrices   map[string]*Spillover
}

// Population is one gated population.
type Population struct {
	ID, Parent string
	Path       string // gate ids from the root, joined by "/"
	In         []bool
	Count      int
}

// Evaluator computes dimension values on one data set, caching them.
type Evaluator struct {
	Warnings []string
	S        *Strategy
	D        *fcs.Dataset
	scaled   []float64
	cache    map[string][]float64
	fcsSp    *Spillover
	comp     map[string][]float64    // compensation id -> compensated columns (row-major over fluorochromes)
	xf       map[[4]string][]float64 // transformed values by (transform, compensation, ratio, name)
}

// NewEvaluator prepares gating of d with s.
func NewEvaluator(s *Strategy, d *fcs.Dataset) *Evaluator {
	return &Evaluator{S: s, D: d, scaled: d.Scaled(), cache: map[string][]float64{}, comp: map[string][]float64{}, xf: map[[4]string][]float64{}}
}

func (e *Evaluator) column(name string) ([]float64, error) {
	i, err := e.D.Channel(name)
	if err != nil {
		return nil, err
	}
	np := len(e.D.Params)
	out := make([]float64, e.D.Events)
	for k := range out {
		out[k] = e.scaled[k*np+i]
	}
	return out, nil
}

// compensated returns the values of name in compensation comp.
func (e *Evaluator) compensated(name, comp string) ([]float64, error) {
	key := comp + "\x00" + name
	if v, ok := e.cache[key]; ok {
		return v, nil
	}
	var sp *Spillover
	switch comp {
	case "", "uncompensated":
		v, err := e.column(name)
		if err == nil {
			e.cache[key] = v
			return v, nil
		}
		if w, ok := e.flowJoCompName(name, err); ok {
			return w, nil
		}
		return v, err
	case "FCS":
		if e.fcsSp == nil {
			s, err := SpilloverFromFCS(e.D)
			if err != nil {
				return nil, err
			}
			if s == nil {
				// No matrix in the file: nothing to compensate (as FlowKit,
				// and as the Gating-ML compliance truth for data1.fcs expects).
				e.Warnings = append(e.Warnings, e.D.Path+": compensation-ref FCS but the file carries no spillover matrix; values used uncompensated")
				s = &Spillover{Source: "none"}
			}
			e.fcsSp = s
		}
		sp = e.fcsSp
	default:
		m, ok := e.S.Matrices[comp]
		if !ok {
			return nil, fmt.Errorf("compensation %q is not defined", comp)
		}
		sp = m
	}
	if sp.Source == "none" {
		return e.compensated(name, "uncompensated")
	}
	idx := -1
	for i, f := range sp.Fluorochromes {
		if f == name {
			idx = i
		}
	}
	if idx < 0 {
		// A channel the matrix does not name is left as it is.
		return e.column(name)
	}
	all, ok := e.comp[comp]
	if !ok {
		var err error
		if all, _, err = Compensate(e.D, e.scaled, sp); err != nil {
			return nil, fmt.Errorf("compensation %s: %w", comp, err)
		}
		e.comp[comp] = all
	}
	nf := len(sp.Fluorochromes)
	out := make([]float64, e.D.Events)
	for k := range out {
		out[k] = all[k*nf+idx]
	}
	e.cache[key] = out
	return out, nil
}

// flowJoCompPrefix is the prefix FlowJo gives compensated channels in the
// Gating-ML it exports (FlowJo 10, File > Export > Gating-ML 2.0): it writes
// such dimensions as "Comp-PE-A" with no compensation-ref, meaning PE-A
// compensated with the sample's acquisition matrix (FlowSOM's example
// manualGating.xml is one).
const flowJoCompPrefix = "Comp-"

// flowJoCompName reads a dimension the file does not hold, named
// "Comp-<channel>", as <channel> compensated with the file's own spillover
// matrix, and says so in a warning. Only a name that is missing from the
// file is read this way, so a file that has a "Comp-" channel of its own is
// gated on it; a file without a spillover matrix keeps the original error.
func (e *Evaluator) flowJoCompName(name string, missing error) ([]float64, bool) {
	base, ok := strings.CutPrefix(name, flowJoCompPrefix)
	if !ok || !errors.Is(missing, fcs.ErrNoChannel) {
		return nil, false
	}
	if _, err := e.D.Channel(base); err != nil {
		return nil, false
	}
	sp, err := SpilloverFromFCS(e.D)
	if err != nil || sp == nil {
		return nil, false
	}
	v, err := e.compensated(base, "FCS")
	if err != nil {
		return nil, false
	}
	e.cache["\x00"+name] = v
	e.cache["uncompensated\x00"+name] = v
	e.Warnings = append(e.Warnings, fmt.Sprintf("gate dimension %q is not in the file; read as %s compensated with the file's %s matrix (FlowJo's Gating-ML export names compensated channels %s<channel>)", name, base, sp.Source, flowJoCompPrefix))
	return v, true
}

// Values returns a dimension's values for every event. Transformed values
// are computed once per evaluator (the same dimension in several gates, or in
// plots after gating, reuses them); callers must not modify the slice.
func (e *Evaluator) Values(d Dim) ([]float64, error) {
	key := [4]string{d.Transform, d.Comp, d.Ratio, d.Name}
	if v, ok := e.xf[key]; ok && d.Transform != "" {
		return v, nil
	}
	var v []float64
	if d.Ratio != "" {
		r, ok := e.S.Ratios[d.Ratio]
		if !ok {
			return nil, fmt.Errorf("ratio transformation %q is not defined", d.Ratio)
		}
		x, err := e.compensated(r.X, d.Comp)
		if err != nil {
			return nil, err
		}
		y, err := e.compensated(r.Y, d.Comp)
		if err != nil {
			return nil, err
		}
		v = make([]float64, len(x))
		for i := range v {
			v[i] = r.Of(x[i], y[i])
		}
	} else {
		var err error
		if v, err = e.compensated(d.Name, d.Comp); err != nil {
			return nil, err
		}
	}
	if d.Transform != "" {
		t, ok := e.S.Transforms[d.Transform]
		if !ok {
			return nil, fmt.Errorf("transformation %q is not defined", d.Transform)
		}
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = t.Apply(x)
		}
		e.xf[key] = out
		v = out
	}
	return v, nil
}

// Apply gates every event and returns the populations in strategy order
// (quadrant gates give one population per quadrant).
func (e *Evaluator) Apply() ([]Population, error) {
	t := newTree(e.S)
	r := &resolver{e: e, t: t, region: map[string][]bool{}, full: map[string][]bool{}}
	var pops []Population
	for _, id := range t.order {
		in, err := r.resolve(id, 0)
		if err != nil {
			return nil, err
		}
		p := Population{ID: id, Parent: t.parent[id], In: in, Path: t.path(id)}
		for _, b := range in {
			if b {
				p.Count++
			}
		}
		pops = append(pops, p)
	}
	return pops, nil
}

// tree is the population hierarchy of a strategy.
type tree struct {
	order  []string          // population ids in strategy order
	parent map[string]string // population id -> parent id
	name   map[string]string // population id -> its name in paths
	gate   map[string]*Gate  // population id -> gate (a quadrant's is its quadrant gate)
}

func newTree(s *Strategy) *tree {
	t := &tree{parent: map[string]string{}, name: map[string]string{}, gate: map[string]*Gate{}}
	for _, g := range s.Gates {
		if g.Kind == "quadrant" {
			for _, q := range g.Quadrants {
				t.parent[q.ID], t.name[q.ID] = g.Parent, q.ID
				t.order = append(t.order, q.ID)
			}
			continue
		}
		t.parent[g.ID], t.name[g.ID] = g.Parent, g.ID
		if g.Name != "" {
			t.name[g.ID] = g.Name
		}
		t.order = append(t.order, g.ID)
	}
	for _, g := range s.Gates {
		t.gate[g.ID] = g
		for _, q := range g.Quadrants {
			t.gate[q.ID] = g
		}
	}
	return t
}

// path is "/" and the names from the root down to id.
func (t *tree) path(id string) string {
	p := []string{t.name[id]}
	for q := t.parent[id]; q != "" && len(p) < 100; q = t.parent[q] {
		n, ok := t.name[q]
		if !ok {
			n = q
		}
		p = append([]string{n}, p...)
	}
	return "/" + strings.Join(p, "/")
}

// resolver computes each population's events once: its own region, then
// within its parent.
type resolver struct {
	e            *Evaluator
	t            *tree
	region, full map[string][]bool
}

func (r *resolver) resolve(id string, depth int) ([]bool, error) {
	if v, ok := r.full[id]; ok {
		return v, nil
	}
	if depth > 100 {
		return nil, fmt.Errorf("gate %s: parent or boolean references form a cycle", id)
	}
	g, ok := r.t.gate[id]
	if !ok {
		return nil, fmt.Errorf("gate %q is referenced but not defined", id)
	}
	in, ok := r.region[id]
	if !ok {
		var err error
		in, err = r.e.region(g, id, func(ref string) ([]bool, error) { return r.resolve(ref, depth+1) })
		if err != nil {
			return nil, fmt.Errorf("gate %s: %w", id, err)
		}
		if g.Complement {
			for i := range in {
				in[i] = !in[i]
			}
		}
		r.region[id] = in
	}
	out := in
	if p := r.t.parent[id]; p != "" {
		pin, err := r.resolve(p, depth+1)
		if err != nil {
			return nil, err
		}
		out = make([]bool, len(in))
		for i := range in {
			out[i] = in[i] && pin[i]
		}
	}
	r.full[id] = out
	return out, nil
}

func (e *Evaluator) region(g *Gate, id string, ref func(string) ([]bool, error)) ([]bool, error) {
	switch g.Kind {
	case "rectangle":
		return e.rectangle(g)
	case "polygon":
		return e.polygon(g)
	case "ellipsoid":
		return e.ellipsoid(g)
	case "quadrant":
		return e.quadrant(g, id)
	case "boolean":
		return e.boolean(g, ref)
	}
	return nil, fmt.Errorf("unknown gate type %q", g.Kind)
}

// rectangle: every bounded dimension within [min, max).
func (e *Evaluator) rectangle(g *Gate) ([]bool, error) {
	in := make([]bool, e.D.Events)
	for i := range in {
		in[i] = true
	}
	for _, d := range g.Dims {
		v, err := e.Values(d)
		if err != nil {
			return nil, err
		}
		for i, x := range v {
			if (d.HasMin && !(x >= d.Min)) || (d.HasMax && !(x < d.Max)) {
				in[i] = false
			}
		}
	}
	return in, nil
}

// polygon: odd winding number.
func (e *Evaluator) polygon(g *Gate) ([]bool, error) {
	if len(g.Dims) != 2 {
		return nil, fmt.Errorf("a polygon needs 2 dimensions, has %d", len(g.Dims))
	}
	x, err := e.Values(g.Dims[0])
	if err != nil {
		return nil, err
	}
	y, err := e.Values(g.Dims[1])
	if err != nil {
		return nil, err
	}
	in := make([]bool, e.D.Events)
	for i := range in {
		in[i] = windingNumber(x[i], y[i], g.Vertices)%2 != 0
	}
	return in, nil
}

// ellipsoid: Mahalanobis distance squared within the gate's.
func (e *Evaluator) ellipsoid(g *Gate) ([]bool, error) {
	k := len(g.Dims)
	vals := make([][]float64, k)
	for j, d := range g.Dims {
		v, err := e.Values(d)
		if err != nil {
			return nil, err
		}
		vals[j] = v
	}
	cov := mat.NewDense(k, k, nil)
	for a := 0; a < k; a++ {
		for b := 0; b < k; b++ {
			cov.Set(a, b, g.Covariance[a][b])
		}
	}
	var inv mat.Dense
	if err := inv.Inverse(cov); err != nil {
		return nil, fmt.Errorf("ellipsoid covariance matrix is singular")
	}
	in := make([]bool, e.D.Events)
	diff := make([]float64, k)
	for i := range in {
		for j := 0; j < k; j++ {
			diff[j] = vals[j][i] - g.Mean[j]
		}
		var d2 float64
		for a := 0; a < k; a++ {
			for b := 0; b < k; b++ {
				d2 += diff[a] * inv.At(a, b) * diff[b]
			}
		}
		in[i] = d2 <= g.Distance2
	}
	return in, nil
}

// quadrant: the quadrant id, placed between the divider values around its
// location on each divider.
func (e *Evaluator) quadrant(g *Gate, id string) ([]bool, error) {
	var q *Quadrant
	for qi := range g.Quadrants {
		if g.Quadrants[qi].ID == id {
			q = &g.Quadrants[qi]
		}
	}
	if q == nil {
		return nil, fmt.Errorf("quadrant %s not found", id)
	}
	in := make([]bool, e.D.Events)
	for i := range in {
		in[i] = true
	}
	for _, dv := range g.Dividers {
		loc, ok := q.Positions[dv.ID]
		if !ok {
			continue
		}
		lo, hi := dividerCell(dv.Values, loc)
		v, err := e.Values(dv.Dim)
		if err != nil {
			return nil, err
		}
		for i, x := range v {
			if !(x >= lo && x < hi) {
				in[i] = false
			}
		}
	}
	return in, nil
}

// dividerCell returns the interval [lo, hi) of divider values that holds loc.
func dividerCell(values []float64, loc float64) (float64, float64) {
	vals := append([]float64(nil), values...)
	sort.Float64s(vals)
	lo, hi := math.Inf(-1), math.Inf(1)
	for _, c := range vals {
		if c <= loc {
			lo = c
		} else {
			hi = c
			break
		}
	}
	return lo, hi
}

// boolean: and, or, not of other gates (operands may be complemented).
func (e *Evaluator) boolean(g *Gate, ref func(string) ([]bool, error)) ([]bool, error) {
	if len(g.Refs) == 0 {
		return nil, fmt.Errorf("boolean gate without operands")
	}
	operands := make([][]bool, len(g.Refs))
	for j, r := range g.Refs {
		v, err := ref(r.ID)
		if err != nil {
			return nil, err
		}
		if r.Complement {
			c := make([]bool, len(v))
			for i := range v {
				c[i] = !v[i]
			}
			v = c
		}
		operands[j] = v
	}
	in := make([]bool, e.D.Events)
	switch g.Op {
	case "and":
		for i := range in {
			in[i] = true
			for _, o := range operands {
				in[i] = in[i] && o[i]
			}
		}
	case "or":
		for i := range in {
			for _, o := range operands {
				in[i] = in[i] || o[i]
			}
		}
	case "not":
		if len(operands) != 1 {
			return nil, fmt.Errorf("a not gate takes one operand, has %d", len(operands))
		}
		for i := range in {
			in[i] = !operands[0][i]
		}
	default:
		return nil, fmt.Errorf("unknown boolean operation %q", g.Op)
	}
	return in, nil
}

// windingNumber is Sunday's winding number of polygon v around (x, y).
func windingNumber(x, y float64, v [][]float64) int {
	wn := 0
	n := len(v)
	for i := 0; i < n; i++ {
		ax, ay := v[i][0], v[i][1]
		bx, by := v[(i+1)%n][0], v[(i+1)%n][1]
		isLeft := (bx-ax)*(y-ay) - (x-ax)*(by-ay)
		if ay <= y {
			if by > y && isLeft > 0 {
				wn++
			}
		} else if by <= y && isLeft < 0 {
			wn--
		}
	}
	return wn
}
