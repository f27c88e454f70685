// Package wsp imports FlowJo 10 workspaces (.wsp): each sample's gates,
// channel transforms and compensation, and the population counts FlowJo
// stored, so that lsc's counts can be reported beside FlowJo's.
//
// The conversion follows FlowKit 1.x (whitews/FlowKit, _utils/wsp_utils.py):
// gate dimensions named with the matrix prefix (e.g. "Comp-FITC-A") are read
// in the sample's compensation (FlowKit #265: a gate drawn on compensated
// channels must not be applied to uncompensated ones); every gate dimension
// is evaluated in the channel's FlowJo transform (linear, log, biex,
// logicle, fasinh), with rectangle bounds and polygon vertices transformed
// the same way, so that polygon edges are straight where FlowJo drew them;
// FlowJo ellipses (foci and edge points in its 256-bin display space) are
// converted to 128-vertex polygons; eventsInside="0" selects the
// complement; And/Or/Not nodes become boolean gates.
//
// FlowJo itself bins events onto its display grid before testing polygon
// and ellipse gates (gateResolution; FlowKit #113), so counts of events
// lying on a gate boundary can differ by a few events; lsc reports both.
package wsp

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/xmltree"
	"github.com/lsc-bio/lsc/formats"
)

// Workspace is a parsed FlowJo workspace.
type Workspace struct {
	Path    string
	Version string // flowJoVersion
	Samples []*Sample
	Notes   []string
}

// Sample is one sample of a workspace with its gating.
type Sample struct {
	ID, Name, URI, File string
	FIL                 string // $FIL keyword
	Count               int    // events FlowJo counted
	Strategy            *flow.Strategy
	Populations         []Pop
	Notes               []string
}

// Pop is a population with the count FlowJo stored.
type Pop struct {
	ID, Name, Parent string
	FlowJoCount      int // -1 when FlowJo stored none
}

// Errors callers branch on (wrapped in a formats.ParseError or with the
// workspace named).
var (
	// ErrNoSample: the workspace has no sample for this FCS file, or none
	// named by --sample.
	ErrNoSample = errors.New("no matching sample")
	// ErrMismatch: a sample of the same name holds a different number of
	// events than the file (another acquisition).
	ErrMismatch = errors.New("sample does not match the file")
	// ErrUnsupported: a FlowJo workspace whose gates lsc cannot import
	// (FlowJo 9's own layout).
	ErrUnsupported = errors.New("unsupported FlowJo workspace")
)

// ReadFile reads a FlowJo workspace (.wsp, or FlowJo 9 .xml/.jo).
func ReadFile(p string) (*Workspace, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, p)
}

// Read reads a FlowJo workspace from r; name is the file named in errors.
// FlowJo 10 workspaces are read; older ones (FlowJo 9 writes ISO-8859-1
// XML) are read when their gates use the FlowJo 10 elements (Gate with
// Gating-ML shapes), otherwise refused with ErrUnsupported.
func Read(r io.Reader, name string) (*Workspace, error) {
	root, err := xmltree.Parse(r)
	if err != nil {
		return nil, &formats.ParseError{File: name, Reason: "not well-formed XML", Err: err, Hint: "check that the workspace was saved completely"}
	}
	ws := root.Child("Workspace")
	if ws == nil {
		return nil, formats.Errorf(name, 0, "", "give a FlowJo 10 workspace (.wsp)", "no <Workspace> element")
	}
	w := &Workspace{Path: name, Version: ws.Attr["flowJoVersion"]}
	major, _, _ := strings.Cut(w.Version, ".")
	if v, err := strconv.Atoi(major); err == nil && v < 10 {
		if !hasFlowJo10Gates(ws) {
			return nil, &formats.ParseError{File: name, Where: "<Workspace flowJoVersion=\"" + w.Version + "\">", Err: ErrUnsupported,
				Reason: fmt.Sprintf("a FlowJo %s workspace (XML version %s): its gates are in FlowJo 9's own layout, which lsc does not import", w.Version, ws.Attr["version"]),
				Hint:   "open it in FlowJo 10 and save it as .wsp, or export the gates as Gating-ML 2.0"}
		}
		w.Notes = append(w.Notes, fmt.Sprintf("FlowJo %s workspace read with the FlowJo 10 reader (its gates use the same elements)", w.Version))
	}
	list := ws.Child("SampleList")
	if list == nil {
		return nil, formats.Errorf(name, 0, "", "", "the workspace has no SampleList")
	}
	for _, sn := range list.Children("Sample") {
		s, err := parseSample(name, sn)
		if err != nil {
			return nil, err
		}
		w.Samples = append(w.Samples, s)
	}
	if len(w.Samples) == 0 {
		return nil, formats.Errorf(name, 0, "", "", "the workspace lists no samples")
	}
	return w, nil
}

