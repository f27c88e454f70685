package plot

import (
	"math"
	"strings"
)

// Flow is one item followed across the lanes of an alluvial figure (e.g. a
// clone across timepoints): its share in each lane (NaN or 0 = absent).
type Flow struct {
	Label  string
	Values []float64
}

// Alluvial draws lanes (e.g. timepoints) left to right; in each lane the
// flows are stacked bottom-up in the order given, block height = value;
// ribbons join a flow's blocks in neighbouring lanes (drawn when both are
// present). Colours come from Palette in flow order (at most
// len(Palette) flows get distinct colours); a legend on the right names
// them. Values are drawn as given, in units of yLabel (e.g. % of cells).
func Alluvial(title string, lanes []string, flows []Flow, xLabel, yLabel string) string {
	c := NewCanvas(470, 290)
	c.Top, c.Right = 30, 180
	c.XMin, c.XMax = -0.5, float64(len(lanes))-0.5
	hi := 0.0
	for k := range lanes {
		s := 0.0
		for _, f := range flows {
			if v := f.Values[k]; v > 0 {
				s += v
			}
		}
		hi = math.Max(hi, s)
	}
	ticks := CoverTicks(0, math.Max(hi, 1e-9), 5)
	c.YMin, c.YMax = 0, ticks[len(ticks)-1].V
	var xt []Tick
	for k, l := range lanes {
		xt = append(xt, Tick{V: float64(k), Label: l})
	}
	c.Axes(xt, ticks, xLabel, yLabel)
	if title != "" {
		c.Raw(`<text x="%s" y="16" font-size="12" font-weight="bold">%s</text>`+"\n", Px(c.Left), Esc(title))
	}
	const bw = 26.0
	// block bottoms and tops per lane and flow
	lo := make([][]float64, len(lanes))
	top := make([][]float64, len(lanes))
	for k := range lanes {
		lo[k], top[k] = make([]float64, len(flows)), make([]float64, len(flows))
		cum := 0.0
		for i, f := range flows {
			v := f.Values[k]
			if !(v > 0) {
				lo[k][i], top[k][i] = math.NaN(), math.NaN()
				continue
			}
			lo[k][i], top[k][i] = cum, cum+v
			cum += v
		}
	}
	colour := func(i int) string { return Palette[i%len(Palette)] }
	for k := 0; k+1 < len(lanes); k++ {
		x1, x2 := c.X(float64(k))+bw/2, c.X(float64(k+1))-bw/2
		xm := (x1 + x2) / 2
		for i := range flows {
			if math.IsNaN(lo[k][i]) || math.IsNaN(lo[k+1][i]) {
				continue
			}
			t1, b1, t2, b2 := c.Y(top[k][i]), c.Y(lo[k][i]), c.Y(top[k+1][i]), c.Y(lo[k+1][i])
			c.Raw(`<path d="M%s %sC%s %s %s %s %s %sL%s %sC%s %s %s %s %s %sZ" fill="%s" fill-opacity="0.35" stroke="none"/>`+"\n",
				Px(x1), Px(t1), Px(xm), Px(t1), Px(xm), Px(t2), Px(x2), Px(t2),
				Px(x2), Px(b2), Px(xm), Px(b2), Px(xm), Px(b1), Px(x1), Px(b1), colour(i))
		}
	}
	for k := range lanes {
		x := c.X(float64(k)) - bw/2
		for i, f := range flows {
			if math.IsNaN(lo[k][i]) {
				continue
			}
			y1, y2 := c.Y(top[k][i]), c.Y(lo[k][i])
			c.Raw(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="white" stroke-width="0.5"><title>%s at %s: %s</title></rect>`+"\n",
				Px(x), Px(y1), Px(bw), Px(math.Max(y2-y1, 0.5)), colour(i), Esc(f.Label), Esc(lanes[k]), Esc(num(math.Round(f.Values[k]*100)/100)))
		}
	}
	legend(c, flows)
	return c.SVG()
}

// legend lists the flows top-down at the right of the plot area.
func legend(c *Canvas, flows []Flow) {
	x := c.W - c.Right + 12
	for i, f := range flows {
		y := c.Top + 4 + float64(i)*16
		label := f.Label
		if len(label) > 24 {
			label = label[:23] + "…"
		}
		c.Raw(`<rect x="%s" y="%s" width="10" height="10" fill="%s"/><text x="%s" y="%s" font-size="11">%s</text>`+"\n",
			Px(x), Px(y), Palette[i%len(Palette)], Px(x+14), Px(y+9), Esc(label))
	}
}

// StackedBars draws one horizontal bar per row, split into the series'
// shares (values[row][series], drawn in percent of the row's total) with
// a legend above. Rows without a total are drawn as "no data".
func StackedBars(rows, series []string, values [][]float64, xLabel string) string {
	left := 70.0
	for _, r := range rows {
		left = math.Max(left, 12+6.2*float64(len([]rune(r))))
	}
	left = math.Min(left, 260)
	// legend entries flow left to right, wrapping at the figure's width
	const width = 640.0
	type entry struct{ x, y float64 }
	pos := make([]entry, len(series))
	x, y := left, 6.0
	for i, s := range series {
		w := 14 + 7.2*float64(len([]rune(s))) + 14
		if x+w > width-8 && x > left {
			x, y = left, y+16
		}
		pos[i] = entry{x, y}
		x += w
	}
	c := NewCanvas(width, 70+y+22*float64(len(rows)))
	c.Left, c.Top = left, y+24
	c.XMin, c.XMax = 0, 100
	c.YMin, c.YMax = 0, float64(len(rows))
	c.NoGrid = true
	c.Axes(NiceTicks(0, 100, 5), nil, xLabel, "")
	for i, s := range series {
		c.Raw(`<rect x="%s" y="%s" width="10" height="10" fill="%s"/><text x="%s" y="%s" font-size="11">%s</text>`+"\n",
			Px(pos[i].x), Px(pos[i].y), Palette[i%len(Palette)], Px(pos[i].x+14), Px(pos[i].y+9), Esc(s))
	}
	for r, name := range rows {
		y := c.Y(float64(len(rows)-r)) + 3
		h := c.Y(0) - c.Y(1) - 6
		c.Raw(`<text x="%s" y="%s" font-size="11" text-anchor="end">%s</text>`+"\n", Px(c.Left-6), Px(y+h/2+4), Esc(name))
		tot := 0.0
		for _, v := range values[r] {
			if v > 0 {
				tot += v
			}
		}
		if tot == 0 {
			c.Raw(`<text x="%s" y="%s" font-size="11" fill="#777">no data</text>`+"\n", Px(c.Left+6), Px(y+h/2+4))
			continue
		}
		cum := 0.0
		for i, v := range values[r] {
			if !(v > 0) {
				continue
			}
			p := v / tot * 100
			c.Raw(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s, %s: %s%%</title></rect>`+"\n",
				Px(c.X(cum)), Px(y), Px(c.X(cum+p)-c.X(cum)), Px(h), Palette[i%len(Palette)],
				Esc(name), Esc(series[i]), strings.TrimSuffix(num(math.Round(p*10)/10), ".0"))
			cum += p
		}
	}
	return c.SVG()
}
