package plot

import (
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// PNG draws an SVG made by this package as a PNG, scale pixels per SVG
// unit (2 for print). Only what the package writes is understood: svg, g
// with translate, rect, line, polyline, polygon, path (M L H V Z), circle
// and text (anchor, weight, italic, a white halo, translate and
// rotate(-90)); colours as #rgb, #rrggbb or a few names, with
// fill-opacity and stroke-dasharray. Paths are filled and stroked with
// golang.org/x/image/vector (anti-aliased), text set in the Go fonts.
func PNG(w io.Writer, svg string, scale float64) error {
	img, err := Raster(svg, scale)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed} // flat colours compress well even so
	return enc.Encode(w, img)
}

// Raster draws an SVG made by this package into an RGBA image (see PNG).
func Raster(svg string, scale float64) (*image.RGBA, error) {
	if !(scale > 0 && scale <= 8) {
		return nil, fmt.Errorf("plot: raster scale %g: give a number in (0, 8]", scale)
	}
	dec := xml.NewDecoder(strings.NewReader(svg))
	r := &raster{s: scale, faces: map[faceKey]font.Face{}}
	type frame struct{ tx, ty float64 }
	stack := []frame{{}}
	var text *xml.StartElement
	var words strings.Builder
	depthTitle := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("plot: raster: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			top := stack[len(stack)-1]
			a := attrs(t)
			if a["visibility"] == "hidden" || a["display"] == "none" {
				if err := dec.Skip(); err != nil { // hidden (e.g. hover tips): not drawn
					return nil, fmt.Errorf("plot: raster: %w", err)
				}
				continue
			}
			if t.Name.Local == "g" {
				tx, ty, _ := translate(a["transform"])
				top.tx, top.ty = top.tx+tx, top.ty+ty
			}
			stack = append(stack, top)
			r.tx, r.ty = top.tx, top.ty
			switch t.Name.Local {
			case "svg":
				if r.img != nil {
					return nil, fmt.Errorf("plot: raster: nested svg")
				}
				w, h := svgNum(a["width"]), svgNum(a["height"])
				if !(w > 0 && h > 0 && w*h*scale*scale < 1<<26) {
					return nil, fmt.Errorf("plot: raster: svg size %q x %q", a["width"], a["height"])
				}
				r.img = image.NewRGBA(image.Rect(0, 0, int(math.Ceil(w*scale)), int(math.Ceil(h*scale))))
				draw.Draw(r.img, r.img.Bounds(), image.White, image.Point{}, draw.Src)
			case "title":
				depthTitle++
			case "text":
				c := t.Copy()
				text = &c
				words.Reset()
			default:
				if r.img == nil {
					return nil, fmt.Errorf("plot: raster: %s before svg", t.Name.Local)
				}
				if err := r.shape(t.Name.Local, a); err != nil {
					return nil, err
				}
			}
		case xml.CharData:
			if text != nil && depthTitle == 0 {
				words.Write(t)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			switch t.Name.Local {
			case "title":
				depthTitle--
			case "text":
				if text != nil && r.img != nil {
					if err := r.text(attrs(*text), strings.TrimSpace(words.String())); err != nil {
						return nil, err
					}
				}
				text = nil
			}
		}
	}
	if r.img == nil {
		return nil, fmt.Errorf("plot: raster: no svg element")
	}
	return r.img, nil
}

type pt struct{ x, y float64 }

type faceKey struct {
	size         float64
	bold, italic bool
}

type raster struct {
	img    *image.RGBA
	s      float64 // pixels per unit
	tx, ty float64 // translation of the current element, in units
	faces  map[faceKey]font.Face
}

func attrs(t xml.StartElement) map[string]string {
	m := make(map[string]string, len(t.Attr))
	for _, a := range t.Attr {
		m[a.Name.Local] = a.Value
	}
	return m
}

func svgNum(s string) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, "px")), 64)
	if err != nil {
		return 0
	}
	return v
}

// translate reads "translate(x y)" (or "translate(x, y)") and says whether
// a rotate(-90) follows.
func translate(s string) (x, y float64, rot bool) {
	if i := strings.Index(s, "translate("); i >= 0 {
		rest := s[i+len("translate("):]
		if j := strings.Index(rest, ")"); j >= 0 {
			f := strings.Fields(strings.ReplaceAll(rest[:j], ",", " "))
			if len(f) >= 1 {
				x = svgNum(f[0])
			}
			if len(f) >= 2 {
				y = svgNum(f[1])
			}
		}
	}
	return x, y, strings.Contains(s, "rotate(-90)")
}

