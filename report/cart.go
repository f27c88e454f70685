package report

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strings"
	"sync"

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
		c.Raw(`<circle cx="%s" cy="14" r="5" fill="%s"/><text x="%s" y="18" font-size="11">%s</text>`+"\n", plot.Px(x), colour[g], plot.Px(x+9), plot.Esc(g))
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

var cartPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("cart").Funcs(template.FuncMap{"num": sig4, "join": strings.Join}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lsc cart</title><style>{{.CSS}} svg{margin:4px 12px 12px 0;vertical-align:top}</style></head><body>
<h1>CAR-T study: CAR+ cells, T-cell states, clonality, responders</h1>
<p class="meta">lsc {{.Meta.Version}} · sheet {{.Meta.Sheet}} · groups {{range .R.Groups}}{{.}} {{end}}· CAR+ = summed CAR feature count above the threshold (Rade et al. 2024)</p>
{{if .CARPlot}}<h2>CAR+ cells over time</h2><p class="meta">Each point a sample, lines join a patient's samples; colour = group.</p>{{.CARPlot}}{{end}}
{{if .StatePlot}}<h2>T-cell states</h2><p class="meta">Each CD4/CD8 T cell takes the state whose signature scores highest ({{join .R.StateNames ", "}}; {{.StateMethod}}); "unassigned" when every score is 0. Signatures: <code>lsc signatures show NAME</code>.</p>{{.StatePlot}}{{end}}
{{if .CloneBars}}<h2>Clone sizes</h2><p class="meta">Receptor cells by the size of their clone in the sample (bins of Rade et al. 2024).</p>{{.CloneBars}}{{end}}
{{if .DivPlot}}<h2>Clonal diversity by group</h2><p class="meta">Shannon entropy (natural log) of clonotypes per sample; bar = group median.</p>{{.DivPlot}}{{end}}
{{if .Alluvial}}<h2>Top clones across timepoints</h2><p class="meta">Per patient, the largest clones (by their largest share in any sample) followed across the patient's samples; block and ribbon height = share of the sample's receptor cells.</p>{{.Alluvial}}{{end}}
{{if .PlasmaPlot}}<h2>Plasma-cell proteins before and after</h2><p class="meta">Per patient, mean CLR (Seurat, per cell) of each protein on cells labelled plasma cells; Wilcoxon signed-rank test, BH over proteins.</p>{{.PlasmaPlot}}
<table><tr><th>protein</th><th>pre</th><th>post</th><th>patients</th><th>median pre</th><th>median post</th><th>V</th><th>p</th><th>p (BH)</th></tr>
{{range .R.PlasmaTests}}<tr><td>{{.Protein}}</td><td>{{.Pre}}</td><td>{{.Post}}</td><td>{{len .Patients}}</td><td>{{num .MedianPre}}</td><td>{{num .MedianPost}}</td><td>{{num .V}}</td><td>{{num .P}}</td><td>{{num .PAdj}}</td></tr>{{end}}</table>{{end}}
<h2>Group comparisons (Wilcoxon rank-sum, BH-adjusted)</h2>
<table><tr><th>timepoint</th><th>metric</th><th>n</th><th>median {{index .GA 0}}</th><th>median {{index .GA 1}}</th><th>W</th><th>p</th><th>p (BH)</th></tr>
{{range .R.Tests}}<tr><td>{{.Timepoint}}</td><td>{{.Metric}}</td><td>{{.NA}} vs {{.NB}}</td><td>{{num .MedianA}}</td><td>{{num .MedianB}}</td><td>{{num .W}}</td><td>{{num .P}}</td><td>{{num .PAdj}}</td></tr>{{end}}</table>
{{if .R.Compositions}}<h2>Composition (propeller: limma moderated t or F, BH over clusters)</h2>
<table><tr><th>timepoint</th><th>composition</th><th>cluster</th><th>test</th><th>mean proportion per group</th><th>ratio</th><th>statistic</th><th>p</th><th>FDR</th></tr>
{{range $c := .R.Compositions}}{{range .Rows}}<tr><td>{{$c.Timepoint}}</td><td>{{$c.Name}} ({{$c.Transform}}{{if $c.Robust}}, robust{{end}})</td><td>{{.Cluster}}</td><td>{{$c.Test}} ({{join $c.Groups " vs "}})</td><td>{{range $i, $v := .PropMean}}{{if $i}} / {{end}}{{num $v}}{{end}}</td><td>{{num .PropRatio}}</td><td>{{num .Stat}}</td><td>{{num .P}}</td><td>{{num .FDR}}</td></tr>{{end}}{{end}}</table>{{end}}
<h2>Samples</h2>
<table><tr><th>sample</th><th>patient</th><th>timepoint</th><th>group</th><th>cells</th><th>CAR+ (95% CI)</th><th>CD8 CAR+</th><th>CD4 CAR+</th><th>receptor cells joined</th><th>clonotypes</th><th>Shannon</th><th>top-10 share</th><th>CAR+ clonotypes</th></tr>
{{range .R.Samples}}<tr><td>{{.Sample.Sample}}</td><td>{{.Patient}}</td><td>{{.Timepoint}}</td><td>{{.Group}}</td><td>{{.Cells}}</td>{{if .Cells}}<td>{{.CARPos}} ({{num .CARFraction}}, {{num .CARLo}}-{{num .CARHi}})</td><td>{{.CD8CAR}}/{{.CD8}}</td><td>{{.CD4CAR}}/{{.CD4}}</td>{{else}}<td>-</td><td>-</td><td>-</td>{{end}}<td>{{.Joined}}/{{.ReceptorCells}} {{.JoinRule}}</td><td>{{.Clonotypes}}</td><td>{{num .Shannon}}</td><td>{{num .TopShare}}</td><td>{{.CARClones}}</td></tr>{{end}}</table>
{{if .R.Notes}}<h2>Notes</h2><ul>{{range .R.Notes}}<li>{{.}}</li>{{end}}</ul>{{end}}
</body></html>
`))
})

// CartMeta is what the HTML report says about the run.
type CartMeta struct{ Version, Sheet, StateMethod string }

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
	method := m.StateMethod
	if method == "" {
		method = "ucell"
	}
	return cartPage().Execute(w, map[string]any{"CSS": css(), "Meta": m, "R": r, "GA": ga, "StateMethod": method,
		"CARPlot":    template.HTML(car),
		"StatePlot":  template.HTML(StateBars(r)),
		"CloneBars":  template.HTML(CloneSizeBars(r)),
		"DivPlot":    template.HTML(DiversityByGroup(r, "shannon", "Shannon entropy of clonotypes")),
		"Alluvial":   template.HTML(CartAlluvial(r)),
		"PlasmaPlot": template.HTML(PlasmaPlot(r))})
}
