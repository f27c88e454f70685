// Package plot draws figures as plain SVG: a canvas with a rectangular plot
// area, data-to-pixel mappings, axes with ticks and labels, reference lines
// and markers, and a colour-blind-safe palette. Figures hold no scripts and
// no external resources, so the same input gives the same bytes; the HTML
// reports (package report) and the web pages share it.
package plot

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Palette is a colour-blind-safe qualitative palette (Okabe & Ito 2008).
var Palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"}

// Canvas accumulates SVG elements for one figure with a rectangular plot
// area and x/y mappings.
type Canvas struct {
	W, H                     float64
	Left, Right, Top, Bottom float64 // margins
	XMin, XMax, YMin, YMax   float64
	LogY                     bool // y values are given in data units and drawn on log10
	NoGrid                   bool // no horizontal grid lines across the plot (e.g. under density plots)
	b                        strings.Builder
	scratch                  [32]byte // number formatting without allocating (px)
}

// NewCanvas returns a canvas with the given size and default margins.
func NewCanvas(w, h float64) *Canvas {
	return &Canvas{W: w, H: h, Left: 64, Right: 16, Top: 16, Bottom: 44}
}

// X maps a data x to pixels.
func (c *Canvas) X(x float64) float64 {
	if c.XMax == c.XMin {
		return c.Left
	}
	return c.Left + (x-c.XMin)/(c.XMax-c.XMin)*(c.W-c.Left-c.Right)
}

// Y maps a data y to pixels.
func (c *Canvas) Y(y float64) float64 {
	lo, hi := c.YMin, c.YMax
	if c.LogY {
		y, lo, hi = math.Log10(y), math.Log10(lo), math.Log10(hi)
	}
	if hi == lo {
		return c.H - c.Bottom
	}
	return c.H - c.Bottom - (y-lo)/(hi-lo)*(c.H-c.Top-c.Bottom)
}

// Raw appends SVG markup.
func (c *Canvas) Raw(format string, args ...any) { fmt.Fprintf(&c.b, format, args...) }

// put appends markup without a format (the per-point paths: a patient
// figure draws hundreds of points, and fmt was most of its cost).
func (c *Canvas) put(ss ...string) {
	for _, s := range ss {
		c.b.WriteString(s)
	}
}

// px appends Px(v).
func (c *Canvas) px(v float64) {
	c.b.Write(appendPx(c.scratch[:0], v))
}

// escaped appends Esc(s).
func (c *Canvas) escaped(s string) {
	c.b.WriteString(Esc(s))
}

// Line draws a polyline through the points (data units).
func (c *Canvas) Line(xs, ys []float64, colour string, width float64, dash string) {
	if len(xs) < 2 {
		return
	}
	var pts []string
	for i := range xs {
		pts = append(pts, Px(c.X(xs[i]))+","+Px(c.Y(ys[i])))
	}
	d := ""
	if dash != "" {
		d = ` stroke-dasharray="` + dash + `"`
	}
	c.Raw(`<polyline fill="none" stroke="%s" stroke-width="%s"%s points="%s"/>`+"\n", colour, Px(width), d, strings.Join(pts, " "))
}

// Marker draws a point marker: "circle", "open-circle", "down" (open
// triangle pointing down, for values below a detection limit), "plus".
func (c *Canvas) Marker(x, y float64, kind, colour, title string) {
	px, py := c.X(x), c.Y(y)
	t := ""
	if title != "" {
		t = "<title>" + Esc(title) + "</title>"
	}
	switch kind {
	case "circle", "": // the common case, written without fmt (same bytes as default)
		c.put(`<circle cx="`)
		c.px(px)
		c.put(`" cy="`)
		c.px(py)
		c.put(`" r="3.5" fill="`, colour, `">`, t, "</circle>\n")
	case "open-circle":
		c.Raw(`<circle cx="%s" cy="%s" r="3.5" fill="white" stroke="%s" stroke-width="1.5">%s</circle>`+"\n", Px(px), Px(py), colour, t)
	case "down":
		c.Raw(`<path d="M%s %sL%s %sL%s %sZ" fill="white" stroke="%s" stroke-width="1.5">%s</path>`+"\n",
			Px(px-4.5), Px(py-4), Px(px+4.5), Px(py-4), Px(px), Px(py+4), colour, t)
	case "plus":
		c.Raw(`<path d="M%s %sV%sM%s %sH%s" stroke="%s" stroke-width="1.3">%s</path>`+"\n", Px(px), Px(py-4), Px(py+4), Px(px-4), Px(py), Px(px+4), colour, t)
	default:
		c.Raw(`<circle cx="%s" cy="%s" r="3.5" fill="%s">%s</circle>`+"\n", Px(px), Px(py), colour, t)
	}
}

// HLine draws a horizontal reference line across the plot with a label at
// its right end.
func (c *Canvas) HLine(y float64, colour, dash, label string) {
	py := c.Y(y)
	c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-dasharray="%s"/>`+"\n", Px(c.Left), Px(c.W-c.Right), Px(py), Px(py), colour, dash)
	if label != "" {
		c.Raw(`<text x="%s" y="%s" font-size="10" text-anchor="end" fill="%s">%s</text>`+"\n", Px(c.W-c.Right-2), Px(py-3), colour, Esc(label))
	}
}

// VLine draws a vertical event line with a label at the top.
func (c *Canvas) VLine(x float64, colour, label string) {
	px := c.X(x)
	c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1"/>`+"\n", Px(px), Px(px), Px(c.Top), Px(c.H-c.Bottom), colour)
	if label != "" {
		c.Raw(`<text x="%s" y="%s" font-size="10" fill="%s">%s</text>`+"\n", Px(px+3), Px(c.Top+10), colour, Esc(label))
	}
}