var named = map[string]color.NRGBA{"white": {255, 255, 255, 255}, "black": {0, 0, 0, 255}, "red": {255, 0, 0, 255}, "gray": {128, 128, 128, 255}, "grey": {128, 128, 128, 255}}

// paint parses a colour; ok is false for none, empty or unknown colours.
func paint(s string, opacity string) (color.NRGBA, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	c, ok := named[s]
	if !ok && strings.HasPrefix(s, "#") {
		h := s[1:]
		if len(h) == 3 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		if v, err := strconv.ParseUint(h, 16, 32); err == nil && len(h) == 6 {
			c, ok = color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, true
		}
	}
	if ok && opacity != "" {
		c.A = uint8(math.Round(255 * math.Max(0, math.Min(1, svgNum(opacity)))))
	}
	return c, ok
}

func points(s string) []pt {
	f := strings.Fields(strings.ReplaceAll(s, ",", " "))
	var out []pt
	for i := 0; i+1 < len(f); i += 2 {
		out = append(out, pt{svgNum(f[i]), svgNum(f[i+1])})
	}
	return out
}

// pathPoints reads the path commands the package writes: absolute M, L,
// H, V and Z. Each subpath is returned with whether it is closed.
func pathPoints(d string) (subs [][]pt, closed []bool) {
	var cur []pt
	var at pt
	var cmd byte
	f := strings.Fields(strings.NewReplacer("M", " M ", "L", " L ", "H", " H ", "V", " V ", "Z", " Z ", "z", " Z ", ",", " ").Replace(d))
	flush := func(c bool) {
		if len(cur) > 0 {
			subs, closed = append(subs, cur), append(closed, c)
		}
		cur = nil
	}
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case "M", "L", "H", "V":
			cmd = f[i][0]
			continue
		case "Z":
			flush(true)
			continue
		}
		switch cmd {
		case 'M':
			if i+1 >= len(f) {
				return
			}
			flush(false)
			at = pt{svgNum(f[i]), svgNum(f[i+1])}
			i++
			cmd = 'L'
		case 'L':
			if i+1 >= len(f) {
				return
			}
			at = pt{svgNum(f[i]), svgNum(f[i+1])}
			i++
		case 'H':
			at.x = svgNum(f[i])
		case 'V':
			at.y = svgNum(f[i])
		default:
			continue
		}
		cur = append(cur, at)
	}
	flush(false)
	return subs, closed
}

func circle(cx, cy, r float64, n int, reverse bool) []pt {
	out := make([]pt, n)
	for i := range out {
		a := 2 * math.Pi * float64(i) / float64(n)
		if reverse {
			a = -a
		}
		out[i] = pt{cx + r*math.Cos(a), cy + r*math.Sin(a)}
	}
	return out
}

func (r *raster) shape(name string, a map[string]string) error {
	fill, hasFill := paint(a["fill"], a["fill-opacity"])
	stroke, hasStroke := paint(a["stroke"], a["stroke-opacity"])
	if _, set := a["fill"]; !set && name != "line" && name != "polyline" {
		fill, hasFill = color.NRGBA{0, 0, 0, 255}, true // SVG's default fill
	}
	width := 1.0
	if v, ok := a["stroke-width"]; ok {
		width = svgNum(v)
	}
	var dashes []float64
	for _, f := range strings.Fields(strings.ReplaceAll(a["stroke-dasharray"], ",", " ")) {
		dashes = append(dashes, svgNum(f))
	}
	var rings [][]pt
	var closed []bool
	switch name {
	case "rect":
		x, y, w, h := svgNum(a["x"]), svgNum(a["y"]), svgNum(a["width"]), svgNum(a["height"])
		rings, closed = [][]pt{{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}}, []bool{true}
	case "line":
		rings, closed = [][]pt{{{svgNum(a["x1"]), svgNum(a["y1"])}, {svgNum(a["x2"]), svgNum(a["y2"])}}}, []bool{false}
		hasFill = false
	case "polyline", "polygon":
		rings, closed = [][]pt{points(a["points"])}, []bool{name == "polygon"}
		if name == "polyline" {
			hasFill = hasFill && a["fill"] != ""
		}
	case "path":
		rings, closed = pathPoints(a["d"])
	case "circle":
		cx, cy, rad := svgNum(a["cx"]), svgNum(a["cy"]), svgNum(a["r"])
		if hasFill {
			r.fill([][]pt{circle(cx, cy, rad, 48, false)}, fill)
		}
		if hasStroke && width > 0 {
			r.fill([][]pt{circle(cx, cy, rad+width/2, 48, false), circle(cx, cy, math.Max(rad-width/2, 0), 48, true)}, stroke)
		}
		return nil
	default:
		return nil // title, desc, defs ...: nothing drawn
	}
	if hasFill {
		var fillable [][]pt
		for _, ring := range rings {
			if len(ring) >= 3 {
				fillable = append(fillable, ring)
			}
		}
		r.fill(fillable, fill)
	}
	if hasStroke && width > 0 {
		var quads [][]pt
		for i, ring := range rings {
			seq := ring
			if closed[i] && len(ring) > 2 {
				seq = append(append([]pt{}, ring...), ring[0])
			}
			quads = append(quads, strokeQuads(dashed(seq, dashes), width)...)
		}
		r.fill(quads, stroke)
	}
	return nil
}

