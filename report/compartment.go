package report

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"sync"

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

// CompartmentSampleFiles returns the page of each sample of rows, relative
// to report.html: samples/ID.html, named as MRDPatientFiles names patient
// pages (unsafe characters replaced, a short hash of the identifier added
// when the name changed or would clash, also by case only).
func CompartmentSampleFiles(rows []CompartmentSample) []string {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.Sample
	}
	return pageFiles("samples/", ids)
}

// compColumn is one compartment of the summary table.
type compColumn struct{ ID, Path string }

// compSummaryRow is one sample of the summary table: a cell per column.
type compSummaryRow struct {
	S     CompartmentSample
	File  string
	Cells []compSummaryCell
}

type compSummaryCell struct {
	Measured bool
	Count    int
	Pct      string
	Reason   string
}

// CompartmentHTML writes the summary page of the compartment report
// (report.html): the run, its cautions, and one row per sample with each
// compartment's count and % of parent, linking to the sample's page
// (CompartmentSampleHTML at the path CompartmentSampleFiles gives). It
// holds no plots, so its size grows with samples x compartments only.
func CompartmentHTML(w io.Writer, rows []CompartmentSample, run CompartmentReport) error {
	files := CompartmentSampleFiles(rows)
	// Columns: the compartments measured in at least one sample, in
	// template order; the others are listed once with the first reason.
	var all []compColumn
	measured, reason := map[string]bool{}, map[string]string{}
	for _, r := range rows {
		for _, c := range r.Counts {
			if _, ok := reason[c.ID]; !ok {
				all = append(all, compColumn{c.ID, c.Path})
				reason[c.ID] = c.Reason
			}
			measured[c.ID] = measured[c.ID] || c.Measured
		}
	}
	var cols []compColumn
	var never []string
	seen := map[string]int{}
	for _, c := range all {
		if measured[c.ID] {
			seen[c.ID] = len(cols)
			cols = append(cols, c)
		} else {
			never = append(never, c.ID+" ("+reason[c.ID]+")")
		}
	}
	views := make([]compSummaryRow, len(rows))
	for i, r := range rows {
		v := compSummaryRow{S: r, File: files[i], Cells: make([]compSummaryCell, len(cols))}
		for j := range v.Cells {
			v.Cells[j].Reason = "not in the template for this sample"
		}
		for _, c := range r.Counts {
			if !measured[c.ID] {
				continue
			}
			cell := compSummaryCell{Measured: c.Measured, Count: c.Count, Reason: c.Reason}
			if f, ok := c.Of["parent"]; ok && !math.IsNaN(f.Percent) {
				cell.Pct = fmt.Sprintf("%.3g", f.Percent)
			}
			v.Cells[seen[c.ID]] = cell
		}
		views[i] = v
	}
	return compSummaryTmpl().Execute(w, map[string]any{"Rows": views, "Cols": cols, "Never": never, "Template": run.Template, "Version": run.Version,
		"Cautions": run.Cautions, "CSS": css()})
}

// CompartmentSampleHTML writes the page of sample i of rows: its density
// plots with the gates and every compartment's frequencies with intervals.
// It links back to ../report.html.
func CompartmentSampleHTML(w io.Writer, rows []CompartmentSample, i int, run CompartmentReport) error {
	s := rows[i]
	var plots []template.HTML
	for _, p := range s.Plots {
		dp := DensityPlot{Title: p.Title, XLabel: p.XLabel, YLabel: p.YLabel, X: p.X, Y: p.Y, XMin: p.XMin, XMax: p.XMax, YMin: p.YMin, YMax: p.YMax,
			VLines: p.VLines, HLines: p.HLines}
		for i, r := range p.Rects {
			dp.Rects = append(dp.Rects, Rect{r[0], r[1], r[2], r[3], p.RectLabels[i]})
		}
		plots = append(plots, template.HTML(dp.SVG()))
	}
	return compSampleTmpl().Execute(w, map[string]any{"S": s, "Plots": plots, "Template": run.Template, "Version": run.Version,
		"Cautions": run.Cautions, "CSS": css()})
}

