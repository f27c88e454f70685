package gatingml

import (
	"fmt"
	"html"
	"io"
	"sort"
	"strconv"
	"strings"

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
	for _, g := range s.Gates {
		if err := writeGate(&b, g); err != nil {
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
	a := fmt.Sprintf(" gating:compensation-ref=\"%s\"", q(d.Comp))
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

// writeGate writes one gate.
func writeGate(b *strings.Builder, g *flow.Gate) error {
	attrs := fmt.Sprintf(" gating:id=\"%s\"", q(g.ID))
	if g.Parent != "" {
		attrs += fmt.Sprintf(" gating:parent_id=\"%s\"", q(g.Parent))
	}
	switch g.Kind {
	case "rectangle":
		fmt.Fprintf(b, "  <gating:RectangleGate%s>\n", attrs)
		for _, d := range g.Dims {
			b.WriteString(dim("dimension", d, "") + "</gating:dimension>\n")
		}
		b.WriteString("  </gating:RectangleGate>\n")
	case "polygon":
		fmt.Fprintf(b, "  <gating:PolygonGate%s>\n", attrs)
		for _, d := range g.Dims {
			b.WriteString(dim("dimension", d, "") + "</gating:dimension>\n")
		}
		for _, v := range g.Vertices {
			fmt.Fprintf(b, "    <gating:vertex><gating:coordinate data-type:value=\"%s\"/><gating:coordinate data-type:value=\"%s\"/></gating:vertex>\n", f(v[0]), f(v[1]))
		}
		b.WriteString("  </gating:PolygonGate>\n")
	case "ellipsoid":
		fmt.Fprintf(b, "  <gating:EllipsoidGate%s>\n", attrs)
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
		fmt.Fprintf(b, "  <gating:QuadrantGate%s>\n", attrs)
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
		fmt.Fprintf(b, "  <gating:BooleanGate%s>\n    <gating:%s>", attrs, g.Op)
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
