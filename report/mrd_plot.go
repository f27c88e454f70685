package report

import (
	"fmt"
	"math"
	"sort"

	"github.com/lsc-bio/lsc/mrd"
	"github.com/lsc-bio/lsc/plot"
)

type mrdPoint struct {
	x, y float64
	und  bool
	tip  string
}

// MRDPlot draws one patient's qPCR time course: log scale, one line per
// fraction/target/control, undetectable samples as open down-triangles at
// their sensitivity, MMR/MR4/MR4.5 lines (named in the legend) when any
// series is on IS, and therapy starts and stops as vertical lines. The
// y range reaches at least a twentieth of a decade beyond the data, so no
// point sits on the frame.
func MRDPlot(a *mrd.Assessment, p mrd.PatientResult) string {
	co := qpcrCourse(a, p.ID)
	if len(co.keys) == 0 {
		return ""
	}
	keys, series, anyIS, lo, hi, xlo, xhi := co.keys, co.series, co.anyIS, co.lo, co.hi, co.xlo, co.xhi
	if p.Record != nil {
		for _, l := range p.Record.Lines {
			if !l.Start.IsZero() {
				xlo = math.Min(xlo, plot.Days(l.Start))
			}
		}
	}
	if xhi-xlo < 30 {
		xhi = xlo + 30
	}
	pad := (xhi - xlo) * 0.03
	c := plot.NewCanvas(720, 330)
	c.Right = 250
	c.LogY = true
	c.XMin, c.XMax = xlo-pad, xhi+pad
	c.YMin, c.YMax = logRange(lo, hi, anyIS)
	ylabel := "BCR::ABL1 ratio (%)"
	if anyIS {
		ylabel = "level (% IS, or ratio %)"
	}
	c.Axes(plot.DateTicks(dayTime(c.XMin), dayTime(c.XMax)), plot.LogTicks(c.YMin, c.YMax), "date", ylabel)
	if anyIS {
		for _, g := range mrdGuides {
			c.HLine(g.level, g.colour, g.dash, "")
		}
	}
	therapyLines(c, p.Record)
	sort.Strings(keys)
	lg := legend{c: c}
	for i, k := range keys {
		col := plot.Palette[i%len(plot.Palette)]
		drawSeries(c, series[k], col)
		lg.line(col, "", 2, k)
	}
	if anyIS {
		for _, g := range mrdGuides {
			lg.line(g.colour, g.dash, 1, g.label)
		}
	}
	lg.y += 8
	c.Raw(`<path d="M%s %sL%s %sL%s %sZ" fill="white" stroke="#333"/><text x="%s" y="%s" font-size="11">undetectable (at sensitivity)</text>`+"\n",
		plot.Px(lg.x()+3.5), plot.Px(lg.next()-4), plot.Px(lg.x()+12.5), plot.Px(lg.next()-4), plot.Px(lg.x()+8), plot.Px(lg.next()+4), plot.Px(lg.x()+20), plot.Px(lg.next()+4))
	return c.SVG()
}

// course is one patient's qPCR samples as plotted: a series per
// fraction/target/control and the ranges of levels and dates.
type course struct {
	keys             []string
	series           map[string][]mrdPoint
	anyIS            bool
	lo, hi, xlo, xhi float64
}

func qpcrCourse(a *mrd.Assessment, id string) course {
	co := course{series: map[string][]mrdPoint{}, lo: math.Inf(1), hi: math.Inf(-1), xlo: math.Inf(1), xhi: math.Inf(-1)}
	for _, si := range a.SamplesOf(id) {
		s := a.Samples[si]
		k := s.Fraction + " " + s.Target + "/" + s.ControlGene
		if s.OnIS {
			co.anyIS = true
			k += " (IS)"
		}
		if _, ok := co.series[k]; !ok {
			co.keys = append(co.keys, k)
		}
		v, und := s.Value(), !s.Detectable
		tip := fmt.Sprintf("%s %s: %s%% %s", date(s.Date), s.Fraction, sig(v, 6), s.Response)
		if und {
			v = s.Limit
			tip = fmt.Sprintf("%s %s: undetectable (sensitivity %s%%) %s", date(s.Date), s.Fraction, sig(v, 6), s.Response)
		}
		x := plot.Days(s.Date)
		co.series[k] = append(co.series[k], mrdPoint{x, v, und, tip})
		co.lo, co.hi = math.Min(co.lo, v), math.Max(co.hi, v)
		co.xlo, co.xhi = math.Min(co.xlo, x), math.Max(co.xhi, x)
	}
	return co
}

// mrdGuides are the molecular response levels drawn on IS plots.
var mrdGuides = []struct {
	level               float64
	colour, dash, label string
}{
	{mrd.MMRPercent, "#555", "6 3", "MMR 0.1% IS"},
	{mrd.MR4Percent, "#777", "3 3", "MR4 0.01% IS"},
	{mrd.MR45Percent, "#999", "1 3", "MR4.5 0.0032% IS"},
}

// logRange returns decade bounds holding [lo, hi] with at least 0.05
// decade to spare on each side (a point on a decade would otherwise sit on
// the frame), and 0.001-1 % when the MR guides are drawn.
func logRange(lo, hi float64, guides bool) (float64, float64) {
	const margin = 0.05
	ymin := math.Pow(10, math.Floor(math.Log10(lo)-margin))
	ymax := math.Pow(10, math.Ceil(math.Log10(hi)+margin))
	if guides {
		ymin, ymax = math.Min(ymin, 0.001), math.Max(ymax, 1)
	}
	return ymin, ymax
}

