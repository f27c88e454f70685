package gatingml

import (
	"fmt"
	"html"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/lsc-bio/lsc/flow"
)

// Write writes a strategy as Gating-ML 2.0.
func Write(w io.Writer, s *flow.Strategy) error {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<gating:Gating-ML xmlns:gating="http://www.isac-net.org/std/Gating-ML/v2.0/gating" xmlns:transforms="http://www.isac-net.org/std/Gating-ML/v2.0/transformations" xmlns:data-type="http://www.isac-net.org/std/Gating-ML/v2.0/datatypes">
`)
	writeMatrices(&b, s)
	if err := writeTransforms(&b, s); err != nil {
		return err
	}
	ids := newIDMap(s)
	for _, g := range s.Gates {
		if err := writeGate(&b, ids.gate(g)); err != nil {
			return err
		}
	}
	b.WriteString("</gating:Gating-ML>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func q(s string) string  { return html.EscapeString(s) }
func f(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// writeMatrices writes the spectrum matrices.
func writeMatrices(b *strings.Builder, s *flow.Strategy) {
	for _, id := range sortedKeys(s.Matrices) {
		m := s.Matrices[id]
		fmt.Fprintf(b, "  <transforms:spectrumMatrix transforms:id=\"%s\">\n    <transforms:fluorochromes>\n", q(id))
		for _, n := range m.Fluorochromes {
			fmt.Fprintf(b, "      <data-type:fcs-dimension data-type:name=\"%s\"/>\n", q(n))
		}
		b.WriteString("    </transforms:fluorochromes>\n    <transforms:detectors>\n")
		for _, n := range m.Detectors {
			fmt.Fprintf(b, "      <data-type:fcs-dimension data-type:name=\"%s\"/>\n", q(n))
		}
		b.WriteString("    </transforms:detectors>\n")
		for _, row := range m.M {
			b.WriteString("    <transforms:spectrum>")
			for _, v := range row {
				fmt.Fprintf(b, "<transforms:coefficient transforms:value=\"%s\"/>", f(v))
			}
			b.WriteString("</transforms:spectrum>\n")
		}
		b.WriteString("  </transforms:spectrumMatrix>\n")
	}
}

// writeTransforms writes the transformations and ratios.
func writeTransforms(b *strings.Builder, s *flow.Strategy) error {
	for _, id := range sortedKeys(s.Transforms) {
		fmt.Fprintf(b, "  <transforms:transformation transforms:id=\"%s\">\n    ", q(id))
		switch t := s.Transforms[id].(type) {
		case flow.Linear:
			fmt.Fprintf(b, "<transforms:flin transforms:T=\"%s\" transforms:A=\"%s\"/>", f(t.T), f(t.A))
		case flow.Log:
			fmt.Fprintf(b, "<transforms:flog transforms:T=\"%s\" transforms:M=\"%s\"/>", f(t.T), f(t.M))
		case flow.Asinh:
			fmt.Fprintf(b, "<transforms:fasinh transforms:T=\"%s\" transforms:M=\"%s\" transforms:A=\"%s\"/>", f(t.T), f(t.M), f(t.A))
		case *flow.Logicle:
			fmt.Fprintf(b, "<transforms:logicle transforms:T=\"%s\" transforms:W=\"%s\" transforms:M=\"%s\" transforms:A=\"%s\"/>", f(t.T), f(t.W), f(t.M), f(t.A))
		case *flow.Hyperlog:
			fmt.Fprintf(b, "<transforms:hyperlog transforms:T=\"%s\" transforms:W=\"%s\" transforms:M=\"%s\" transforms:A=\"%s\"/>", f(t.T), f(t.W), f(t.M), f(t.A))
		default:
			return fmt.Errorf("gatingml: transform %s cannot be written", id)
		}
		b.WriteString("\n  </transforms:transformation>\n")
	}
	for _, id := range sortedKeys(s.Ratios) {
		r := s.Ratios[id]
		fmt.Fprintf(b, "  <transforms:transformation transforms:id=\"%s\">\n    <transforms:fratio transforms:A=\"%s\" transforms:B=\"%s\" transforms:C=\"%s\">"+
			"<data-type:fcs-dimension data-type:name=\"%s\"/><data-type:fcs-dimension data-type:name=\"%s\"/></transforms:fratio>\n  </transforms:transformation>\n",
			q(id), f(r.A), f(r.B), f(r.C), q(r.X), q(r.Y))
	}
	return nil
}

// dim writes a dimension (or divider) start tag and its channel.
func dim(tag string, d flow.Dim, extra string) string {
	comp := d.Comp
	if comp == "" { // the reader's default; the schema wants a non-empty value
		comp = "uncompensated"
	}
	a := fmt.Sprintf(" gating:compensation-ref=\"%s\"", q(comp))
	if d.Transform != "" {
		a += fmt.Sprintf(" gating:transformation-ref=\"%s\"", q(d.Transform))
	}
	if d.HasMin {
		a += fmt.Sprintf(" gating:min=\"%s\"", f(d.Min))
	}
	if d.HasMax {
		a += fmt.Sprintf(" gating:max=\"%s\"", f(d.Max))
	}
	a += extra
	inner := fmt.Sprintf("<data-type:fcs-dimension data-type:name=\"%s\"/>", q(d.Name))
	if d.Ratio != "" {
		inner = fmt.Sprintf("<data-type:new-dimension data-type:transformation-ref=\"%s\"/>", q(d.Ratio))
	}
	return fmt.Sprintf("    <gating:%s%s>%s", tag, a, inner)
}

// idMap gives every gate id of a strategy a valid xs:ID (an XML NCName, as
// the Gating-ML 2.0 schema requires and FlowKit checks): lsc's compartment
// gates are named "CD34+" or "CD34+CD38-", FlowJo populations by their path
// with "/". A "+" becomes "_pos" ("CD34_posCD38-"), any other character an
// NCName cannot hold "_", a leading digit, "-" or "." gets a "_" before it,
// and a repeated result gets "_2", "_3"... The original id
// is kept in the gate's custom_info (<lsc-name>), which Read restores as the
// population's name, so paths read back unchanged.
type idMap map[string]string

func newIDMap(s *flow.Strategy) idMap {
	m := idMap{}
	used := map[string]bool{}
	for _, g := range s.Gates {
		for _, id := range gateIDs(g) {
			if _, done := m[id]; done {
				continue
			}
			base := ncname(id)
			v := base
			for k := 2; used[v]; k++ {
				v = fmt.Sprintf("%s_%d", base, k)
			}
			used[v] = true
			m[id] = v
		}
	}
	return m
}

func gateIDs(g *flow.Gate) []string {
	ids := []string{g.ID}
	for _, d := range g.Dividers {
		ids = append(ids, d.ID)
	}
	for _, qd := range g.Quadrants {
		ids = append(ids, qd.ID)
	}
	return ids
}

// ncname maps an id to a valid XML NCName (see idMap).
func ncname(id string) string {
	var b strings.Builder
	for i, r := range id {
		switch {
		case r == '+':
			b.WriteString("_pos")
		case r == '_' || unicode.IsLetter(r):
			b.WriteRune(r)
		case r == '-' || r == '.' || unicode.IsDigit(r):
			if i == 0 {
				b.WriteRune('_')
			}
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// id returns the written id of a gate, divider or quadrant id (a reference
// to an id the strategy does not define is written as it is).
func (m idMap) id(s string) string {
	if v, ok := m[s]; ok {
		return v
	}
	return s
}

// gate returns a copy of g with every id and reference in written form and
// the original id as its name where the two differ.
func (m idMap) gate(g *flow.Gate) *flow.Gate {
	c := *g
	c.ID, c.Parent = m.id(g.ID), m.id(g.Parent)
	if c.Name == "" && c.ID != g.ID {
		c.Name = g.ID
	}
	c.Refs = make([]flow.Ref, len(g.Refs))
	for i, r := range g.Refs {
		c.Refs[i] = flow.Ref{ID: m.id(r.ID), Complement: r.Complement}
	}
	c.Dividers = make([]flow.Divider, len(g.Dividers))
	for i, d := range g.Dividers {
		c.Dividers[i] = d
		c.Dividers[i].ID = m.id(d.ID)
	}
	c.Quadrants = make([]flow.Quadrant, len(g.Quadrants))
	for i, qd := range g.Quadrants {
		c.Quadrants[i] = qd
		c.Quadrants[i].ID = m.id(qd.ID)
		c.Quadrants[i].Positions = map[string]float64{}
		for k, v := range qd.Positions {
			c.Quadrants[i].Positions[m.id(k)] = v
		}
	}
	return &c
}

// writeGate writes one gate.
func writeGate(b *strings.Builder, g *flow.Gate) error {
	attrs := fmt.Sprintf(" gating:id=\"%s\"", q(g.ID))
	if g.Parent != "" {
		attrs += fmt.Sprintf(" gating:parent_id=\"%s\"", q(g.Parent))
	}
	open := func(tag string) {
		fmt.Fprintf(b, "  <gating:%s%s>\n", tag, attrs)
		if g.Name != "" && g.Name != g.ID {
			fmt.Fprintf(b, "    <data-type:custom_info><lsc-name>%s</lsc-name></data-type:custom_info>\n", q(g.Name))
		}
	}
	switch g.Kind {
	case "rectangle":
		open("RectangleGate")
		for _, d := range g.Dims {
			b.WriteString(dim("dimension", d, "") + "</gating:dimension>\n")
		}
		b.WriteString("  </gating:RectangleGate>\n")
	case "polygon":
		open("PolygonGate")
		for _, d := range g.Dims {
			b.WriteString(dim("dimension", d, "") + "</gating:dimension>\n")
		}
		for _, v := range g.Vertices {
			fmt.Fprintf(b, "    <gating:vertex><gating:coordinate data-type:value=\"%s\"/><gating:coordinate data-type:value=\"%s\"/></gating:vertex>\n", f(v[0]), f(v[1]))
		}
		b.WriteString("  </gating:PolygonGate>\n")
	case "ellipsoid":
		open("EllipsoidGate")
		for _, d := range g.Dims {
			b.WriteString(dim("dimension", d, "") + "</gating:dimension>\n")
		}
		b.WriteString("    <gating:mean>")
		for _, m := range g.Mean {
			fmt.Fprintf(b, "<gating:coordinate data-type:value=\"%s\"/>", f(m))
		}
		b.WriteString("</gating:mean>\n    <gating:covarianceMatrix>\n")
		for _, row := range g.Covariance {
			b.WriteString("      <gating:row>")
			for _, v := range row {
				fmt.Fprintf(b, "<gating:entry data-type:value=\"%s\"/>", f(v))
			}
			b.WriteString("</gating:row>\n")
		}
		fmt.Fprintf(b, "    </gating:covarianceMatrix>\n    <gating:distanceSquare data-type:value=\"%s\"/>\n  </gating:EllipsoidGate>\n", f(g.Distance2))
	case "quadrant":
		open("QuadrantGate")
		for _, dv := range g.Dividers {
			b.WriteString(dim("divider", dv.Dim, fmt.Sprintf(" gating:id=\"%s\"", q(dv.ID))))
			for _, v := range dv.Values {
				fmt.Fprintf(b, "<gating:value>%s</gating:value>", f(v))
			}
			b.WriteString("</gating:divider>\n")
		}
		for _, qd := range g.Quadrants {
			fmt.Fprintf(b, "    <gating:Quadrant gating:id=\"%s\">", q(qd.ID))
			for _, k := range sortedKeys(qd.Positions) {
				fmt.Fprintf(b, "<gating:position gating:divider_ref=\"%s\" gating:location=\"%s\"/>", q(k), f(qd.Positions[k]))
			}
			b.WriteString("</gating:Quadrant>\n")
		}
		b.WriteString("  </gating:QuadrantGate>\n")
	case "boolean":
		open("BooleanGate")
		fmt.Fprintf(b, "    <gating:%s>", g.Op)
		for _, r := range g.Refs {
			c := ""
			if r.Complement {
				c = " gating:use-as-complement=\"true\""
			}
			fmt.Fprintf(b, "<gating:gateReference gating:ref=\"%s\"%s/>", q(r.ID), c)
		}
		fmt.Fprintf(b, "</gating:%s>\n  </gating:BooleanGate>\n", g.Op)
	default:
		return fmt.Errorf("gatingml: gate %s of kind %q cannot be written", g.ID, g.Kind)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}
