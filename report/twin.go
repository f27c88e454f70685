package report

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"sync"

	"github.com/lsc-bio/lsc/plot"
	"github.com/lsc-bio/lsc/twin"
)

// TwinFits writes fits.tsv: patient, fraction/target, model, parameter,
// estimate, lower, upper, method. A series too short for any model has one
// row, parameter "status", with an empty estimate and "not estimable: ..."
// as its method: never a number.
func TwinFits(w io.Writer, r *twin.Report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "patient\tfraction/target\tmodel\tparameter\testimate\tlower\tupper\tmethod")
	for _, f := range r.Fits {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(f.Patient), cell(f.Series), f.Model, f.Parameter, Num(f.Estimate), Num(f.Lower), Num(f.Upper), cell(f.Method))
	}
	return bw.Flush()
}

// TwinResponse writes response.tsv (CAR-T kinetics vs response across
// patients): measure, estimate, lower, upper, method.
func TwinResponse(w io.Writer, r *twin.Report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "parameter\testimate\tlower\tupper\tmethod")
	for _, f := range r.Response {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\n", f.Parameter, Num(f.Estimate), Num(f.Lower), Num(f.Upper), cell(f.Method))
	}
	return bw.Flush()
}

// TwinProjections writes projections.tsv: patient, series, day, date,
// value, lower, upper, scenario. Days count from the series' day 0 (MRD) or
// the infusion (CAR-T, whose rows have no date).
func TwinProjections(w io.Writer, r *twin.Report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "patient\tseries\tday\tdate\tvalue\tlower\tupper\tscenario")
	for _, p := range r.Panels {
		for _, c := range p.Curve {
			d := ""
			if !p.Origin.IsZero() {
				d = date(twin.DateAt(p.Origin, c.Day))
			}
			fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(p.Patient), cell(p.Series), Num(c.Day), d, Num(c.Value), Num(c.Lower), Num(c.Upper), c.Scenario)
		}
	}
	return bw.Flush()
}

// TwinMeta describes the run for the report header.
type TwinMeta struct {
	Version, Data, Patients string
}

