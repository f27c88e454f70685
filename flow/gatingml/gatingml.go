// Package gatingml reads and writes Gating-ML 2.0 (ISAC; Spidlen et al.,
// Cytometry A 2015;87:683): gates (rectangle, polygon, ellipsoid, quadrant,
// boolean, with parent references), transformations (flin, flog, fasinh,
// logicle, hyperlog, fratio) and spectrum matrices. Namespaces are matched
// by element local names, so files from FlowKit, flowCore/flowUtils,
// Cytobank and FlowJo exports all read. FlowJo's export names compensated
// dimensions "Comp-<channel>" without a compensation-ref; when the FCS file
// has no such channel, the evaluator (package flow) reads <channel>
// compensated with the file's own spillover matrix and says so in a warning.
package gatingml

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/xmltree"
	"github.com/lsc-bio/lsc/formats"
)

type node = xmltree.Node

func parseTree(r io.Reader) (*node, error) { return xmltree.Parse(r) }

// ReadFile reads a Gating-ML 2.0 file.
func ReadFile(path string) (*flow.Strategy, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read parses Gating-ML 2.0 from r; name is the file named in errors.
func Read(r io.Reader, name string) (*flow.Strategy, error) {
	path := name
	root, err := parseTree(r)
	if err != nil {
		return nil, &formats.ParseError{File: path, Reason: "not well-formed XML", Err: err, Hint: "check the file is complete Gating-ML 2.0"}
	}
	top := root.Child("Gating-ML")
	if top == nil {
		return nil, formats.Errorf(path, 0, "", "export the gates as Gating-ML 2.0 (FlowJo: File > Export > Gating-ML; FlowKit: export_gml)", "no Gating-ML root element")
	}
	s := &flow.Strategy{Transforms: map[string]flow.Transform{}, Ratios: map[string]flow.Ratio{}, Matrices: map[string]*flow.Spillover{}}
	bad := func(n *node, format string, a ...any) error {
		pe := formats.Errorf(path, n.Line, "<"+n.Name+">", "fix the element as Gating-ML 2.0 defines it", format, a...)
		for _, x := range a { // keep a cause given to %v in the chain
			if err, ok := x.(error); ok {
				pe.Err = err
			}
		}
		return pe
	}
	for _, n := range flatten(top) {
		var err error
		switch n.Name {
		case "transformation":
			err = readTransform(s, n, bad)
		case "spectrumMatrix":
			err = readSpectrum(s, n, bad)
		case "RectangleGate", "PolygonGate", "EllipsoidGate", "QuadrantGate", "BooleanGate":
			var g *flow.Gate
			if g, err = parseGate(n, bad); err == nil {
				s.Gates = append(s.Gates, g)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if len(s.Gates) == 0 {
		return nil, formats.Errorf(path, 0, "", "", "no gates in the file")
	}
	return s, nil
}

type badFunc = func(*node, string, ...any) error

// readTransform reads one transformation element into s.
func readTransform(s *flow.Strategy, n *node, bad badFunc) error {
	id := n.Attr["id"]
	if id == "" || len(n.Kids) == 0 {
		return bad(n, "transformation without id or body")
	}
	t := n.Kids[0]
	num := func(k string, def float64) (float64, error) {
		v, ok := t.Attr[k]
		if !ok {
			return def, nil
		}
		return strconv.ParseFloat(strings.TrimSpace(v), 64)
	}
	vals := map[string]float64{}
	for _, k := range []string{"T", "W", "M", "A", "B", "C"} {
		v, err := num(k, 0)
		if err != nil {
			return bad(t, "parameter %s is not a number", k)
		}
		vals[k] = v
	}
	switch t.Name {
	case "flin":
		s.Transforms[id] = flow.Linear{T: vals["T"], A: vals["A"]}
	case "flog":
		s.Transforms[id] = flow.Log{T: vals["T"], M: vals["M"]}
	case "fasinh":
		s.Transforms[id] = flow.Asinh{T: vals["T"], M: vals["M"], A: vals["A"]}
	case "logicle":
		l, err := flow.NewLogicle(vals["T"], vals["W"], vals["M"], vals["A"])
		if err != nil {
			return bad(t, "%v", err)
		}
		s.Transforms[id] = l
	case "hyperlog":
		h, err := flow.NewHyperlog(vals["T"], vals["W"], vals["M"], vals["A"])
		if err != nil {
			return bad(t, "%v", err)
		}
		s.Transforms[id] = h
	case "fratio":
		dims := t.Children("fcs-dimension")
		if len(dims) != 2 {
			return bad(t, "fratio needs two fcs-dimension elements")
		}
		s.Ratios[id] = flow.Ratio{A: vals["A"], B: vals["B"], C: vals["C"], X: dims[0].Attr["name"], Y: dims[1].Attr["name"]}
	default:
		return bad(t, "transformation %q is not supported", t.Name)
	}
	return nil
}

// readSpectrum reads one spectrumMatrix element into s.
func readSpectrum(s *flow.Strategy, n *node, bad badFunc) error {
	id := n.Attr["id"]
	sp := &flow.Spillover{Source: "Gating-ML " + id}
	if f := n.Child("fluorochromes"); f != nil {
		for _, d := range f.Children("fcs-dimension") {
			sp.Fluorochromes = append(sp.Fluorochromes, d.Attr["name"])
		}
	}
	if f := n.Child("detectors"); f != nil {
		for _, d := range f.Children("fcs-dimension") {
			sp.Detectors = append(sp.Detectors, d.Attr["name"])
		}
	}
	for _, row := range n.Children("spectrum") {
		var r []float64
		for _, c := range row.Children("coefficient") {
			v, err := strconv.ParseFloat(strings.TrimSpace(c.Attr["value"]), 64)
			if err != nil {
				return bad(c, "coefficient %q is not a number", c.Attr["value"])
			}
			r = append(r, v)
		}
		sp.M = append(sp.M, r)
	}
	if len(sp.M) != len(sp.Fluorochromes) || len(sp.Detectors) < len(sp.Fluorochromes) {
		return bad(n, "spectrum matrix %s: %d fluorochromes, %d detectors, %d spectra", id, len(sp.Fluorochromes), len(sp.Detectors), len(sp.M))
	}
	s.Matrices[id] = sp
	return nil
}

func parseDim(n *node) (flow.Dim, error) {
	d := flow.Dim{Comp: n.Attr["compensation-ref"], Transform: n.Attr["transformation-ref"]}
	if d.Comp == "" {
		d.Comp = "uncompensated"
	}
	if f := n.Child("fcs-dimension"); f != nil {
		d.Name = f.Attr["name"]
	} else if nd := n.Child("new-dimension"); nd != nil {
		d.Ratio = nd.Attr["transformation-ref"]
	} else {
		return d, fmt.Errorf("dimension without fcs-dimension or new-dimension")
	}
	if v, ok := n.Attr["min"]; ok {
		x, err := xmltree.Float(v)
		if err != nil {
			return d, fmt.Errorf("min %q is not a number", v)
		}
		d.Min, d.HasMin = x, true
	}
	if v, ok := n.Attr["max"]; ok {
		x, err := xmltree.Float(v)
		if err != nil {
			return d, fmt.Errorf("max %q is not a number", v)
		}
		d.Max, d.HasMax = x, true
	}
	return d, nil
}

func coords(n *node, child string) ([]float64, error) {
	var out []float64
	for _, c := range n.Children(child) {
		v, err := xmltree.Float(c.Attr["value"])
		if err != nil {
			return nil, fmt.Errorf("%s value %q is not a number", child, c.Attr["value"])
		}
		out = append(out, v)
	}
	return out, nil
}

func parseGate(n *node, bad func(*node, string, ...any) error) (*flow.Gate, error) {
	g := &flow.Gate{ID: n.Attr["id"], Parent: n.Attr["parent_id"]}
	if g.ID == "" {
		return nil, bad(n, "gate without an id")
	}
	if ci := n.Child("custom_info"); ci != nil {
		// the population name lsc writes where the id had to change (see idMap)
		if nm := ci.Child("lsc-name"); nm != nil {
			g.Name = strings.TrimSpace(nm.Text)
		}
	}
	for _, dn := range n.Children("dimension") {
		d, err := parseDim(dn)
		if err != nil {
			return nil, bad(dn, "gate %s: %v", g.ID, err)
		}
		g.Dims = append(g.Dims, d)
	}
	switch n.Name {
	case "RectangleGate":
		g.Kind = "rectangle"
		if len(g.Dims) == 0 {
			return nil, bad(n, "rectangle gate %s has no dimension", g.ID)
		}
	case "PolygonGate":
		g.Kind = "polygon"
		for _, v := range n.Children("vertex") {
			c, err := coords(v, "coordinate")
			if err != nil || len(c) != 2 {
				return nil, bad(v, "polygon %s: a vertex needs two coordinates", g.ID)
			}
			g.Vertices = append(g.Vertices, c)
		}
		if len(g.Vertices) < 3 || len(g.Dims) != 2 {
			return nil, bad(n, "polygon %s needs 2 dimensions and at least 3 vertices", g.ID)
		}
	case "EllipsoidGate":
		g.Kind = "ellipsoid"
		if err := ellipsoid(g, n, bad); err != nil {
			return nil, err
		}
	case "QuadrantGate":
		g.Kind = "quadrant"
		if err := quadrants(g, n, bad); err != nil {
			return nil, err
		}
	case "BooleanGate":
		g.Kind = "boolean"
		for _, op := range []string{"and", "or", "not"} {
			if o := n.Child(op); o != nil {
				g.Op = op
				for _, r := range o.Children("gateReference") {
					g.Refs = append(g.Refs, flow.Ref{ID: r.Attr["ref"], Complement: r.Attr["use-as-complement"] == "true"})
				}
			}
		}
		if g.Op == "" {
			return nil, bad(n, "boolean gate %s needs and, or or not", g.ID)
		}
	}
	return g, nil
}

// ellipsoid reads an EllipsoidGate's mean, covariance and distance.
func ellipsoid(g *flow.Gate, n *node, bad badFunc) error {
	m := n.Child("mean")
	cv := n.Child("covarianceMatrix")
	ds := n.Child("distanceSquare")
	if m == nil || cv == nil || ds == nil {
		return bad(n, "ellipsoid %s needs mean, covarianceMatrix and distanceSquare", g.ID)
	}
	var err error
	if g.Mean, err = coords(m, "coordinate"); err != nil {
		return bad(m, "%v", err)
	}
	for _, row := range cv.Children("row") {
		r, err := coords(row, "entry")
		if err != nil {
			return bad(row, "%v", err)
		}
		g.Covariance = append(g.Covariance, r)
	}
	if g.Distance2, err = xmltree.Float(ds.Attr["value"]); err != nil {
		return bad(ds, "distanceSquare %q is not a number", ds.Attr["value"])
	}
	k := len(g.Dims)
	if len(g.Mean) != k || len(g.Covariance) != k {
		return bad(n, "ellipsoid %s: %d dimensions but mean %d and covariance %d rows", g.ID, k, len(g.Mean), len(g.Covariance))
	}
	for _, r := range g.Covariance {
		if len(r) != k {
			return bad(n, "ellipsoid %s: covariance rows need %d entries", g.ID, k)
		}
	}
	return nil
}

// quadrants reads a QuadrantGate's dividers and quadrants.
func quadrants(g *flow.Gate, n *node, bad badFunc) error {
	for _, dn := range n.Children("divider") {
		d, err := parseDim(dn)
		if err != nil {
			return bad(dn, "quadrant %s: %v", g.ID, err)
		}
		dv := flow.Divider{ID: dn.Attr["id"], Dim: d}
		for _, v := range dn.Children("value") {
			x, err := xmltree.Float(v.Text)
			if err != nil {
				return bad(v, "divider value %q is not a number", strings.TrimSpace(v.Text))
			}
			dv.Values = append(dv.Values, x)
		}
		g.Dividers = append(g.Dividers, dv)
	}
	for _, qn := range n.Children("Quadrant") {
		q := flow.Quadrant{ID: qn.Attr["id"], Positions: map[string]float64{}}
		for _, p := range qn.Children("position") {
			x, err := xmltree.Float(p.Attr["location"])
			if err != nil {
				return bad(p, "location %q is not a number", p.Attr["location"])
			}
			q.Positions[p.Attr["divider_ref"]] = x
		}
		g.Quadrants = append(g.Quadrants, q)
	}
	if len(g.Dividers) == 0 || len(g.Quadrants) == 0 {
		return bad(n, "quadrant gate %s needs dividers and quadrants", g.ID)
	}
	return nil
}

// flatten lists the definitions under the root, looking inside wrapper
// elements that Gating-ML does not define (some writers nest gates in a
// <sample> element).
func flatten(top *node) []*node {
	var out []*node
	var walk func(n *node, depth int)
	walk = func(n *node, depth int) {
		for _, k := range n.Kids {
			switch k.Name {
			case "transformation", "spectrumMatrix", "RectangleGate", "PolygonGate", "EllipsoidGate", "QuadrantGate", "BooleanGate":
				out = append(out, k)
			case "custom_info":
			default:
				if depth < 8 {
					walk(k, depth+1)
				}
			}
		}
	}
	walk(top, 0)
	return out
}
