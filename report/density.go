package report

import (
	"math"
	"strconv"

	"github.com/lsc-bio/lsc/plot"
)

// DensityPlot draws a bivariate histogram (64 x 64 bins) of x and y, colour
// by log count with a colour scale, with gate rectangles and threshold
// lines on top. The axes widen to hold every finite gate bound, so no gate
// is clipped; a gate's open sides are not drawn. Gate names and their
// share of the plotted events sit above the plot, off the data; with one
// vertical and one horizontal threshold the four quadrants' shares are
// printed in the corners on a white ground. No grid lines cross the data.
type DensityPlot struct {
	Title          string
	XLabel, YLabel string
	X, Y           []float64
	XMin, XMax     float64
	YMin, YMax     float64
	Rects          []Rect
	VLines, HLines []float64
}

// Rect is a gate rectangle; NaN bounds are open (extend to the plot edge).
type Rect struct {
	X0, X1, Y0, Y1 float64
	Label          string
}

var viridis = []string{"#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"}

const (
	densityBins = 64
	gateColour  = "#D55E00" // Okabe-Ito vermillion: visible on every viridis level
)

// SVG renders the plot.
func (p DensityPlot) SVG() string {
	p.widen()
	c := plot.NewCanvas(340, 316)
	c.Left, c.Right, c.Top, c.Bottom = 66, 58, 20+14*float64(max(len(p.Rects), 1)), 40
	c.XMin, c.XMax, c.YMin, c.YMax = p.XMin, p.XMax, p.YMin, p.YMax
	c.NoGrid = true
	grid, maxc, n := p.bin()
	bw := (c.W - c.Left - c.Right) / densityBins
	bh := (c.H - c.Top - c.Bottom) / densityBins
	for by := 0; by < densityBins; by++ {
		for bx := 0; bx < densityBins; bx++ {
			if k := grid[by*densityBins+bx]; k > 0 {
				c.Raw(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, plot.Px(c.Left+float64(bx)*bw), plot.Px(c.H-c.Bottom-float64(by+1)*bh),
					plot.Px(bw+0.3), plot.Px(bh+0.3), viridis[level(k, maxc)])
			}
		}
	}
	c.Raw("\n")
	c.Axes(plot.NiceTicks(p.XMin, p.XMax, 4), plot.NiceTicks(p.YMin, p.YMax, 4), p.XLabel, p.YLabel)
	p.gates(c, n)
	p.quadrants(c, n)
	colourScale(c, maxc)
	c.Raw(`<text x="%s" y="14" font-size="11" font-weight="bold">%s</text><text x="%s" y="14" font-size="10" text-anchor="end" fill="#555">n = %d</text>`+"\n",
		plot.Px(c.Left), plot.Esc(p.Title), plot.Px(c.W-c.Right), n)
	return c.SVG()
}

// widen extends the axis ranges to hold every finite gate bound and
// threshold, with a 3 % margin beyond one that lies outside.
func (p *DensityPlot) widen() {
	xs, ys := append([]float64(nil), p.VLines...), append([]float64(nil), p.HLines...)
	for _, r := range p.Rects {
		xs, ys = append(xs, r.X0, r.X1), append(ys, r.Y0, r.Y1)
	}
	grow := func(lo, hi *float64, vs []float64) {
		span := *hi - *lo
		for _, v := range vs {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			if v < *lo {
				*lo = v - 0.03*span
			}
			if v > *hi {
				*hi = v + 0.03*span
			}
		}
	}
	grow(&p.XMin, &p.XMax, xs)
	grow(&p.YMin, &p.YMax, ys)
}

// bin counts the events per bin; events beyond the range fall in the edge
// bins.
func (p DensityPlot) bin() ([]int, int, int) {
	grid := make([]int, densityBins*densityBins)
	maxc, n := 0, 0
	for i := range p.X {
		x, y := p.X[i], p.Y[i]
		if math.IsNaN(x) || math.IsNaN(y) {
			continue
		}
		bx := min(max(int((x-p.XMin)/(p.XMax-p.XMin)*densityBins), 0), densityBins-1)
		by := min(max(int((y-p.YMin)/(p.YMax-p.YMin)*densityBins), 0), densityBins-1)
		grid[by*densityBins+bx]++
		maxc = max(maxc, grid[by*densityBins+bx])
		n++
	}
	return grid, maxc, n
}

// level is the colour of a bin of k events when the fullest holds maxc:
// log(1+k) in ten equal steps.
func level(k, maxc int) int {
	if maxc <= 1 {
		return len(viridis) - 1
	}
	return int(math.Log1p(float64(k)) / math.Log1p(float64(maxc)) * float64(len(viridis)-1))
}

