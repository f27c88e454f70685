package report

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"

	"github.com/lsc-bio/lsc/cart"
	"github.com/lsc-bio/lsc/plot"
)

// CartSamples writes samples.tsv of lsc cart: one row per sample.
func CartSamples(w io.Writer, r *cart.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "sample\tpatient\ttimepoint\tgroup\tcells\tcar_pos\tcar_fraction\tcar_lower95\tcar_upper95\tcd4\tcd4_car\tcd8\tcd8_car\treceptor_cells\tjoined\tjoin_rule\tclonotypes\tshannon\tnormalized_shannon\tshannon_cd4\tshannon_cd8\ttop_share\texpanded_share\tcar_clonotypes")
	for _, s := range r.Samples {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n",
			cell(s.Sample.Sample), cell(s.Patient), cell(s.Timepoint), cell(s.Group), s.Cells, s.CARPos, Num(s.CARFraction), Num(s.CARLo), Num(s.CARHi),
			s.CD4, s.CD4CAR, s.CD8, s.CD8CAR, s.ReceptorCells, s.Joined, s.JoinRule, s.Clonotypes, Num(s.Shannon), Num(s.NormShannon),
			Num(s.ShannonCD4), Num(s.ShannonCD8), Num(s.TopShare), Num(s.ExpandedShare), s.CARClones)
	}
	return bw.Flush()
}

// CartTests writes tests.tsv: per timepoint and metric the Wilcoxon
// rank-sum test between the two groups, BH-adjusted over all rows.
func CartTests(w io.Writer, r *cart.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "timepoint\tmetric\tgroup_a\tgroup_b\tn_a\tn_b\tmedian_a\tmedian_b\tW\tp\tp_adj_bh")
	for _, t := range r.Tests {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\n", cell(t.Timepoint), t.Metric, cell(t.GroupA), cell(t.GroupB), t.NA, t.NB,
			Num(t.MedianA), Num(t.MedianB), Num(t.W), Num(t.P), Num(t.PAdj))
	}
	return bw.Flush()
}

// CartClones writes car_clones.tsv: clonotypes holding CAR+ cells.
func CartClones(w io.Writer, r *cart.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "clone_id\tsample\tpatient\ttimepoint\tcells\tcar_pos\tvj_junction\tvdj_junction")
	for _, c := range r.CARClones {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", c.CloneID, cell(c.Sample), cell(c.Patient), cell(c.Timepoint), c.Cells, c.CARPos, cell(c.VJ), cell(c.VDJ))
	}
	return bw.Flush()
}

// CartExpansion writes expansion.tsv: clones followed between consecutive
// samples of each patient, Fisher's exact test, BH per sample pair.
func CartExpansion(w io.Writer, r *cart.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "patient\tfrom_sample\tto_sample\tfrom_timepoint\tto_timepoint\tclone_id\tcells_from\tcells_to\tfraction_from\tfraction_to\tlog2_fold_change\tp\tp_adj_bh\tcar_pos_to")
	for _, e := range r.Expansion {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%d\n", cell(e.Patient), cell(e.FromSample), cell(e.ToSample),
			cell(e.FromTimepoint), cell(e.ToTimepoint), e.CloneID, e.From, e.To, Num(e.FracFrom), Num(e.FracTo), Num(e.Log2FC), Num(e.P), Num(e.PAdj), e.CARPosTo)
	}
	return bw.Flush()
}