// dashed cuts a polyline into its drawn pieces (SVG stroke-dasharray).
func dashed(seq []pt, dashes []float64) [][]pt {
	total := 0.0
	for _, d := range dashes {
		total += d
	}
	if len(dashes) == 0 || !(total > 0) {
		return [][]pt{seq}
	}
	if len(dashes)%2 == 1 {
		dashes = append(dashes, dashes...)
	}
	var out [][]pt
	k, left, on := 0, dashes[0], true
	var cur []pt
	for i := 0; i+1 < len(seq); i++ {
		a, b := seq[i], seq[i+1]
		seg := math.Hypot(b.x-a.x, b.y-a.y)
		pos := 0.0
		for pos < seg {
			step := math.Min(left, seg-pos)
			p0 := pt{a.x + (b.x-a.x)*pos/seg, a.y + (b.y-a.y)*pos/seg}
			p1 := pt{a.x + (b.x-a.x)*(pos+step)/seg, a.y + (b.y-a.y)*(pos+step)/seg}
			if on {
				if len(cur) == 0 {
					cur = append(cur, p0)
				}
				cur = append(cur, p1)
			}
			pos += step
			left -= step
			if left <= 1e-9 {
				if on && len(cur) > 1 {
					out = append(out, cur)
				}
				cur = nil
				k = (k + 1) % len(dashes)
				left, on = dashes[k], !on
			}
		}
	}
	if on && len(cur) > 1 {
		out = append(out, cur)
	}
	return out
}

// strokeQuads turns polylines into rectangles along each segment plus a
// disc at each inner vertex (round joins), all wound the same way so that
// overlaps do not cancel.
func strokeQuads(lines [][]pt, width float64) [][]pt {
	var out [][]pt
	h := width / 2
	for _, l := range lines {
		for i := 0; i+1 < len(l); i++ {
			a, b := l[i], l[i+1]
			dx, dy := b.x-a.x, b.y-a.y
			n := math.Hypot(dx, dy)
			if n == 0 {
				continue
			}
			nx, ny := -dy/n*h, dx/n*h
			out = append(out, []pt{{a.x + nx, a.y + ny}, {b.x + nx, b.y + ny}, {b.x - nx, b.y - ny}, {a.x - nx, a.y - ny}})
			if i > 0 {
				out = append(out, circle(a.x, a.y, h, 12, true))
			}
		}
	}
	return out
}

// fill draws polygons (in units, translated) with one colour, rasterized
// within their bounding box only.
func (r *raster) fill(polys [][]pt, c color.NRGBA) {
	if len(polys) == 0 || c.A == 0 {
		return
	}
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range polys {
		for _, q := range p {
			x, y := (q.x+r.tx)*r.s, (q.y+r.ty)*r.s
			x0, y0, x1, y1 = math.Min(x0, x), math.Min(y0, y), math.Max(x1, x), math.Max(y1, y)
		}
	}
	box := image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1))+1, int(math.Ceil(y1))+1).Intersect(r.img.Bounds())
	if box.Empty() {
		return
	}
	z := vector.NewRasterizer(box.Dx(), box.Dy())
	z.DrawOp = draw.Over
	for _, p := range polys {
		if len(p) < 3 {
			continue
		}
		for i, q := range p {
			x, y := float32((q.x+r.tx)*r.s-float64(box.Min.X)), float32((q.y+r.ty)*r.s-float64(box.Min.Y))
			if i == 0 {
				z.MoveTo(x, y)
			} else {
				z.LineTo(x, y)
			}
		}
		z.ClosePath()
	}
	z.Draw(r.img, box, image.NewUniform(c), image.Point{})
}

