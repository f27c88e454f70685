package plot

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Lane is one panel of a patient timeline: one assay and unit, with its
// own y axis, sharing the x axis (days) with the other lanes.
type Lane struct {
	ID       string // stable id for toggles and tests (letters, digits, '-')
	Title    string // e.g. "BCR::ABL1 IS, peripheral blood"
	YLabel   string // axis title with unit, e.g. "BCR::ABL1 IS (%)"
	Log      bool   // log10 y axis
	Series   []LaneSeries
	RefLines []RefLine // e.g. MMR at 0.1 %
}

// LaneSeries is one line of points within a lane.
type LaneSeries struct {
	Name       string // legend entry
	Projection bool   // a model projection: dashed, with its band, labelled as such
	Points     []LanePoint
}

// LanePoint is one measurement. Lo/Hi are NaN without an interval.
// Below marks a value below the detection limit (drawn as an open
// triangle at the limit).
type LanePoint struct {
	X, Y, Lo, Hi float64
	Below        bool
	Title        string // hover/focus text: value, interval, sample, run, input file
	Href         string // a page the point opens (its sample's), or "" for none
}

// RefLine is a horizontal reference line with a label.
type RefLine struct {
	Y     float64
	Label string
}

// Span is a shaded interval of days, e.g. a line of therapy.
type Span struct {
	From, To float64
	Label    string
}

// Mark is an event on the time axis, e.g. relapse or CAR-T infusion.
type Mark struct {
	X     float64
	Label string
}

// TimelineOptions lay out a timeline figure.
type TimelineOptions struct {
	Width      float64 // default 960
	LaneHeight float64 // default 190
	XLabel     string  // e.g. "days from diagnosis"
}