var compFuncs = template.FuncMap{
	"pct": func(c compartment.Count, of string) string {
		f, ok := c.Of[of]
		if !ok || math.IsNaN(f.Percent) {
			return ""
		}
		return fmt.Sprintf("%.3g (%.3g–%.3g)", f.Percent, f.Lower, f.Upper)
	},
	"join": strings.Join,
}

const compHead = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title><style>{{.CSS}}
.plots{display:flex;flex-wrap:wrap;gap:6px}.caution{background:#fff4d6;border-left:4px solid #E69F00;padding:6px 10px}</style></head><body>
`

const compCautions = `{{range .Cautions}}<p class="caution"><b>Caution:</b> {{.}}</p>
{{end}}`

var compSummaryTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("comp").Funcs(compFuncs).Parse(
		strings.Replace(compHead, "{{.Title}}", "lsc stem-cell compartments", 1) + `<h1>Stem-cell compartments by flow cytometry</h1>
<p class="meta">lsc {{.Version}} · template {{.Template}} · {{len .Rows}} sample(s) · events and % of parent per compartment; each sample's page (linked) has its density plots with the gates and the % of parent, of CD34+, of blasts and of all events with Clopper-Pearson 95% intervals</p>
` + compCautions + `<h2>Samples</h2>
<p class="meta">Each compartment cell: events · % of parent.{{if .Never}} Not measured in any sample: {{join .Never "; "}}.{{end}}</p>
<table><tr><th>sample</th><th>patient</th><th>timepoint</th><th>events</th>{{range .Cols}}<th title="{{.Path}}">{{.ID}}</th>{{end}}<th>notes</th></tr>
{{range .Rows}}<tr><td><a href="{{.File}}">{{.S.Sample}}</a></td><td>{{.S.Patient}}</td><td>{{.S.Timepoint}}</td><td>{{.S.Events}}</td>
{{range .Cells}}{{if .Measured}}<td>{{.Count}} · {{.Pct}}</td>{{else}}<td class="meta" title="{{.Reason}}">not measured</td>{{end}}{{end}}
<td class="meta">{{if .S.Missing}}markers not in this panel: {{join .S.Missing ", "}}{{end}}{{if .S.Warnings}}{{if .S.Missing}}; {{end}}{{len .S.Warnings}} warning(s){{end}}</td></tr>
{{end}}</table>
</body></html>
`))
})

var compSampleTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("compSample").Funcs(compFuncs).Parse(
		strings.Replace(compHead, "{{.Title}}", "{{.S.Sample}} · lsc stem-cell compartments", 1) + `<p class="meta"><a href="../report.html">← all samples</a> · lsc {{.Version}} · template {{.Template}} · frequencies in % with Clopper-Pearson 95% intervals</p>
` + compCautions + `{{with .S}}<h1>{{.Sample}}{{if .Patient}} · {{.Patient}} · {{.Timepoint}}{{end}}</h1>
<p class="meta">{{.Path}} · {{.Events}} events{{if .Missing}} · markers not in this panel: {{join .Missing ", "}}{{end}}</p>
{{range .Warnings}}<p class="meta">warning: {{.}}</p>{{end}}{{end}}
<div class="plots">{{range .Plots}}{{.}}{{end}}</div>
<table><tr><th>compartment</th><th>events</th><th>% of parent</th><th>% of CD34+</th><th>% of blasts</th><th>% of all</th></tr>
{{range .S.Counts}}<tr><td>{{.ID}}</td>{{if .Measured}}<td>{{.Count}}</td><td>{{pct . "parent"}}</td><td>{{pct . "CD34+"}}</td><td>{{pct . "blasts"}}</td><td>{{pct . "all"}}</td>{{else}}<td colspan="5" class="meta">not measured: {{.Reason}}</td>{{end}}</tr>
{{end}}</table>
</body></html>
`))
})