// Axes draws the frame, ticks and labels. xTicks maps data x to labels.
func (c *Canvas) Axes(xTicks []Tick, yTicks []Tick, xLabel, yLabel string) {
	l, r, t, b := c.Left, c.W-c.Right, c.Top, c.H-c.Bottom
	c.Raw(`<path d="M%s %sV%sH%s" fill="none" stroke="#333"/>`+"\n", Px(l), Px(t), Px(b), Px(r))
	for _, tk := range xTicks {
		x := c.X(tk.V)
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#333"/><text x="%s" y="%s" font-size="11" text-anchor="middle">%s</text>`+"\n",
			Px(x), Px(x), Px(b), Px(b+4), Px(x), Px(b+16), Esc(tk.Label))
	}
	for _, tk := range yTicks {
		y := c.Y(tk.V)
		if c.NoGrid {
			c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#333"/><text x="%s" y="%s" font-size="11" text-anchor="end">%s</text>`+"\n",
				Px(l-4), Px(l), Px(y), Px(y), Px(l-6), Px(y+4), Esc(tk.Label))
			continue
		}
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#333"/><line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#eee"/><text x="%s" y="%s" font-size="11" text-anchor="end">%s</text>`+"\n",
			Px(l-4), Px(l), Px(y), Px(y), Px(l), Px(r), Px(y), Px(y), Px(l-6), Px(y+4), Esc(tk.Label))
	}
	if xLabel != "" {
		c.Raw(`<text x="%s" y="%s" font-size="12" text-anchor="middle">%s</text>`+"\n", Px((l+r)/2), Px(b+32), Esc(xLabel))
	}
	if yLabel != "" {
		c.Raw(`<text transform="translate(14 %s) rotate(-90)" font-size="12" text-anchor="middle">%s</text>`+"\n", Px((t+b)/2), Esc(yLabel))
	}
}

// SVG returns the figure.
func (c *Canvas) SVG() string {
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" font-family="Helvetica, Arial, sans-serif">`+"\n%s</svg>\n",
		Px(c.W), Px(c.H), Px(c.W), Px(c.H), c.b.String())
}

// Tick is an axis tick.
type Tick struct {
	V     float64
	Label string
}

// LogTicks returns ticks at the powers of ten within [lo, hi], labelled
// as plain numbers.
func LogTicks(lo, hi float64) []Tick {
	var t []Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		v := math.Pow(10, e)
		if v >= lo*(1-1e-9) && v <= hi*(1+1e-9) {
			t = append(t, Tick{v, strconv.FormatFloat(v, 'f', -1, 64)})
		}
	}
	return t
}

// NiceTicks returns about n round ticks over [lo, hi].
func NiceTicks(lo, hi float64, n int) []Tick {
	if hi <= lo || n < 1 {
		return []Tick{{lo, num(lo)}}
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	decimals := 0
	if step < 1 {
		decimals = int(math.Ceil(-math.Log10(step) - 1e-9))
		if step*math.Pow(10, float64(decimals)) != math.Round(step*math.Pow(10, float64(decimals))) {
			decimals++
		}
	}
	var t []Tick
	for i := math.Ceil(lo/step - 1e-9); i*step <= hi+step*1e-9; i++ {
		r := i * step
		label := strconv.FormatFloat(r, 'f', decimals, 64)
		if r == 0 {
			r, label = 0, strconv.FormatFloat(0, 'f', decimals, 64)
		}
		t = append(t, Tick{r, label})
	}
	return t
}

// DateTicks returns yearly ticks (or monthly for short spans) between two
// dates, for an x axis in days since epoch.
func DateTicks(from, to time.Time) []Tick {
	var t []Tick
	span := to.Sub(from).Hours() / 24
	if span > 3*365 {
		for y := from.Year(); y <= to.Year()+1; y++ {
			d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
			if !d.Before(from) && !d.After(to) {
				t = append(t, Tick{Days(d), strconv.Itoa(y)})
			}
		}
		return t
	}
	step := 1
	if span > 400 {
		step = 3
	}
	if span > 800 {
		step = 6
	}
	d := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	for ; !d.After(to); d = d.AddDate(0, step, 0) {
		if !d.Before(from) {
			t = append(t, Tick{Days(d), d.Format("2006-01")})
		}
	}
	return t
}

// Days returns a date as days since 1970-01-01, the x unit of time plots.
func Days(t time.Time) float64 { return float64(t.Unix()) / 86400 }

// num formats a tick label: shortest representation that round-trips.
func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Px formats a pixel coordinate with one decimal, the precision of every
// coordinate in lsc figures.
func Px(v float64) string { return string(appendPx(nil, v)) }

// appendPx appends Px(v) to b.
func appendPx(b []byte, v float64) []byte {
	return strconv.AppendFloat(b, math.Round(v*10)/10, 'f', -1, 64)
}

// CoverTicks returns round ticks from lo that reach at least hi.
func CoverTicks(lo, hi float64, n int) []Tick {
	t := NiceTicks(lo, hi, n)
	if len(t) >= 2 && t[len(t)-1].V < hi {
		step := t[1].V - t[0].V
		v := t[len(t)-1].V + step
		decimals := 0
		if dot := strings.IndexByte(t[0].Label, '.'); dot >= 0 {
			decimals = len(t[0].Label) - dot - 1
		}
		t = append(t, Tick{v, strconv.FormatFloat(v, 'f', decimals, 64)})
	}
	return t
}