// Timeline draws lanes stacked on one time axis, therapy spans shaded
// across all lanes, events as labelled vertical lines, each point with an
// interval whisker and a <title> for hover. Every point carries
// data-lane, data-series, data-x and data-y attributes (the values as
// given), so a browser test can read the plotted values back.
func Timeline(lanes []Lane, spans []Span, marks []Mark, o TimelineOptions) string {
	if o.Width == 0 {
		o.Width = 960
	}
	if o.LaneHeight == 0 {
		o.LaneHeight = 190
	}
	xmin, xmax := timeRange(lanes, spans, marks)
	header := 34 + 14*float64(labelRows(marks, xmin, xmax, o.Width))
	total := header + o.LaneHeight*float64(len(lanes)) + 16
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" font-family="Helvetica, Arial, sans-serif" role="img">`+"\n",
		Px(o.Width), Px(total), Px(o.Width), Px(total))
	left, right := 78.0, 170.0
	xpx := func(x float64) float64 { return left + (x-xmin)/(xmax-xmin)*(o.Width-left-right) }
	top, bottom := header, header+o.LaneHeight*float64(len(lanes))-44
	spanFill := []string{"#56B4E9", "#E69F00", "#009E73", "#CC79A7"}
	for i, s := range spans {
		x0, x1 := xpx(math.Max(s.From, xmin)), xpx(math.Min(s.To, xmax))
		col := spanFill[i%len(spanFill)]
		fmt.Fprintf(&b, `<rect class="span" x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="0.10"><title>%s</title></rect>`+"\n",
			Px(x0), Px(top), Px(math.Max(x1-x0, 1)), Px(bottom-top), col, Esc(s.Label))
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="4" fill="%s"/><text x="%s" y="%s" font-size="10" fill="#333">%s</text>`+"\n",
			Px(x0), Px(top-6), Px(math.Max(x1-x0, 1)), col, Px(x0+2), Px(top-9), Esc(trunc(s.Label, int(math.Max(3, (x1-x0)/5.6)))))
	}
	row := markRows(marks, xmin, xmax, o.Width, xpx)
	for i, m := range marks {
		x := xpx(m.X)
		fmt.Fprintf(&b, `<line class="mark" x1="%s" x2="%s" y1="%s" y2="%s" stroke="#555" stroke-dasharray="3 3"/>`+"\n", Px(x), Px(x), Px(14+14*float64(row[i])), Px(bottom))
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="11" text-anchor="middle" fill="#333">%s</text>`+"\n", Px(x), Px(11+14*float64(row[i])), Esc(m.Label))
	}
	for i, l := range lanes {
		c := &Canvas{W: o.Width, H: o.LaneHeight, Left: left, Right: right, Top: 24, Bottom: 44, LogY: l.Log}
		c.XMin, c.XMax = xmin, xmax
		c.YMin, c.YMax = laneRange(l)
		fmt.Fprintf(&b, `<g class="lane" id="lane-%s" transform="translate(0 %s)">`+"\n", Esc(l.ID), Px(header+o.LaneHeight*float64(i)))
		drawLane(c, l)
		b.WriteString(c.b.String())
		b.WriteString("</g>\n")
	}
	fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="12" text-anchor="middle">%s</text>`+"\n", Px((left+o.Width-right)/2), Px(total-6), Esc(o.XLabel))
	b.WriteString("</svg>\n")
	return b.String()
}

func drawLane(c *Canvas, l Lane) {
	var yt []Tick
	if l.Log {
		yt = LogTicks(c.YMin, c.YMax)
	} else {
		yt = NiceTicks(c.YMin, c.YMax, 4)
	}
	c.Axes(NiceTicks(c.XMin, c.XMax, 8), yt, "", l.YLabel)
	c.Raw(`<text x="%s" y="%s" font-size="12" font-weight="bold">%s</text>`+"\n", Px(c.Left), Px(c.Top-8), Esc(l.Title))
	refLines(c, l.RefLines)
	for k, s := range l.Series {
		col := Palette[k%len(Palette)]
		pts := append([]LanePoint(nil), s.Points...)
		sort.SliceStable(pts, func(i, j int) bool { return pts[i].X < pts[j].X })
		dash := ""
		if s.Projection {
			dash = "6 4"
			band(c, pts, col)
		}
		var xs, ys []float64
		for _, p := range pts {
			xs, ys = append(xs, p.X), append(ys, p.Y)
		}
		c.Line(xs, ys, col, 1.5, dash)
		if s.Projection {
			continue
		}
		for _, p := range pts {
			if !math.IsNaN(p.Lo) && !math.IsNaN(p.Hi) {
				x := c.X(p.X)
				c.put(`<line x1="`)
				c.px(x)
				c.put(`" x2="`)
				c.px(x)
				c.put(`" y1="`)
				c.px(c.Y(clamp(p.Lo, c.YMin, c.YMax)))
				c.put(`" y2="`)
				c.px(c.Y(clamp(p.Hi, c.YMin, c.YMax)))
				c.put(`" stroke="`, col, "\"/>\n")
			}
			kind := "circle"
			if p.Below {
				kind = "down"
			}
			// A point with a page is a link (focused and followed by
			// keyboard like any link); one without takes focus itself.
			if p.Href != "" {
				c.put(`<a href="`)
				c.escaped(p.Href)
				c.put(`" aria-label="`)
				c.escaped(p.Title)
				c.put(`"><g class="point" data-lane="`)
			} else {
				c.put(`<g class="point" tabindex="0" data-lane="`)
			}
			c.escaped(l.ID)
			c.put(`" data-series="`)
			c.escaped(s.Name)
			c.put(`" data-x="`, Num(p.X), `" data-y="`, Num(p.Y))
			if p.Href == "" {
				c.put(`" aria-label="`)
				c.escaped(p.Title)
			}
			c.put(`">`)
			c.Marker(p.X, p.Y, kind, col, p.Title)
			tip(c, p)
			c.put("</g>")
			if p.Href != "" {
				c.put("</a>")
			}
			c.put("\n")
		}
	}
	// legend at the right, outside the data; a projection takes a second
	// row that says it is a model projection
	y := c.Top + 14
	for k, s := range l.Series {
		col := Palette[k%len(Palette)]
		dash := ""
		if s.Projection {
			dash = ` stroke-dasharray="6 4"`
		}
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="2"%s/><text x="%s" y="%s" font-size="11">%s</text>`+"\n",
			Px(c.W-c.Right+10), Px(c.W-c.Right+28), Px(y), Px(y), col, dash, Px(c.W-c.Right+32), Px(y+4), Esc(trunc(s.Name, 22)))
		if s.Projection {
			y += 13
			c.Raw(`<text x="%s" y="%s" font-size="10" font-style="italic" fill="#444">(model projection)</text>`+"\n", Px(c.W-c.Right+32), Px(y+4))
		}
		y += 16
	}
}

// refLines draws reference lines with labels at the right end, above the
// line, or below it when the label would touch the one above.
func refLines(c *Canvas, rs []RefLine) {
	rs = append([]RefLine(nil), rs...)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Y > rs[j].Y })
	last := math.Inf(-1)
	for _, r := range rs {
		if r.Y < c.YMin || r.Y > c.YMax {
			continue
		}
		py := c.Y(r.Y)
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#999" stroke-dasharray="5 3"/>`+"\n", Px(c.Left), Px(c.W-c.Right), Px(py), Px(py))
		ly := py - 3
		if ly-last < 11 {
			ly = py + 11
		}
		c.Raw(`<text x="%s" y="%s" font-size="10" text-anchor="end" fill="#555" paint-order="stroke" stroke="#fff" stroke-width="3">%s</text>`+"\n", Px(c.W-c.Right-2), Px(ly), Esc(r.Label))
		last = ly
	}
}

