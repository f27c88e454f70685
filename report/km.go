package report

import (
	"github.com/lsc-bio/lsc/plot"

	"fmt"
	"math"
	"strconv"

	"github.com/lsc-bio/lsc/clinical"
)

// KMPlotOptions control a Kaplan-Meier figure.
type KMPlotOptions struct {
	Title     string
	TimeLabel string    // x axis label with the unit, e.g. "overall survival (days)"
	Bands     bool      // draw confidence bands
	AtRisk    []float64 // times for the numbers-at-risk table; nil = axis ticks
	// PLines replace the "log-rank p = ..." line beside the legend (e.g. a
	// maximally selected p and the unadjusted one, each labelled).
	PLines []string
}

// KMPlot draws step curves with censor marks, optional confidence bands, the
// log-rank p value beside the legend and a numbers-at-risk table under the
// axis: a header row with the times, then one row per group.
func KMPlot(r *clinical.KMResult, o KMPlotOptions) string {
	nStrata := len(r.Strata)
	tableH := 40 + 16*float64(nStrata)
	c := plot.NewCanvas(800, 400+tableH)
	c.Left, c.Right, c.Top, c.Bottom = 110, 240, 30, 56+tableH
	var tmax float64
	for _, s := range r.Strata {
		for _, row := range s.Rows {
			tmax = math.Max(tmax, row.Time)
		}
	}
	if tmax == 0 {
		tmax = 1
	}
	ticks := plot.NiceTicks(0, tmax, 6)
	c.XMin, c.XMax = 0, math.Max(tmax, ticks[len(ticks)-1].V)
	c.YMin, c.YMax = 0, 1
	xl := o.TimeLabel
	if xl == "" {
		xl = "time"
	}
	c.Axes(ticks, plot.NiceTicks(0, 1, 5), xl, "survival probability")
	if o.Title != "" {
		c.Raw(`<text x="%s" y="18" font-size="14" font-weight="bold">%s</text>`+"\n", plot.Px(c.Left), plot.Esc(o.Title))
	}
	for g, s := range r.Strata {
		col := plot.Palette[g%len(plot.Palette)]
		kmCurve(c, s, col, o.Bands)
		label := fmt.Sprintf("%s (n=%d, %d events)", s.Name, s.N, s.Events)
		ly := c.Top + 12 + float64(g)*16
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="2"/><text x="%s" y="%s" font-size="11">%s</text>`+"\n",
			plot.Px(c.W-c.Right+8), plot.Px(c.W-c.Right+24), plot.Px(ly), plot.Px(ly), col, plot.Px(c.W-c.Right+28), plot.Px(ly+4), plot.Esc(label))
	}
	pl := o.PLines
	if pl == nil && r.LogRank != nil {
		pl = []string{"log-rank p = " + FormatP(r.LogRank.P)}
	}
	for i, line := range pl {
		y := c.Top + 12 + float64(nStrata)*16 + 14 + float64(i)*15
		c.Raw(`<text x="%s" y="%s" font-size="12">%s</text>`+"\n", plot.Px(c.W-c.Right+8), plot.Px(y), plot.Esc(line))
	}
	atRiskTable(c, r, o.AtRisk, ticks, tableH)
	return c.SVG()
}

// atRiskTable writes the numbers at risk under the axis: a header row with
// the times, then a row per group, each number under its time. Times that
// are not axis ticks get a tick mark of their own; when they lie too close
// together for their numbers, the columns are spaced evenly instead.
func atRiskTable(c *plot.Canvas, r *clinical.KMResult, times []float64, ticks []plot.Tick, tableH float64) {
	own := times != nil
	if !own {
		for _, tk := range ticks {
			times = append(times, tk.V)
		}
	}
	xs := make([]float64, len(times))
	even := false
	for j, t := range times {
		xs[j] = c.X(t)
		if j > 0 && xs[j]-xs[j-1] < 30 {
			even = true
		}
	}
	if even {
		for j := range xs {
			xs[j] = c.Left + 8 + 44*float64(j)
		}
	} else if own {
		axis := c.H - c.Bottom
		for _, x := range xs {
			c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#333" stroke-width="2"/>`+"\n", plot.Px(x), plot.Px(x), plot.Px(axis-5), plot.Px(axis))
		}
	}
	base := c.H - tableH + 6
	c.Raw(`<text x="%s" y="%s" font-size="11" font-weight="bold">Number at risk</text>`+"\n", plot.Px(8), plot.Px(base))
	head := base + 16
	c.Raw(`<text x="%s" y="%s" font-size="11" fill="#555">time</text>`+"\n", plot.Px(8), plot.Px(head))
	for j, t := range times {
		c.Raw(`<text x="%s" y="%s" font-size="11" fill="#555" text-anchor="middle">%s</text>`+"\n", plot.Px(xs[j]), plot.Px(head), plot.Esc(Num(t)))
	}
	c.Raw(`<line x1="8" x2="%s" y1="%s" y2="%s" stroke="#ccc"/>`+"\n", plot.Px(c.W-c.Right), plot.Px(head+4), plot.Px(head+4))
	for g, s := range r.Strata {
		y := head + 16*float64(g+1)
		c.Raw(`<text x="%s" y="%s" font-size="11" fill="%s">%s</text>`+"\n", plot.Px(8), plot.Px(y), plot.Palette[g%len(plot.Palette)], plot.Esc(trunc(s.Name, 16)))
		for j, n := range s.AtRisk(times) {
			c.Raw(`<text x="%s" y="%s" font-size="11" text-anchor="middle">%d</text>`+"\n", plot.Px(xs[j]), plot.Px(y), n)
		}
	}
}