// TwinPlot draws one panel: observed values (open triangles at the limit for
// undetectable ones), the fitted curve with its 95% band, and the model
// projection dashed with a hatched band, labelled "model projection".
func TwinPlot(p twin.Panel) string {
	if len(p.Observed) == 0 {
		return ""
	}
	nproj := 0
	{
		seen := map[string]bool{}
		for _, q := range p.Curve {
			if q.Scenario != twin.ScenarioFitted && !seen[q.Scenario] {
				seen[q.Scenario] = true
				nproj++
			}
		}
	}
	extra := 18 * math.Max(0, float64(nproj-1)) // one legend row per further projection scenario
	c := plot.NewCanvas(760, 360+extra)
	c.Left, c.Right, c.Top, c.Bottom = 72, 40, 24, 66+extra
	c.LogY = true
	lo, hi := math.Inf(1), math.Inf(-1)
	xmin, xmax := math.Inf(1), math.Inf(-1)
	upd := func(x, y float64) {
		xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
		if y > 0 && !math.IsInf(y, 0) {
			lo, hi = math.Min(lo, y), math.Max(hi, y)
		}
	}
	for _, o := range p.Observed {
		upd(o.Day, o.Value)
	}
	for _, q := range p.Curve {
		upd(q.Day, q.Value)
	}
	for _, l := range p.Levels {
		upd(xmin, l.Value)
	}
	// Bands may reach far below any data: keep the axis within 3 decades of it.
	lo = math.Max(lo, hi*1e-8)
	pad := (xmax - xmin) * 0.02
	c.XMin, c.XMax = xmin-pad, xmax+pad
	c.YMin, c.YMax = math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi)))
	clamp := func(v float64) float64 { return math.Min(math.Max(v, c.YMin), c.YMax) }
	xl := "days from infusion"
	if !p.Origin.IsZero() {
		xl = "days from day 0 (" + p.Origin.Format("2006-01-02") + ")"
	}
	c.Axes(plot.CoverTicks(xmin, xmax, 8), plot.LogTicks(c.YMin, c.YMax), xl, p.YLabel)
	last := p.Observed[len(p.Observed)-1].Day
	// One band and line per scenario: the fit solid, each projection
	// scenario dashed (its own colour and dash) and hatched, labelled.
	type scen struct{ name, fill, dash, colour string }
	scens := []scen{{twin.ScenarioFitted, plot.Palette[0], "", plot.Palette[0]}}
	for _, q := range p.Curve {
		seen := false
		for _, s := range scens {
			seen = seen || s.name == q.Scenario
		}
		if !seen {
			k := len(scens)
			dash := "7 4"
			if k > 1 {
				dash = "2 3"
			}
			id := fmt.Sprintf("hatch%d", k)
			colour := plot.Palette[k%len(plot.Palette)]
			c.Raw(`<defs><pattern id="%s" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(%d)"><line x1="0" y1="0" x2="0" y2="6" stroke="%s" stroke-width="1.2" stroke-opacity="0.35"/></pattern></defs>`+"\n", id, 45*(2*k-1), colour)
			scens = append(scens, scen{q.Scenario, "url(#" + id + ")", dash, colour})
		}
	}
	for k, sc := range scens {
		var pts []twin.Point
		for _, q := range p.Curve {
			if q.Scenario == sc.name {
				pts = append(pts, q)
			}
		}
		if len(pts) < 2 {
			continue
		}
		var poly []string
		for _, q := range pts {
			poly = append(poly, plot.Px(c.X(q.Day))+","+plot.Px(c.Y(clamp(q.Upper))))
		}
		for i := len(pts) - 1; i >= 0; i-- {
			poly = append(poly, plot.Px(c.X(pts[i].Day))+","+plot.Px(c.Y(clamp(pts[i].Lower))))
		}
		op := ` fill-opacity="0.15"`
		stroke := ""
		if sc.name != twin.ScenarioFitted {
			op = ""
			stroke = fmt.Sprintf(` stroke="%s" stroke-dasharray="3 3" stroke-width="0.8"`, sc.colour)
		}
		c.Raw(`<polygon points="%s" fill="%s"%s%s/>`+"\n", strings.Join(poly, " "), sc.fill, op, stroke)
		xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
		for i, q := range pts {
			xs[i], ys[i] = q.Day, clamp(q.Value)
		}
		c.Line(xs, ys, sc.colour, 2, sc.dash)
		if sc.name != twin.ScenarioFitted {
			label := "model projection"
			if len(scens) > 2 {
				label = sc.name
			}
			at := pts[len(pts)*k/(len(scens))]
			x := math.Min(math.Max(c.X(at.Day), c.Left+3.5*float64(len(label))), c.W-c.Right-3.5*float64(len(label)))
			c.Raw(`<text x="%s" y="%s" font-size="12" font-weight="bold" fill="%s" text-anchor="middle">%s</text>`+"\n",
				plot.Px(x), plot.Px(math.Max(c.Y(clamp(at.Upper))-6, c.Top+10+14*float64(k))), sc.colour, plot.Esc(label))
		}
	}
	if len(p.Curve) > 0 {
		c.VLine(last, "#777", "last sample")
	}
	for _, l := range p.Levels {
		if l.Value >= c.YMin && l.Value <= c.YMax {
			c.HLine(l.Value, "#999", "4 3", l.Name)
		}
	}
	for _, o := range p.Observed {
		if o.Censored {
			c.Marker(o.Day, o.Value, "down", "#000", fmt.Sprintf("day %s: undetectable, limit %s", Num(o.Day), Num(round6(o.Value))))
		} else {
			c.Marker(o.Day, o.Value, "circle", "#000", fmt.Sprintf("day %s: %s", Num(o.Day), Num(round6(o.Value))))
		}
	}
	// Legend in one row under the x-axis label.
	ly := c.H - 10 - extra
	lx := c.Left
	c.Raw(`<circle cx="%s" cy="%s" r="3.5" fill="#000"/><text x="%s" y="%s" font-size="11">measured</text>`+"\n", plot.Px(lx+4), plot.Px(ly-4), plot.Px(lx+12), plot.Px(ly))
	lx += 80
	c.Raw(`<path d="M%s %sL%s %sL%s %sZ" fill="white" stroke="#000" stroke-width="1.5"/><text x="%s" y="%s" font-size="11">undetectable (at its limit)</text>`+"\n",
		plot.Px(lx-0.5), plot.Px(ly-8), plot.Px(lx+8.5), plot.Px(ly-8), plot.Px(lx+4), plot.Px(ly), plot.Px(lx+14), plot.Px(ly))
	lx += 165
	if len(p.Curve) == 0 {
		return c.SVG()
	}
	c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="2"/><text x="%s" y="%s" font-size="11">fitted, 95%% band</text>`+"\n",
		plot.Px(lx), plot.Px(lx+18), plot.Px(ly-4), plot.Px(ly-4), plot.Palette[0], plot.Px(lx+22), plot.Px(ly))
	lx += 120
	for _, sc := range scens[1:] {
		label := "model projection (research model), 95% band"
		if len(scens) > 2 {
			label = sc.name + ", 95% band"
		}
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="2" stroke-dasharray="%s"/><text x="%s" y="%s" font-size="11">%s</text>`+"\n",
			plot.Px(lx), plot.Px(lx+18), plot.Px(ly-4), plot.Px(ly-4), sc.colour, sc.dash, plot.Px(lx+22), plot.Px(ly), plot.Esc(label))
		lx += 26 + 5.6*float64(len(label))
		if lx > c.W-300 { // next scenario on its own row
			lx, ly = c.Left, ly+18
		}
	}
	return c.SVG()
}

type twinPanelView struct {
	P   twin.Panel
	SVG template.HTML
}

// TwinHTML writes the self-contained patient-twin report.
func TwinHTML(w io.Writer, r *twin.Report, meta TwinMeta) error {
	var views []twinPanelView
	for _, p := range r.Panels {
		views = append(views, twinPanelView{P: p, SVG: template.HTML(TwinPlot(p))})
	}
	return twinTmpl().Execute(w, map[string]any{"R": r, "Meta": meta, "Panels": views, "CSS": css(), "Disclaimer": twin.Disclaimer})
}

var twinTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("twin").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>lsc patient twin ({{.R.Model}})</title><style>{{.CSS}}
.disclaimer{border:2px solid #D55E00;background:#fff6ef;padding:8px 12px;margin:10px 0}</style></head><body>
<h1>Patient twin: {{.R.Model}} model</h1>
<p class="meta">lsc {{.Meta.Version}} · data {{.Meta.Data}}{{if .Meta.Patients}} · patients {{.Meta.Patients}}{{end}} · {{len .Panels}} series</p>
<p class="disclaimer"><b>Research model.</b> {{.Disclaimer}}</p>
<h2>Assumptions</h2><ul class="rules">{{range .R.Assumptions}}<li>{{.}}</li>{{end}}</ul>
{{range .Panels}}
<h2>{{.P.Patient}} · {{.P.Series}}</h2>
{{.SVG}}
<ul class="rules">{{range .P.Lines}}<li>{{.}}</li>{{end}}</ul>
{{end}}
<p class="meta">Dashed curves and hatched bands beyond the last sample are model projections with pointwise profile-likelihood 95% intervals; they are not measurements.</p>
</body></html>
`))
})