// hasFlowJo10Gates reports whether every population's gate sits in a
// <Gate> element (FlowJo 10's layout, Gating-ML shapes inside).
func hasFlowJo10Gates(n *xmltree.Node) bool {
	pops, gated := 0, 0
	var walk func(*xmltree.Node)
	walk = func(n *xmltree.Node) {
		for _, k := range n.Kids {
			if k.Name == "Population" {
				pops++
				if g := k.Child("Gate"); g != nil && len(g.Kids) > 0 {
					gated++
				}
			}
			walk(k)
		}
	}
	walk(n)
	return pops == gated
}

// Find returns the sample for an FCS file as FlowJo matches them: by the
// file name in the workspace's data-set URI, the sample's name, or its
// $FIL keyword, and then by the number of events. A file that matches no
// sample, or whose event count differs from the sample's, is an error
// (ErrNoSample, ErrMismatch): the workspace's gates and counts belong to
// another file. want (--sample) picks a sample by name, ID or file name
// explicitly; its counts are then reported only when the event counts
// agree.
func (w *Workspace) Find(fcsPath, fil string, events int, want string) (*Sample, error) {
	base := path.Base(strings.ReplaceAll(fcsPath, "\\", "/"))
	var names []string
	for _, s := range w.Samples {
		names = append(names, s.Name)
	}
	list := strings.Join(names, ", ")
	if want != "" {
		for _, s := range w.Samples {
			if s.Name == want || s.ID == want || s.File == want {
				return s, nil
			}
		}
		return nil, fmt.Errorf("%s: --sample %q names no sample of the workspace (samples: %s): %w", w.Path, want, list, ErrNoSample)
	}
	for _, s := range w.Samples {
		if !(s.File == base || s.Name == base || (fil != "" && (s.FIL == fil || s.Name == fil))) {
			continue
		}
		if s.Count > 0 && s.Count != events {
			return nil, fmt.Errorf("%s: sample %s has %d events in FlowJo, %s has %d: not the same acquisition; pass --sample %q to apply its gates anyway: %w",
				w.Path, s.Name, s.Count, base, events, s.Name, ErrMismatch)
		}
		return s, nil
	}
	fl := ""
	if fil != "" {
		fl = " or $FIL " + fil
	}
	return nil, fmt.Errorf("%s: no sample matches %s%s (samples: %s); choose one with --sample NAME to apply its gates to this file: %w", w.Path, base, fl, list, ErrNoSample)
}