// FormatP prints a p value with 3 significant digits, or "< 1e-16".
func FormatP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "NA"
	case p < 1e-16:
		return "< 1e-16"
	}
	return strconv.FormatFloat(p, 'g', 3, 64)
}

func trunc(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// kmCurve draws one stratum: the confidence band (a step polygon, upper
// forward and lower backward) when asked, the step curve, censor marks.
func kmCurve(c *plot.Canvas, s clinical.Stratum, col string, bands bool) {
	if bands {
		// Band as a step polygon: upper forward, lower backward.
		var up, lo [][2]float64
		pu, pl := 1.0, 1.0
		prevT := 0.0
		for _, row := range s.Rows {
			if math.IsNaN(row.Upper) || math.IsNaN(row.Lower) {
				break
			}
			up = append(up, [2]float64{prevT, pu}, [2]float64{row.Time, pu})
			lo = append(lo, [2]float64{prevT, pl}, [2]float64{row.Time, pl})
			pu, pl, prevT = row.Upper, row.Lower, row.Time
		}
		up = append(up, [2]float64{prevT, pu})
		lo = append(lo, [2]float64{prevT, pl})
		d := ""
		for i, p := range up {
			cmd := "L"
			if i == 0 {
				cmd = "M"
			}
			d += cmd + plot.Px(c.X(p[0])) + " " + plot.Px(c.Y(p[1]))
		}
		for i := len(lo) - 1; i >= 0; i-- {
			d += "L" + plot.Px(c.X(lo[i][0])) + " " + plot.Px(c.Y(lo[i][1]))
		}
		c.Raw(`<path d="%sZ" fill="%s" fill-opacity="0.15" stroke="none"/>`+"\n", d, col)
	}
	d := "M" + plot.Px(c.X(0)) + " " + plot.Px(c.Y(1))
	prev := 1.0
	for _, row := range s.Rows {
		d += "H" + plot.Px(c.X(row.Time))
		if row.Surv != prev {
			d += "V" + plot.Px(c.Y(row.Surv))
			prev = row.Surv
		}
	}
	c.Raw(`<path d="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", d, col)
	for _, row := range s.Rows {
		if row.NCensor > 0 {
			c.Marker(row.Time, row.Surv, "plus", col, fmt.Sprintf("%s: %d censored at %s", s.Name, row.NCensor, Num(row.Time)))
		}
	}
}