func (r *raster) face(size float64, bold, italic bool) font.Face {
	k := faceKey{size * r.s, bold, italic}
	if f, ok := r.faces[k]; ok {
		return f
	}
	src := goregular.TTF
	if bold {
		src = gobold.TTF
	} else if italic {
		src = goitalic.TTF
	}
	ft, err := opentype.Parse(src)
	var f font.Face
	if err == nil {
		f, err = opentype.NewFace(ft, &opentype.FaceOptions{Size: k.size, DPI: 72, Hinting: font.HintingNone})
	}
	if err != nil {
		panic("plot: embedded Go font: " + err.Error()) // the fonts are compiled in: cannot fail
	}
	r.faces[k] = f
	return f
}

// text sets one text element; rotate(-90) turns it to read bottom-up.
func (r *raster) text(a map[string]string, s string) error {
	if s == "" {
		return nil
	}
	size := 16.0
	if v, ok := a["font-size"]; ok {
		size = svgNum(v)
	}
	col, ok := paint(a["fill"], a["fill-opacity"])
	if _, set := a["fill"]; !set {
		col, ok = color.NRGBA{0, 0, 0, 255}, true
	}
	if !ok {
		return nil
	}
	face := r.face(size, a["font-weight"] == "bold", a["font-style"] == "italic")
	w := float64(font.MeasureString(face, s)) / 64 // pixels
	m := face.Metrics()
	asc, desc := float64(m.Ascent.Ceil()), float64(m.Descent.Ceil())
	// Lay the text out on its own image, baseline at asc, then place it.
	off := 0.0
	switch a["text-anchor"] {
	case "middle":
		off = -w / 2
	case "end":
		off = -w
	}
	halo := 0
	if a["paint-order"] == "stroke" && a["stroke"] != "" {
		halo = int(math.Ceil(svgNum(a["stroke-width"]) / 2 * r.s))
	}
	tw, th := int(math.Ceil(w))+2+2*halo, int(asc+desc)+2+2*halo
	tmp := image.NewRGBA(image.Rect(0, 0, tw, th))
	if halo > 0 {
		hc, _ := paint(a["stroke"], "")
		for dx := -halo; dx <= halo; dx++ {
			for dy := -halo; dy <= halo; dy++ {
				if dx*dx+dy*dy <= halo*halo {
					d := font.Drawer{Dst: tmp, Src: image.NewUniform(hc), Face: face, Dot: fixed.P(1+halo+dx, int(asc)+1+halo+dy)}
					d.DrawString(s)
				}
			}
		}
	}
	d := font.Drawer{Dst: tmp, Src: image.NewUniform(col), Face: face, Dot: fixed.P(1+halo, int(asc)+1+halo)}
	d.DrawString(s)
	tx, ty, rot := translate(a["transform"])
	x0 := (r.tx+tx+svgNum(a["x"]))*r.s + off - 1 - float64(halo)
	y0 := (r.ty+ty+svgNum(a["y"]))*r.s - asc - 1 - float64(halo)
	if !rot {
		draw.Draw(r.img, image.Rect(int(math.Round(x0)), int(math.Round(y0)), int(math.Round(x0))+tw, int(math.Round(y0))+th), tmp, image.Point{}, draw.Over)
		return nil
	}
	// rotate(-90) about the anchor (ax, ay): text point (u, v) -> (ax+v, ay-u).
	ax, ay := (r.tx+tx)*r.s, (r.ty+ty)*r.s
	u0, v0 := off-1-float64(halo), -asc-1-float64(halo)
	rot90 := image.NewRGBA(image.Rect(0, 0, th, tw))
	for j := 0; j < th; j++ {
		for i := 0; i < tw; i++ {
			rot90.SetRGBA(j, tw-1-i, tmp.RGBAAt(i, j))
		}
	}
	px, py := int(math.Round(ax+v0)), int(math.Round(ay-u0-float64(tw)+1))
	draw.Draw(r.img, image.Rect(px, py, px+th, py+tw), rot90, image.Point{}, draw.Over)
	return nil
}
