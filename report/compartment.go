package report

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/lsc-bio/lsc/flow/compartment"
)

// CompartmentSample is one sample's compartment measurement, for output.
type CompartmentSample struct {
	Sample, Patient, Timepoint, Path string
	Events                           int
	Counts                           []compartment.Count
	Plots                            []compartment.Plot
	Missing, Warnings                []string
	Channels                         map[string]string
}

// CompartmentTSV writes compartments.tsv: one row per sample and
// compartment with counts, frequencies and Clopper-Pearson 95 % intervals,
// and the reason a compartment is not measured.
func CompartmentTSV(w io.Writer, rows []CompartmentSample) error {
	bw := bufio.NewWriter(w)
	cols := []string{"sample", "patient", "timepoint", "compartment", "population", "measured", "count"}
	for _, of := range []string{"parent", "CD34+", "blasts", "all"} {
		k := strings.TrimSuffix(strings.ToLower(of), "+")
		if of == "CD34+" {
			k = "cd34"
		}
		cols = append(cols, "pct_of_"+k, "pct_of_"+k+"_lower95", "pct_of_"+k+"_upper95")
	}
	cols = append(cols, "reason")
	fmt.Fprintln(bw, strings.Join(cols, "\t"))
	for _, s := range rows {
		for _, c := range s.Counts {
			rec := []string{cell(s.Sample), cell(s.Patient), cell(s.Timepoint), cell(c.ID), cell(c.Path), yesNo(c.Measured), ""}
			if c.Measured {
				rec[6] = fmt.Sprint(c.Count)
			}
			for _, of := range []string{"parent", "CD34+", "blasts", "all"} {
				f, ok := c.Of[of]
				if !ok {
					rec = append(rec, "", "", "")
					continue
				}
				rec = append(rec, Num(f.Percent), Num(f.Lower), Num(f.Upper))
			}
			rec = append(rec, cell(c.Reason))
			fmt.Fprintln(bw, strings.Join(rec, "\t"))
		}
	}
	return bw.Flush()
}

// CompartmentReport is what report.html shows besides the samples: the
// template's name, the lsc version and cautions on its thresholds.
type CompartmentReport struct {
	Template, Version string
	Cautions          []string
}

// CompartmentHTML writes the self-contained compartment report.
func CompartmentHTML(w io.Writer, rows []CompartmentSample, run CompartmentReport) error {
	type view struct {
		S     CompartmentSample
		Plots []template.HTML
	}
	var views []view
	for _, s := range rows {
		v := view{S: s}
		for _, p := range s.Plots {
			dp := DensityPlot{Title: p.Title, XLabel: p.XLabel, YLabel: p.YLabel, X: p.X, Y: p.Y, XMin: p.XMin, XMax: p.XMax, YMin: p.YMin, YMax: p.YMax,
				VLines: p.VLines, HLines: p.HLines}
			for i, r := range p.Rects {
				dp.Rects = append(dp.Rects, Rect{r[0], r[1], r[2], r[3], p.RectLabels[i]})
			}
			v.Plots = append(v.Plots, template.HTML(dp.SVG()))
		}
		views = append(views, v)
	}
	return compTmpl.Execute(w, map[string]any{"Views": views, "Template": run.Template, "Version": run.Version, "Cautions": run.Cautions, "CSS": css()})
}

var compTmpl = template.Must(template.New("comp").Funcs(template.FuncMap{
	"pct": func(c compartment.Count, of string) string {
		f, ok := c.Of[of]
		if !ok || math.IsNaN(f.Percent) {
			return ""
		}
		return fmt.Sprintf("%.3g (%.3g–%.3g)", f.Percent, f.Lower, f.Upper)
	},
	"join": strings.Join,
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>lsc stem-cell compartments</title><style>{{.CSS}}
.plots{display:flex;flex-wrap:wrap;gap:6px}.caution{background:#fff4d6;border-left:4px solid #E69F00;padding:6px 10px}</style></head><body>
<h1>Stem-cell compartments by flow cytometry</h1>
<p class="meta">lsc {{.Version}} · template {{.Template}} · frequencies in % with Clopper-Pearson 95% intervals</p>
{{range .Cautions}}<p class="caution"><b>Caution:</b> {{.}}</p>
{{end}}{{range .Views}}
<h2>{{.S.Sample}}{{if .S.Patient}} · {{.S.Patient}} · {{.S.Timepoint}}{{end}}</h2>
<p class="meta">{{.S.Path}} · {{.S.Events}} events{{if .S.Missing}} · markers not in this panel: {{join .S.Missing ", "}}{{end}}</p>
{{range .S.Warnings}}<p class="meta">warning: {{.}}</p>{{end}}
<div class="plots">{{range .Plots}}{{.}}{{end}}</div>
<table><tr><th>compartment</th><th>events</th><th>% of parent</th><th>% of CD34+</th><th>% of blasts</th><th>% of all</th></tr>
{{range .S.Counts}}<tr><td>{{.ID}}</td>{{if .Measured}}<td>{{.Count}}</td><td>{{pct . "parent"}}</td><td>{{pct . "CD34+"}}</td><td>{{pct . "blasts"}}</td><td>{{pct . "all"}}</td>{{else}}<td colspan="5" class="meta">not measured: {{.Reason}}</td>{{end}}</tr>
{{end}}</table>
{{end}}
</body></html>
`))