// CartMetricPlot draws one metric per sample as points by timepoint (x) and
// group (colour), patients joined by lines (each patient shifted a little
// sideways so that equal values stay visible).
func CartMetricPlot(r *cart.Result, metric, label string, percent bool) string {
	var tps []string
	pos := map[string]int{}
	hi := 0.0
	for i := range r.Samples {
		s := &r.Samples[i]
		if _, ok := pos[s.Timepoint]; !ok {
			pos[s.Timepoint] = len(tps)
			tps = append(tps, s.Timepoint)
		}
		if v := s.Value(metric); !math.IsNaN(v) {
			hi = math.Max(hi, v)
		}
	}
	scale := 1.0
	if percent {
		scale = 100
	}
	c := plot.NewCanvas(560, 340)
	c.Top = 34
	c.XMin, c.XMax = -0.5, float64(len(tps))-0.5
	ticks := plot.CoverTicks(0, math.Max(hi*scale, 1e-9), 5)
	c.YMin, c.YMax = 0, ticks[len(ticks)-1].V
	var xt []plot.Tick
	for i, tp := range tps {
		xt = append(xt, plot.Tick{V: float64(i), Label: tp})
	}
	c.Axes(xt, ticks, "timepoint", label)
	colour := map[string]string{}
	for i, g := range r.Groups {
		colour[g] = plot.Palette[i%len(plot.Palette)]
		x := c.Left + float64(i)*120
		c.Raw(`<circle cx="%s" cy="14" r="5" fill="%s"/><text x="%s" y="18" font-size="11">%s</text>`+"\n", plot.Px(x), colour[g], plot.Px(x+9), template.HTMLEscapeString(g))
	}
	byPatient := map[string][]int{}
	var patients []string
	for i := range r.Samples {
		p := r.Samples[i].Patient
		if _, ok := byPatient[p]; !ok {
			patients = append(patients, p)
		}
		byPatient[p] = append(byPatient[p], i)
	}
	sort.Strings(patients)
	for pi, p := range patients {
		// a small fixed offset per patient keeps equal values apart
		off := 0.0
		if len(patients) > 1 {
			off = (float64(pi)/float64(len(patients)-1) - 0.5) * 0.2
		}
		var xs, ys []float64
		var col string
		for _, i := range byPatient[p] {
			s := &r.Samples[i]
			v := s.Value(metric)
			if math.IsNaN(v) {
				continue
			}
			col = colour[s.Group]
			if col == "" {
				col = "#777"
			}
			xs, ys = append(xs, float64(pos[s.Timepoint])+off), append(ys, v*scale)
			c.Marker(float64(pos[s.Timepoint])+off, v*scale, "circle", col, fmt.Sprintf("%s (%s, %s): %.3g", s.Sample.Sample, p, s.Group, v*scale))
		}
		if len(xs) > 1 {
			c.Line(xs, ys, col, 1, "")
		}
	}
	return c.SVG()
}

// TopClonePlot follows, for each patient, the 5 largest clones of the
// patient's last sample across the patient's samples (share of the
// sample's cells with a clonotype), one small panel per patient.
func TopClonePlot(r *cart.Result) string {
	if r.Rep == nil {
		return ""
	}
	frac := map[[2]string]float64{}
	for _, cr := range r.Rep.CloneRows {
		frac[[2]string{cr.Sample, cr.ID}] = cr.Fraction
	}
	byPatient := map[string][]int{}
	var patients []string
	for i, s := range r.Samples {
		if s.Contigs == "" {
			continue
		}
		if _, ok := byPatient[s.Patient]; !ok {
			patients = append(patients, s.Patient)
		}
		byPatient[s.Patient] = append(byPatient[s.Patient], i)
	}
	var b []byte
	for _, p := range patients {
		idx := byPatient[p]
		last := r.Samples[idx[len(idx)-1]].Sample.Sample
		var top []string
		for _, cr := range r.Rep.CloneRows { // largest first within a sample
			if cr.Sample == last && len(top) < 5 {
				top = append(top, cr.ID)
			}
		}
		hi := 0.0
		for _, i := range idx {
			for _, id := range top {
				hi = math.Max(hi, frac[[2]string{r.Samples[i].Sample.Sample, id}])
			}
		}
		c := plot.NewCanvas(360, 260)
		c.Top = 28
		c.XMin, c.XMax = -0.3, float64(len(idx))-0.7
		ticks := plot.CoverTicks(0, math.Max(hi*100, 1), 4)
		c.YMin, c.YMax = 0, ticks[len(ticks)-1].V
		var xt []plot.Tick
		for k, i := range idx {
			xt = append(xt, plot.Tick{V: float64(k), Label: r.Samples[i].Timepoint})
		}
		c.Axes(xt, ticks, "", "cells in clone (%)")
		c.Raw(`<text x="%s" y="16" font-size="12" font-weight="bold">%s (%s): top clones of %s</text>`+"\n", plot.Px(c.Left), template.HTMLEscapeString(p),
			template.HTMLEscapeString(r.Samples[idx[0]].Group), template.HTMLEscapeString(last))
		for j, id := range top {
			var xs, ys []float64
			for k, i := range idx {
				v := frac[[2]string{r.Samples[i].Sample.Sample, id}] * 100
				xs, ys = append(xs, float64(k)), append(ys, v)
				c.Marker(float64(k), v, "circle", plot.Palette[j%len(plot.Palette)], fmt.Sprintf("clone %s at %s: %.2f%%", id, r.Samples[i].Timepoint, v))
			}
			c.Line(xs, ys, plot.Palette[j%len(plot.Palette)], 1.5, "")
		}
		b = append(b, c.SVG()...)
	}
	return string(b)
}