func band(c *Canvas, pts []LanePoint, col string) {
	var up, lo []string
	for _, p := range pts {
		if math.IsNaN(p.Lo) || math.IsNaN(p.Hi) {
			return
		}
		up = append(up, Px(c.X(p.X))+","+Px(c.Y(clamp(p.Hi, c.YMin, c.YMax))))
		lo = append([]string{Px(c.X(p.X)) + "," + Px(c.Y(clamp(p.Lo, c.YMin, c.YMax)))}, lo...)
	}
	if len(up) > 1 {
		c.Raw(`<polygon points="%s" fill="%s" fill-opacity="0.15" stroke="none"/>`+"\n", strings.Join(append(up, lo...), " "), col)
	}
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

func trunc(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Num formats a data value for attributes: shortest round-trip form.
func Num(v float64) string { return num(v) }

func timeRange(lanes []Lane, spans []Span, marks []Mark) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	see := func(x float64) {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	for _, l := range lanes {
		for _, s := range l.Series {
			for _, p := range s.Points {
				see(p.X)
			}
		}
	}
	for _, s := range spans {
		see(s.From)
		see(s.To)
	}
	for _, m := range marks {
		see(m.X)
	}
	if math.IsInf(lo, 0) {
		return 0, 1
	}
	if hi == lo {
		hi = lo + 1
	}
	pad := (hi - lo) * 0.03
	return lo - pad, hi + pad
}

func laneRange(l Lane) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range l.Series {
		for _, p := range s.Points {
			for _, v := range []float64{p.Y, p.Lo, p.Hi} {
				if math.IsNaN(v) || math.IsInf(v, 0) || (l.Log && v <= 0) {
					continue
				}
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	for _, r := range l.RefLines {
		if !l.Log || r.Y > 0 {
			lo, hi = math.Min(lo, r.Y), math.Max(hi, r.Y)
		}
	}
	if math.IsInf(lo, 0) {
		if l.Log {
			return 0.001, 100
		}
		return 0, 1
	}
	if l.Log {
		return math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi)+1e-12))
	}
	if lo > 0 {
		lo = 0
	}
	t := CoverTicks(lo, hi, 4)
	return lo, t[len(t)-1].V
}

// markRows puts event labels on rows so that none overlaps another.
func markRows(marks []Mark, xmin, xmax, width float64, xpx func(float64) float64) []int {
	row := make([]int, len(marks))
	idx := make([]int, len(marks))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return marks[idx[a]].X < marks[idx[b]].X })
	var ends []float64 // right edge of the last label per row
	for _, i := range idx {
		x := xpx(marks[i].X)
		w := 6.2 * float64(len([]rune(marks[i].Label)))
		r := 0
		for ; r < len(ends) && ends[r] > x-w/2-4; r++ {
		}
		if r == len(ends) {
			ends = append(ends, 0)
		}
		ends[r] = x + w/2
		row[i] = r
	}
	return row
}

func labelRows(marks []Mark, xmin, xmax, width float64) int {
	left, right := 78.0, 170.0
	xpx := func(x float64) float64 { return left + (x-xmin)/(xmax-xmin)*(width-left-right) }
	n := 0
	for _, r := range markRows(marks, xmin, xmax, width, xpx) {
		if r+1 > n {
			n = r + 1
		}
	}
	return n
}

// TipCSS shows a point's tip (its value, CI, sample, run and file) while
// the point is hovered or has keyboard focus; pages that show the figure
// include it. Without it (a downloaded SVG, the PNG) tips stay hidden.
const TipCSS = `g.point:hover text.tip,g.point:focus text.tip,a:focus>g.point text.tip{visibility:visible}g.point:focus,svg a:focus{outline:none}` +
	`g.point:focus circle,g.point:focus path,a:focus>g.point circle,a:focus>g.point path{stroke:#000;stroke-width:2.5}`

// tip writes the hidden text a point shows on hover or focus (TipCSS):
// its title in lines of at most about 48 characters (cut at " · "),
// beside the point towards the middle of the plot, above it when there is
// room.
func tip(c *Canvas, p LanePoint) {
	if p.Title == "" {
		return
	}
	var lines []string
	for _, part := range strings.Split(p.Title, " · ") {
		if n := len(lines); n > 0 && len(lines[n-1])+3+len(part) <= 48 {
			lines[n-1] += " · " + part
		} else {
			lines = append(lines, part)
		}
	}
	x, y := c.X(p.X), c.Y(p.Y)
	anchor, dx := "start", 7.0
	if x > (c.Left+c.W-c.Right)/2 {
		anchor, dx = "end", -7
	}
	const lh = 13.0
	lhPx := Px(lh)
	ty := y - 8 - lh*float64(len(lines)-1)
	if ty < 12 {
		ty = y + 16
	}
	c.put(`<text class="tip" x="`)
	c.px(x + dx)
	c.put(`" y="`)
	c.px(ty)
	c.put(`" font-size="11" text-anchor="`, anchor, `" fill="#111" paint-order="stroke" stroke="#fff" stroke-width="4" visibility="hidden">`)
	for i, l := range lines {
		dy := "0"
		if i > 0 {
			dy = lhPx
		}
		c.put(`<tspan x="`)
		c.px(x + dx)
		c.put(`" dy="`, dy, `">`)
		c.escaped(l)
		c.put(`</tspan>`)
	}
	c.put(`</text>`)
}