func parseSample(p string, sn *xmltree.Node) (*Sample, error) {
	s := &Sample{Strategy: &flow.Strategy{Transforms: map[string]flow.Transform{}, Ratios: map[string]flow.Ratio{}, Matrices: map[string]*flow.Spillover{}}}
	bad := func(n *xmltree.Node, format string, a ...any) *formats.ParseError {
		return formats.Errorf(p, n.Line, "<"+n.Name+">", "", format, a...)
	}
	if ds := sn.Child("DataSet"); ds != nil {
		s.URI, s.ID = ds.Attr["uri"], ds.Attr["sampleID"]
		u := s.URI
		if pu, err := url.PathUnescape(u); err == nil {
			u = pu
		}
		s.File = path.Base(strings.ReplaceAll(u, "\\", "/"))
	}
	if kw := sn.Child("Keywords"); kw != nil {
		for _, k := range kw.Children("Keyword") {
			if k.Attr["name"] == "$FIL" {
				s.FIL = k.Attr["value"]
			}
		}
	}
	xf, err := readTransforms(s, sn, bad)
	if err != nil {
		return nil, err
	}
	m, err := readMatrix(s, sn, bad)
	if err != nil {
		return nil, err
	}
	node := sn.Child("SampleNode")
	if node == nil {
		return s, nil
	}
	s.Name = node.Attr["name"]
	s.Count, _ = strconv.Atoi(node.Attr["count"])
	conv := &converter{s: s, xf: xf, prefix: m.prefix, suffix: m.suffix, compID: m.compID, detectors: m.detectors, path: p}
	if subs := node.Child("Subpopulations"); subs != nil {
		if err := conv.walk(subs, ""); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// readTransforms reads a sample's per-channel transforms into its
// strategy and returns them by channel.
func readTransforms(s *Sample, sn *xmltree.Node, bad func(*xmltree.Node, string, ...any) *formats.ParseError) (map[string]flow.Transform, error) {
	xf := map[string]flow.Transform{}
	if tr := sn.Child("Transformations"); tr != nil {
		for _, t := range tr.Kids {
			pn := t.Child("parameter")
			if pn == nil {
				continue
			}
			ch := pn.Attr["name"]
			a := func(k string) float64 { v, _ := xmltree.Float(t.Attr[k]); return v }
			var x flow.Transform
			var err error
			switch t.Name {
			case "linear":
				x = flow.Linear{T: a("maxRange"), A: a("minRange")}
			case "log":
				x = wspLog{offset: a("offset"), decades: a("decades")}
			case "biex":
				x, err = flow.NewFlowJoBiex(a("neg"), a("width"), a("pos"), a("maxRange"))
			case "logicle":
				x, err = flow.NewLogicle(a("T"), a("W"), a("M"), a("A"))
			case "fasinh":
				x = flow.Asinh{T: a("T"), M: a("M"), A: a("A")}
			default:
				s.Notes = append(s.Notes, fmt.Sprintf("channel %s: FlowJo transform %q is not documented; gates on it are evaluated untransformed", ch, t.Name))
				continue
			}
			if err != nil {
				pe := bad(t, "channel %s: %v", ch, err)
				pe.Err = err
				return nil, pe
			}
			xf[ch] = x
			s.Strategy.Transforms["xf:"+ch] = x
		}
	}
	return xf, nil
}

// matrixRef is the compensation a sample's gates were drawn in: the
// matrix id and the prefix/suffix FlowJo adds to compensated channel names.
type matrixRef struct {
	prefix, suffix, compID string
	detectors              map[string]bool
}

// readMatrix reads a sample's spillover matrix into its strategy.
func readMatrix(s *Sample, sn *xmltree.Node, bad func(*xmltree.Node, string, ...any) *formats.ParseError) (matrixRef, error) {
	var mt matrixRef
	if m := sn.Child("spilloverMatrix"); m != nil {
		mt.prefix, mt.suffix = m.Attr["prefix"], m.Attr["suffix"]
		mt.compID = "wsp:" + m.Attr["name"]
		sp := &flow.Spillover{Source: "FlowJo matrix " + m.Attr["name"]}
		if ps := m.Child("parameters"); ps != nil {
			for _, pp := range ps.Children("parameter") {
				sp.Detectors = append(sp.Detectors, pp.Attr["name"])
			}
		}
		index := map[string]int{}
		for i, d := range sp.Detectors {
			index[d] = i
		}
		sp.Fluorochromes = append([]string(nil), sp.Detectors...)
		sp.M = make([][]float64, len(sp.Detectors))
		for i := range sp.M {
			sp.M[i] = make([]float64, len(sp.Detectors))
		}
		for _, row := range m.Children("spillover") {
			i, ok := index[row.Attr["parameter"]]
			if !ok {
				return mt, bad(row, "spillover row for %q, which the matrix does not list", row.Attr["parameter"])
			}
			for _, c := range row.Children("coefficient") {
				j, ok := index[c.Attr["parameter"]]
				v, err := xmltree.Float(c.Attr["value"])
				if !ok || err != nil {
					return mt, bad(c, "bad coefficient %q for %q", c.Attr["value"], c.Attr["parameter"])
				}
				sp.M[i][j] = v
			}
		}
		s.Strategy.Matrices[mt.compID] = sp
		mt.detectors = map[string]bool{}
		for _, d := range sp.Detectors {
			mt.detectors[d] = true
		}
	}
	return mt, nil
}

type wspLog struct{ offset, decades float64 }

func (l wspLog) Apply(x float64) float64 {
	if x < l.offset {
		x = l.offset
	}
	return (math.Log10(x) - math.Log10(l.offset)) / l.decades
}
func (l wspLog) Inverse(y float64) float64 { return math.Pow(10, y*l.decades+math.Log10(l.offset)) }
func (l wspLog) String() string {
	return fmt.Sprintf("flowjo-log:offset=%g,decades=%g", l.offset, l.decades)
}

type converter struct {
	s                      *Sample
	xf                     map[string]flow.Transform
	prefix, suffix, compID string
	detectors              map[string]bool
	path                   string
}

func (c *converter) walk(subs *xmltree.Node, parent string) error {
	for _, n := range subs.Kids {
		var g *flow.Gate
		var err error
		switch n.Name {
		case "Population":
			g, err = c.population(n)
		case "AndNode", "OrNode", "NotNode":
			g = &flow.Gate{Kind: "boolean", Op: strings.ToLower(strings.TrimSuffix(n.Name, "Node"))}
			if deps := n.Child("Dependents"); deps != nil {
				for _, d := range deps.Children("Dependent") {
					g.Refs = append(g.Refs, flow.Ref{ID: d.Attr["name"]})
				}
			}
		default:
			continue
		}
		if err != nil {
			return err
		}
		name := n.Attr["name"]
		id := name
		if parent != "" {
			id = parent + "/" + name
		}
		g.ID, g.Parent, g.Name = id, parent, name
		cnt := -1
		if v, err := strconv.Atoi(n.Attr["count"]); err == nil {
			cnt = v
		}
		c.s.Strategy.Gates = append(c.s.Strategy.Gates, g)
		c.s.Populations = append(c.s.Populations, Pop{ID: id, Name: name, Parent: parent, FlowJoCount: cnt})
		if subs := n.Child("Subpopulations"); subs != nil {
			if err := c.walk(subs, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// dim converts a FlowJo gate dimension name into an lsc dimension.
func (c *converter) dim(name string) (flow.Dim, flow.Transform) {
	d := flow.Dim{Comp: "uncompensated"}
	ch := name
	if c.compID != "" && (c.prefix != "" || c.suffix != "") && strings.HasPrefix(ch, c.prefix) && strings.HasSuffix(ch, c.suffix) {
		base := strings.TrimSuffix(strings.TrimPrefix(ch, c.prefix), c.suffix)
		if c.detectors[base] {
			ch = base
			d.Comp = c.compID
		}
	}
	d.Name = ch
	t := c.xf[ch]
	if t != nil {
		d.Transform = "xf:" + ch
	}
	return d, t
}

func (c *converter) population(n *xmltree.Node) (*flow.Gate, error) {
	gn := n.Child("Gate")
	if gn == nil || len(gn.Kids) == 0 {
		return nil, formats.Errorf(c.path, n.Line, "Population "+n.Attr["name"], "", "population without a gate")
	}
	el := gn.Kids[0]
	g := &flow.Gate{Complement: el.Attr["eventsInside"] == "0"}
	var xfs []flow.Transform
	for _, dn := range el.Children("dimension") {
		fd := dn.Child("fcs-dimension")
		if fd == nil {
			return nil, formats.Errorf(c.path, dn.Line, "", "", "gate dimension without a channel")
		}
		d, t := c.dim(fd.Attr["name"])
		xfs = append(xfs, t)
		apply := func(v float64) float64 {
			if t != nil {
				return t.Apply(v)
			}
			return v
		}
		if v, ok := dn.Attr["min"]; ok && v != "" {
			x, err := xmltree.Float(v)
			if err != nil {
				return nil, formats.Errorf(c.path, dn.Line, "", "", "min %q is not a number", v)
			}
			d.Min, d.HasMin = apply(x), true
		}
		if v, ok := dn.Attr["max"]; ok && v != "" {
			x, err := xmltree.Float(v)
			if err != nil {
				return nil, formats.Errorf(c.path, dn.Line, "", "", "max %q is not a number", v)
			}
			d.Max, d.HasMax = apply(x), true
		}
		g.Dims = append(g.Dims, d)
	}
	switch el.Name {
	case "RectangleGate":
		g.Kind = "rectangle"
	case "PolygonGate":
		g.Kind = "polygon"
		for _, v := range el.Children("vertex") {
			cs := v.Children("coordinate")
			if len(cs) != 2 || len(xfs) != 2 {
				return nil, formats.Errorf(c.path, v.Line, "", "", "polygon vertex needs 2 coordinates")
			}
			var pt []float64
			for i, cn := range cs {
				x, err := xmltree.Float(cn.Attr["value"])
				if err != nil {
					return nil, formats.Errorf(c.path, cn.Line, "", "", "coordinate %q is not a number", cn.Attr["value"])
				}
				if xfs[i] != nil {
					x = xfs[i].Apply(x)
				}
				pt = append(pt, x)
			}
			g.Vertices = append(g.Vertices, pt)
		}
	case "EllipsoidGate":
		v, err := ellipseToPolygon(el, xfs)
		if err != nil {
			return nil, &formats.ParseError{File: c.path, Line: el.Line, Where: "EllipsoidGate", Reason: err.Error(), Err: err}
		}
		g.Kind, g.Vertices = "polygon", v
	default:
		return nil, formats.Errorf(c.path, el.Line, "", "", "FlowJo gate type %s is not supported", el.Name)
	}
	return g, nil
}

// ellipseToPolygon converts FlowJo's ellipse (foci and four edge points in
// the 256-bin display space) into a 128-vertex polygon in transformed
// coordinates, as FlowKit's WSPEllipsoidGate.convert_to_polygon_gate.
func ellipseToPolygon(el *xmltree.Node, xfs []flow.Transform) ([][]float64, error) {
	pts := func(name string) ([][2]float64, error) {
		n := el.Child(name)
		if n == nil {
			return nil, fmt.Errorf("ellipse without %s", name)
		}
		var out [][2]float64
		for _, v := range n.Children("vertex") {
			cs := v.Children("coordinate")
			if len(cs) != 2 {
				return nil, fmt.Errorf("ellipse vertex needs 2 coordinates")
			}
			x, err1 := xmltree.Float(cs[0].Attr["value"])
			y, err2 := xmltree.Float(cs[1].Attr["value"])
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("ellipse coordinate is not a number")
			}
			out = append(out, [2]float64{x / 256, y / 256})
		}
		return out, nil
	}
	foci, err := pts("foci")
	if err != nil || len(foci) != 2 {
		return nil, fmt.Errorf("ellipse needs two foci")
	}
	edge, err := pts("edge")
	if err != nil || len(edge) != 4 {
		return nil, fmt.Errorf("ellipse needs four edge points")
	}
	if len(xfs) != 2 {
		return nil, fmt.Errorf("ellipse needs two dimensions")
	}
	cx, cy := (foci[0][0]+foci[1][0])/2, (foci[0][1]+foci[1][1])/2
	theta := math.Atan((foci[1][1] - foci[0][1]) / (foci[1][0] - foci[0][0]))
	cos, sin := math.Cos(theta), math.Sin(theta)
	rot := func(p [2]float64) [2]float64 { // row vector times [[cos,-sin],[sin,cos]]
		x, y := p[0]-cx, p[1]-cy
		return [2]float64{x*cos + y*sin, -x*sin + y*cos}
	}
	f0 := rot(foci[0])
	r1, r3 := rot(edge[0]), rot(edge[2])
	r1 = [2]float64{math.Abs(r1[0]), math.Abs(r1[1])}
	r3 = [2]float64{math.Abs(r3[0]), math.Abs(r3[1])}
	arg := func(p [2]float64) int {
		if p[1] > p[0] {
			return 1
		}
		return 0
	}
	p1, p3 := arg(r1), arg(r3)
	if p1 == p3 {
		return nil, fmt.Errorf("cannot tell the major axis of the ellipse")
	}
	a := math.Max(r1[p1], r3[p3])
	if r1[p1] >= r3[p3] {
		a = r1[p1]
	} else {
		a = r3[p3]
	}
	b := math.Sqrt(math.Abs(f0[0]*f0[0] - a*a))
	const n = 128
	out := make([][]float64, n)
	for i := 0; i < n; i++ {
		ang := 2 * math.Pi * float64(i) / n
		var x, y float64
		if p1 == 0 {
			x, y = a*math.Cos(ang), b*math.Sin(ang)
		} else {
			x, y = b*math.Cos(ang), a*math.Sin(ang)
		}
		// inverse rotation: row vector times [[cos,sin],[-sin,cos]]
		px := x*cos - y*sin + cx
		py := x*sin + y*cos + cy
		pt := []float64{px, py}
		for k, t := range xfs {
			if _, biex := t.(*flow.FlowJoBiex); biex {
				pt[k] *= 4096
			}
		}
		out[i] = pt
	}
	return out, nil
}