func therapyLines(c *plot.Canvas, rec *mrd.Patient) {
	if rec == nil {
		return
	}
	for _, l := range rec.Lines {
		if !l.Start.IsZero() {
			c.VLine(plot.Days(l.Start), "#2a7", "start "+l.Therapy)
		}
		if !l.Stop.IsZero() {
			c.VLine(plot.Days(l.Stop), "#c33", "stop "+l.Therapy)
		}
	}
}

// drawSeries joins the measured levels (not the undetectable ones) and
// marks every sample.
func drawSeries(c *plot.Canvas, pts []mrdPoint, col string) {
	var xs, ys []float64
	for _, q := range pts {
		if !q.und {
			xs = append(xs, q.x)
			ys = append(ys, q.y)
		}
	}
	c.Line(xs, ys, col, 1.5, "")
	for _, q := range pts {
		kind := "circle"
		if q.und {
			kind = "down"
		}
		c.Marker(q.x, q.y, kind, col, q.tip)
	}
}

// legend writes entries down the right margin.
type legend struct {
	c *plot.Canvas
	y float64 // offset below the top of the plot
}

func (l *legend) x() float64    { return l.c.W - l.c.Right + 12 }
func (l *legend) next() float64 { return l.c.Top + 14 + l.y }

func (l *legend) line(col, dash string, width float64, label string) {
	ly, lx := l.next(), l.x()
	d := ""
	if dash != "" {
		d = ` stroke-dasharray="` + dash + `"`
	}
	l.c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="%s"%s/><text x="%s" y="%s" font-size="11">%s</text>`+"\n",
		plot.Px(lx), plot.Px(lx+16), plot.Px(ly), plot.Px(ly), col, plot.Px(width), d, plot.Px(lx+20), plot.Px(ly+4), plot.Esc(label))
	l.y += 16
}

// FISHPlot draws clone percentages with 95 % intervals (whiskers with
// caps) per fraction/probe; the y axis reaches past the highest upper
// bound (at most 100 %).
func FISHPlot(a *mrd.Assessment, p mrd.PatientResult) string {
	var rows []mrd.Row
	for _, i := range a.RowsOf(p.ID) {
		if r := a.Rows[i]; r.Assay == mrd.FISH {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return ""
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Date.Before(rows[j].Date) })
	xlo, xhi, hi := math.Inf(1), math.Inf(-1), 0.0
	for _, r := range rows {
		xlo, xhi = math.Min(xlo, plot.Days(r.Date)), math.Max(xhi, plot.Days(r.Date))
		hi = math.Max(hi, r.CloneCI.Upper)
	}
	if xhi-xlo < 30 {
		xhi = xlo + 30
	}
	pad := (xhi - xlo) * 0.05
	c := plot.NewCanvas(720, 260)
	c.Right = 250
	c.XMin, c.XMax, c.YMin = xlo-pad, xhi+pad, 0
	ticks := plot.CoverTicks(0, math.Min(100, hi*1.05), 4)
	c.YMax = ticks[len(ticks)-1].V
	if c.YMax > 100 || c.YMax < hi {
		ticks = plot.NiceTicks(0, 100, 4)
		c.YMax = 100
	}
	c.Axes(plot.DateTicks(dayTime(c.XMin), dayTime(c.XMax)), ticks, "date", "abnormal nuclei (%), 95% CI")
	keys := map[string]int{}
	var order []string
	for _, r := range rows {
		k := r.Fraction + " · " + r.Probe
		if _, ok := keys[k]; !ok {
			keys[k] = len(order)
			order = append(order, k)
		}
	}
	lg := legend{c: c}
	for _, k := range order {
		col := plot.Palette[keys[k]%len(plot.Palette)]
		var xs, ys []float64
		for _, r := range rows {
			if r.Fraction+" · "+r.Probe == k {
				xs, ys = append(xs, plot.Days(r.Date)), append(ys, r.ClonePercent)
				whisker(c, r, col)
			}
		}
		c.Line(xs, ys, col, 1.2, "4 2")
		lg.line(col, "", 2, k)
	}
	return c.SVG()
}

// whisker draws one FISH result: its 95 % interval with caps and the point.
func whisker(c *plot.Canvas, r mrd.Row, col string) {
	x := c.X(plot.Days(r.Date))
	lo, hi := c.Y(r.CloneCI.Lower), c.Y(r.CloneCI.Upper)
	c.Raw(`<path d="M%s %sV%sM%s %sH%sM%s %sH%s" stroke="%s" stroke-width="1.5" fill="none"/>`+"\n",
		plot.Px(x), plot.Px(lo), plot.Px(hi), plot.Px(x-4), plot.Px(lo), plot.Px(x+4), plot.Px(x-4), plot.Px(hi), plot.Px(x+4), col)
	c.Marker(plot.Days(r.Date), r.ClonePercent, "circle", col, fmt.Sprintf("%s: %d/%d nuclei, %s%% (95%% CI %s-%s)", date(r.Date), r.Abnormal, r.Scored,
		sig(r.ClonePercent, 6), sig(r.CloneCI.Lower, 3), sig(r.CloneCI.Upper, 3)))
}
