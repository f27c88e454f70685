package compartment

import (
	"math"
	"sort"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/fcs"
	"github.com/lsc-bio/lsc/stats"
)

// Plot is the data of one bivariate figure: the events of a population on
// two axes (display scale), with the gates placed on them.
type Plot struct {
	Title          string
	XLabel, YLabel string
	X, Y           []float64
	XMin, XMax     float64
	YMin, YMax     float64
	Rects          [][4]float64 // x0, x1, y0, y1 (NaN = open)
	RectLabels     []string
	VLines, HLines []float64
}

// Plots returns the standard views: CD45 vs SSC (all events, blast gate),
// CD34 vs CD38 (blasts), CD90 vs CD45RA (CD34+CD38-), CD123 vs CD45RA
// (CD34+CD38+), each when the panel has the markers.
func Plots(t *Template, c *Compiled, d *fcs.Dataset, comp string, pops []flow.Population) []Plot {
	return plots(t, c, d, comp, pops, flow.NewEvaluator(c.Strategy, d))
}

func plots(t *Template, c *Compiled, d *fcs.Dataset, comp string, pops []flow.Population, ev *flow.Evaluator) []Plot {
	in := map[string][]bool{}
	for _, p := range pops {
		in[p.ID] = p.In
	}
	axis := func(marker string) ([]float64, string, bool, bool) {
		ch, ok := c.Channels[marker]
		if !ok {
			if ch2, ok2 := FindChannel(d, marker); ok2 {
				ch, ok = ch2, true
			}
		}
		if !ok {
			return nil, "", false, false
		}
		linear := flow.IsScatter(ch)
		dim := flow.Dim{Name: ch, Comp: comp, Transform: "display"}
		if linear {
			dim = flow.Dim{Name: ch, Comp: "uncompensated"}
		}
		v, err := ev.Values(dim)
		if err != nil {
			return nil, "", false, false
		}
		label := marker + " (" + ch + ", logicle)"
		if linear {
			label = ch + " (linear)"
		}
		return v, label, linear, true
	}
	threshold := func(marker string) (float64, bool) {
		for _, g := range t.Gates {
			if g.Marker == marker {
				return g.Threshold, true
			}
		}
		return 0, false
	}
	var out []Plot
	view := func(title, xm, ym, pop string) {
		x, xl, xlin, ok1 := axis(xm)
		y, yl, ylin, ok2 := axis(ym)
		if !ok1 || !ok2 {
			return
		}
		p := Plot{Title: title, XLabel: xl, YLabel: yl}
		sel := in[pop]
		if pop != "" && sel == nil {
			return
		}
		for i := range x {
			if sel == nil || sel[i] {
				p.X, p.Y = append(p.X, x[i]), append(p.Y, y[i])
			}
		}
		p.XMin, p.XMax = axisRange(x, xlin)
		p.YMin, p.YMax = axisRange(y, ylin)
		for _, g := range t.Gates {
			if g.X == xm && g.Y == ym && g.Marker == "" {
				r := [4]float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}
				if g.XMin != nil {
					r[0] = *g.XMin
				}
				if g.XMax != nil {
					r[1] = *g.XMax
				}
				if g.YMin != nil {
					r[2] = *g.YMin
				}
				if g.YMax != nil {
					r[3] = *g.YMax
				}
				p.Rects = append(p.Rects, r)
				p.RectLabels = append(p.RectLabels, g.ID)
			}
		}
		if v, ok := threshold(xm); ok && !xlin {
			p.VLines = append(p.VLines, v)
		}
		if v, ok := threshold(ym); ok && !ylin {
			p.HLines = append(p.HLines, v)
		}
		out = append(out, p)
	}
	view("all events", "CD45", "SSC-A", "")
	view("blasts", "CD34", "CD38", "blasts")
	view("CD34+CD38-", "CD90", "CD45RA", "CD34+CD38-")
	view("CD34+CD38+", "CD123", "CD45RA", "CD34+CD38+")
	return out
}

// axisRange is 0-1 on a transformed axis (widened to the data's 0.1-99.9 %
// range when it spills over), and 0 to the 99.9 % point for a linear one.
func axisRange(v []float64, linear bool) (float64, float64) {
	if len(v) == 0 {
		return 0, 1
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	lo, hi := stats.Quantile7(s, 0.001), stats.Quantile7(s, 0.999)
	if linear {
		return math.Min(0, lo), math.Max(hi*1.05, 1)
	}
	return math.Min(0, lo), math.Max(1, hi)
}
