package report

import (
	"github.com/lsc-bio/lsc/plot"

	"html"
	"math"
)

// DensityPlot draws a bivariate histogram (bins x bins) of x and y over the
// given ranges, colour by log count, with optional gate rectangles and
// threshold lines drawn on top.
type DensityPlot struct {
	Title          string
	XLabel, YLabel string
	X, Y           []float64
	XMin, XMax     float64
	YMin, YMax     float64
	Rects          []Rect
	VLines, HLines []float64
}

// Rect is a gate rectangle; NaN bounds extend to the plot edge.
type Rect struct {
	X0, X1, Y0, Y1 float64
	Label          string
}

var viridis = []string{"#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"}

// SVG renders the plot.
func (p DensityPlot) SVG() string {
	const bins = 64
	c := plot.NewCanvas(300, 290)
	c.Left, c.Right, c.Top, c.Bottom = 68, 10, 22, 40
	c.XMin, c.XMax, c.YMin, c.YMax = p.XMin, p.XMax, p.YMin, p.YMax
	grid := make([]int, bins*bins)
	maxc := 0
	n := 0
	for i := range p.X {
		x, y := p.X[i], p.Y[i]
		if math.IsNaN(x) || math.IsNaN(y) {
			continue
		}
		bx := int((x - p.XMin) / (p.XMax - p.XMin) * bins)
		by := int((y - p.YMin) / (p.YMax - p.YMin) * bins)
		bx = min(max(bx, 0), bins-1)
		by = min(max(by, 0), bins-1)
		grid[by*bins+bx]++
		maxc = max(maxc, grid[by*bins+bx])
		n++
	}
	bw := (c.W - c.Left - c.Right) / bins
	bh := (c.H - c.Top - c.Bottom) / bins
	for by := 0; by < bins; by++ {
		for bx := 0; bx < bins; bx++ {
			k := grid[by*bins+bx]
			if k == 0 {
				continue
			}
			lvl := int(math.Log1p(float64(k)) / math.Log1p(float64(maxc)) * float64(len(viridis)-1))
			c.Raw(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, plot.Px(c.Left+float64(bx)*bw), plot.Px(c.H-c.Bottom-float64(by+1)*bh), plot.Px(bw+0.3), plot.Px(bh+0.3), viridis[lvl])
		}
	}
	c.Raw("\n")
	c.Axes(plot.NiceTicks(p.XMin, p.XMax, 4), plot.NiceTicks(p.YMin, p.YMax, 4), p.XLabel, p.YLabel)
	clampX := func(v float64) float64 {
		if math.IsNaN(v) {
			return v
		}
		return math.Min(math.Max(v, p.XMin), p.XMax)
	}
	clampY := func(v float64) float64 {
		if math.IsNaN(v) {
			return v
		}
		return math.Min(math.Max(v, p.YMin), p.YMax)
	}
	for _, r := range p.Rects {
		x0, x1, y0, y1 := r.X0, r.X1, r.Y0, r.Y1
		if math.IsNaN(x0) {
			x0 = p.XMin
		}
		if math.IsNaN(x1) {
			x1 = p.XMax
		}
		if math.IsNaN(y0) {
			y0 = p.YMin
		}
		if math.IsNaN(y1) {
			y1 = p.YMax
		}
		x0, x1, y0, y1 = clampX(x0), clampX(x1), clampY(y0), clampY(y1)
		c.Raw(`<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#d62728" stroke-width="1.5"/>`+"\n",
			plot.Px(c.X(x0)), plot.Px(c.Y(y1)), plot.Px(c.X(x1)-c.X(x0)), plot.Px(c.Y(y0)-c.Y(y1)))
		if r.Label != "" {
			c.Raw(`<text x="%s" y="%s" font-size="10" fill="#d62728">%s</text>`+"\n", plot.Px(c.X(x0)+3), plot.Px(c.Y(y1)+11), html.EscapeString(r.Label))
		}
	}
	for _, v := range p.VLines {
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#d62728" stroke-width="1.5"/>`+"\n", plot.Px(c.X(v)), plot.Px(c.X(v)), plot.Px(c.Top), plot.Px(c.H-c.Bottom))
	}
	for _, v := range p.HLines {
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#d62728" stroke-width="1.5"/>`+"\n", plot.Px(c.Left), plot.Px(c.W-c.Right), plot.Px(c.Y(v)), plot.Px(c.Y(v)))
	}
	c.Raw(`<text x="%s" y="14" font-size="11" font-weight="bold">%s</text><text x="%s" y="14" font-size="10" text-anchor="end" fill="#555">n = %d</text>`+"\n",
		plot.Px(c.Left), html.EscapeString(p.Title), plot.Px(c.W-c.Right), n)
	return c.SVG()
}