// CartMeta is what the HTML report says about the run.
type CartMeta struct{ Version, Sheet string }

var cartPage = template.Must(template.New("cart").Funcs(template.FuncMap{"num": sig4}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lsc cart</title><style>{{.CSS}}</style></head><body>
<h1>CAR-T study: CAR+ cells, clonality, responders</h1>
<p class="meta">lsc {{.Meta.Version}} · sheet {{.Meta.Sheet}} · groups {{range .R.Groups}}{{.}} {{end}}· CAR+ = summed CAR feature count above the threshold (Rade et al. 2024)</p>
{{if .CARPlot}}<h2>CAR+ cells over time</h2>{{.CARPlot}}{{end}}
<h2>Clonal diversity (Shannon, natural log)</h2>{{.ShannonPlot}}
{{if .TopPlot}}<h2>Top clones over time</h2><p class="meta">The five largest clones of each patient's last sample, followed back (hover a point for the clone id).</p>{{.TopPlot}}{{end}}
<h2>Group comparisons (Wilcoxon rank-sum, BH-adjusted)</h2>
<table><tr><th>timepoint</th><th>metric</th><th>n</th><th>median {{index .GA 0}}</th><th>median {{index .GA 1}}</th><th>W</th><th>p</th><th>p (BH)</th></tr>
{{range .R.Tests}}<tr><td>{{.Timepoint}}</td><td>{{.Metric}}</td><td>{{.NA}} vs {{.NB}}</td><td>{{num .MedianA}}</td><td>{{num .MedianB}}</td><td>{{num .W}}</td><td>{{num .P}}</td><td>{{num .PAdj}}</td></tr>{{end}}</table>
<h2>Samples</h2>
<table><tr><th>sample</th><th>patient</th><th>timepoint</th><th>group</th><th>cells</th><th>CAR+ (95% CI)</th><th>CD8 CAR+</th><th>CD4 CAR+</th><th>receptor cells joined</th><th>clonotypes</th><th>Shannon</th><th>top-10 share</th><th>CAR+ clonotypes</th></tr>
{{range .R.Samples}}<tr><td>{{.Sample.Sample}}</td><td>{{.Patient}}</td><td>{{.Timepoint}}</td><td>{{.Group}}</td><td>{{.Cells}}</td>{{if .Cells}}<td>{{.CARPos}} ({{num .CARFraction}}, {{num .CARLo}}-{{num .CARHi}})</td><td>{{.CD8CAR}}/{{.CD8}}</td><td>{{.CD4CAR}}/{{.CD4}}</td>{{else}}<td>-</td><td>-</td><td>-</td>{{end}}<td>{{.Joined}}/{{.ReceptorCells}} {{.JoinRule}}</td><td>{{.Clonotypes}}</td><td>{{num .Shannon}}</td><td>{{num .TopShare}}</td><td>{{.CARClones}}</td></tr>{{end}}</table>
</body></html>
`))

// CartHTML writes the self-contained study report.
func CartHTML(w io.Writer, r *cart.Result, m CartMeta) error {
	ga := append([]string(nil), r.Groups...)
	for len(ga) < 2 {
		ga = append(ga, "-")
	}
	car := ""
	for _, s := range r.Samples {
		if s.Cells > 0 {
			car = CartMetricPlot(r, "car_fraction", "CAR+ cells (%)", true)
			break
		}
	}
	return cartPage.Execute(w, map[string]any{"CSS": css(), "Meta": m, "R": r, "GA": ga,
		"CARPlot":     template.HTML(car),
		"ShannonPlot": template.HTML(CartMetricPlot(r, "shannon", "Shannon entropy of clonotypes", false)),
		"TopPlot":     template.HTML(TopClonePlot(r))})
}