// gates draws the rectangles' closed sides and the threshold lines, and
// names each gate above the plot with its share of the plotted events.
func (p DensityPlot) gates(c *plot.Canvas, n int) {
	for i, r := range p.Rects {
		x0, x1, y0, y1 := or(r.X0, p.XMin), or(r.X1, p.XMax), or(r.Y0, p.YMin), or(r.Y1, p.YMax)
		X0, X1, Y0, Y1 := plot.Px(c.X(x0)), plot.Px(c.X(x1)), plot.Px(c.Y(y0)), plot.Px(c.Y(y1))
		d := ""
		side := func(open bool, ax, ay, bx, by string) {
			if !open {
				d += "M" + ax + " " + ay + "L" + bx + " " + by
			}
		}
		side(math.IsNaN(r.X0), X0, Y0, X0, Y1)
		side(math.IsNaN(r.X1), X1, Y0, X1, Y1)
		side(math.IsNaN(r.Y0), X0, Y0, X1, Y0)
		side(math.IsNaN(r.Y1), X0, Y1, X1, Y1)
		c.Raw(`<path d="%s" fill="none" stroke="%s" stroke-width="1.6"/>`+"\n", d, gateColour)
		k := 0
		for j := range p.X {
			if in(p.X[j], r.X0, r.X1) && in(p.Y[j], r.Y0, r.Y1) {
				k++
			}
		}
		label := r.Label
		if n > 0 {
			label += ": " + pct(k, n) + " of plotted events"
		}
		c.Raw(`<text x="%s" y="%s" font-size="10" fill="%s">▭ %s</text>`+"\n", plot.Px(c.Left), plot.Px(28+14*float64(i)), gateColour, plot.Esc(label))
	}
	for _, v := range p.VLines {
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1.6"/>`+"\n", plot.Px(c.X(v)), plot.Px(c.X(v)), plot.Px(c.Top), plot.Px(c.H-c.Bottom), gateColour)
	}
	for _, v := range p.HLines {
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1.6"/>`+"\n", plot.Px(c.Left), plot.Px(c.W-c.Right), plot.Px(c.Y(v)), plot.Px(c.Y(v)), gateColour)
	}
}

// quadrants prints each quadrant's share of the plotted events in its
// corner when there is one vertical and one horizontal threshold (a value
// on a threshold counts as positive, as the gates' minimum is inclusive).
func (p DensityPlot) quadrants(c *plot.Canvas, n int) {
	if len(p.VLines) != 1 || len(p.HLines) != 1 || n == 0 {
		return
	}
	var q [4]int // -/+ , +/+ , -/- , +/-  (x/y)
	for i := range p.X {
		x, y := p.X[i], p.Y[i]
		if math.IsNaN(x) || math.IsNaN(y) {
			continue
		}
		k := 0
		if x >= p.VLines[0] {
			k = 1
		}
		if y < p.HLines[0] {
			k += 2
		}
		q[k]++
	}
	l, r, t, b := c.Left+3, c.W-c.Right-3, c.Top+3, c.H-c.Bottom-3
	for k, pos := range [][3]string{{plot.Px(l), plot.Px(t + 10), "start"}, {plot.Px(r), plot.Px(t + 10), "end"}, {plot.Px(l), plot.Px(b - 3), "start"}, {plot.Px(r), plot.Px(b - 3), "end"}} {
		c.Raw(`<text x="%s" y="%s" font-size="10" font-weight="bold" text-anchor="%s" fill="#000" stroke="#fff" stroke-width="3" paint-order="stroke">%s</text>`+"\n",
			pos[0], pos[1], pos[2], pct(q[k], n))
	}
}

// colourScale draws the colour bar in the right margin, labelled with the
// events per bin at its ends and middle.
func colourScale(c *plot.Canvas, maxc int) {
	if maxc == 0 {
		return
	}
	x := c.W - c.Right + 10
	top, bot := c.Top, c.H-c.Bottom
	h := (bot - top) / float64(len(viridis))
	for i, col := range viridis {
		c.Raw(`<rect x="%s" y="%s" width="10" height="%s" fill="%s"/>`, plot.Px(x), plot.Px(bot-float64(i+1)*h), plot.Px(h+0.3), col)
	}
	c.Raw(`<rect x="%s" y="%s" width="10" height="%s" fill="none" stroke="#333" stroke-width="0.5"/>`+"\n", plot.Px(x), plot.Px(top), plot.Px(bot-top))
	mid := int(math.Round(math.Expm1(math.Log1p(float64(maxc)) / 2)))
	for _, t := range []struct {
		v int
		y float64
	}{{1, bot}, {mid, (top + bot) / 2}, {maxc, top}} {
		c.Raw(`<text x="%s" y="%s" font-size="9">%d</text>`, plot.Px(x+13), plot.Px(t.y+3), t.v)
	}
	c.Raw(`<text transform="translate(%s %s) rotate(-90)" font-size="9" text-anchor="middle" fill="#555">events per bin (log)</text>`+"\n",
		plot.Px(c.W-4), plot.Px((top+bot)/2))
}

func or(v, def float64) float64 {
	if math.IsNaN(v) {
		return def
	}
	return v
}

// in reports whether v lies in [lo, hi) with NaN bounds open.
func in(v, lo, hi float64) bool {
	return (math.IsNaN(lo) || v >= lo) && (math.IsNaN(hi) || v < hi)
}

func pct(k, n int) string {
	return strconv.FormatFloat(100*float64(k)/float64(n), 'f', 1, 64) + " %"
}
