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
	lo, hi := quantile7(s, 0.001), quantile7(s, 0.999)
	if linear {
		return math.Min(0, lo), math.Max(hi*1.05, 1)
	}
	return math.Min(0, lo), math.Max(1, hi)
}

// quantile7 is stats.Quantile7 of v's values in sorted order, found by
// selection instead of a sort (v is reordered; the same two order statistics
// and the same arithmetic, so the same value). With a NaN it sorts, as
// sort.Float64s orders NaN first.
func quantile7(v []float64, q float64) float64 {
	n := len(v)
	for _, x := range v {
		if math.IsNaN(x) {
			sort.Float64s(v)
			return stats.Quantile7(v, q)
		}
	}
	if n == 0 {
		return math.NaN()
	}
	i, hi, h := stats.Quantile7Index(n, q)
	a := selectKth(v, i)
	if hi == i {
		return a
	}
	b := v[i+1] // after selection every value right of i is >= a: the next order statistic is their minimum
	for _, x := range v[i+2:] {
		if x < b {
			b = x
		}
	}
	return stats.Quantile7Of(a, b, h)
}

// selectKth reorders v so that v[k] holds its k-th smallest value (0-based),
// smaller ones left of it and larger or equal ones right, and returns it:
// quickselect with a median-of-three pivot and a three-way partition (ties
// are common on a clipped display scale); a sort after 64 rounds bounds the
// worst case.
func selectKth(v []float64, k int) float64 {
	lo, hi := 0, len(v)-1
	for round := 0; lo < hi; round++ {
		if round == 64 {
			sort.Float64s(v[lo : hi+1])
			return v[k]
		}
		a, b, c := v[lo], v[lo+(hi-lo)/2], v[hi]
		p := math.Max(math.Min(a, b), math.Min(math.Max(a, b), c))
		lt, i, gt := lo, lo, hi
		for i <= gt {
			switch {
			case v[i] < p:
				v[lt], v[i] = v[i], v[lt]
				lt++
				i++
			case v[i] > p:
				v[i], v[gt] = v[gt], v[i]
				gt--
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt - 1
		case k > gt:
			lo = gt + 1
		default:
			return p
		}
	}
	return v[k]
}
