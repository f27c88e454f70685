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
	"github.com/lsc-bio/lsc/stats"
	"github.com/lsc-bio/lsc/stemcell"
)

// StemCells writes cells.tsv: sample, cell, score, stem_like (and cell_type,
// counted). Only cells counted for burden are "yes"/"no" in stem_like; the
// others are empty.
func StemCells(w io.Writer, r *stemcell.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "sample\tcell\tscore\tstem_like\tcell_type\tcounted")
	for _, c := range r.Cells {
		st := ""
		if c.Kept {
			st = yesNo(c.StemLike)
		}
		v := Num(c.Score)
		if c.Float32 {
			v = Num32(c.Score)
		}
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%s\n", cell(c.Sample), cell(c.Cell), v, st, cell(c.Type), yesNo(c.Kept))
	}
	return bw.Flush()
}

// StemSamples writes samples.tsv.
func StemSamples(w io.Writer, r *stemcell.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "sample\tpatient\ttimepoint\tn_cells\tn_stem_like\tfraction\tlower95\tupper95\trisk_group")
	for _, b := range r.Burdens {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", cell(b.Sample), cell(b.Patient), cell(b.Timepoint), b.N, b.NStem, Num(b.Fraction), Num(b.CI.Lower), Num(b.CI.Upper), b.Risk)
	}
	return bw.Flush()
}

// StemPatients writes patients.tsv: per patient the fraction at each
// timepoint and the diagnosis-to-relapse change.
func StemPatients(w io.Writer, r *stemcell.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "patient\toutcome\tfractions\tdiagnosis_fraction\trelapse_fraction\tfold_change\tfold_lower95\tfold_upper95\tbootstrap\tprop_test_chisq\tprop_test_p\texpanded")
	for _, p := range r.Patients {
		var fr string
		for i, b := range p.Burdens {
			if i > 0 {
				fr += "; "
			}
			fr += b.Timepoint + "=" + Num(b.Fraction)
		}
		if p.Change == nil {
			dx := ""
			if p.Diagnosis != nil {
				dx = Num(p.Diagnosis.Fraction)
			}
			fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t\t\t\t\t\t\t\t\n", cell(p.ID), cell(p.Outcome), cell(fr), dx)
			continue
		}
		c := p.Change
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", cell(p.ID), cell(p.Outcome), cell(fr), Num(c.From.Fraction), Num(c.To.Fraction),
			Num(c.FoldChange), Num(c.FoldCI.Lower), Num(c.FoldCI.Upper), c.Bootstrap, Num(c.PropTest.Stat), Num(c.PropTest.P), yesNo(c.Expanded))
	}
	return bw.Flush()
}

// StemCohort writes cohort.tsv: the diagnosis-fraction comparison.
func StemCohort(w io.Writer, r *stemcell.Result) error {
	bw := bufio.NewWriter(w)
	c := r.Cohort
	fmt.Fprintln(bw, "n_relapse\tn_no_relapse\tmedian_relapse\tmedian_no_relapse\tmann_whitney_w\tp\texact\tauc\tauc_lower95\tauc_upper95")
	fmt.Fprintf(bw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", len(c.Relapse), len(c.NoRelapse), Num(stats.Median(c.Relapse)), Num(stats.Median(c.NoRelapse)),
		Num(c.MannWhitney.W), Num(c.MannWhitney.P), yesNo(c.MannWhitney.Exact), Num(c.ROC.AUC), Num(c.ROC.CI.Lower), Num(c.ROC.CI.Upper))
	return bw.Flush()
}

// ScoreHistograms draws one histogram of counted-cell scores per sample on a
// shared score axis, each with its own count axis, bins aligned on the
// threshold (bars below it blue, at or above it orange, as the legend says),
// the threshold as a dashed line, and samples without counted cells
// explained by the cell types they have.
func ScoreHistograms(r *stemcell.Result, m StemMeta) string {
	var samples []string
	by := map[string][]float64{}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range r.Cells {
		if _, ok := by[c.Sample]; !ok {
			samples = append(samples, c.Sample)
			by[c.Sample] = nil
		}
		if !c.Kept || math.IsNaN(c.Score) {
			continue
		}
		by[c.Sample] = append(by[c.Sample], c.Score)
		lo, hi = math.Min(lo, c.Score), math.Max(hi, c.Score)
	}
	empty := map[string]string{}
	for _, b := range r.Burdens {
		if b.N == 0 {
			empty[b.Sample] = emptyLabel(b, m.Keep)
		}
	}
	t := r.Threshold.Value
	lo, hi = math.Min(lo, t), math.Max(hi, t)
	if math.IsInf(lo, 0) || hi == lo {
		lo, hi = t-0.5, t+0.5
	}
	const bins = 40
	width := (hi - lo) / bins
	lo = t - math.Ceil((t-lo)/width)*width // a bin edge at the threshold
	nb := int(math.Ceil((hi-lo)/width - 1e-9))
	if nb < 1 {
		nb = 1
	}
	hi = lo + float64(nb)*width
	const rowH = 74.0
	c := plot.NewCanvas(760, 64+rowH*float64(len(samples))+52)
	c.Left, c.Right, c.Top, c.Bottom = 190, 24, 64, 52
	c.XMin, c.XMax = lo, hi
	below, above := "#9bbcd8", plot.Palette[1]
	// Legend and threshold label, above the panels.
	c.Raw(`<rect x="%s" y="8" width="12" height="12" fill="%s"/><text x="%s" y="18" font-size="11">below threshold (not stem-like)</text>`+"\n", plot.Px(c.Left), below, plot.Px(c.Left+16))
	c.Raw(`<rect x="%s" y="8" width="12" height="12" fill="%s"/><text x="%s" y="18" font-size="11">at or above threshold (stem-like)</text>`+"\n", plot.Px(c.Left+210), above, plot.Px(c.Left+226))
	c.Raw(`<line x1="%s" x2="%s" y1="14" y2="14" stroke="#b00" stroke-dasharray="5 3"/><text x="%s" y="18" font-size="11">threshold</text>`+"\n", plot.Px(c.Left+430), plot.Px(c.Left+456), plot.Px(c.Left+460))
	tx := c.X(t)
	anchor := "middle"
	if tx > c.W-c.Right-80 {
		anchor = "end"
	}
	c.Raw(`<text x="%s" y="%s" font-size="11" fill="#b00" text-anchor="%s">%s (%s)</text>`+"\n", plot.Px(tx), plot.Px(c.Top-14), anchor, Num(round6(t)), plot.Esc(r.Threshold.Method))
	c.Raw(`<text transform="translate(14 %s) rotate(-90)" font-size="12" text-anchor="middle">cells per bin</text>`+"\n", plot.Px(c.Top+rowH*float64(len(samples))/2))
	for i, s := range samples {
		top := c.Top + rowH*float64(i)
		base := top + rowH - 12
		c.Raw(`<text x="%s" y="%s" font-size="11" text-anchor="end">%s (n=%d)</text>`+"\n", plot.Px(c.Left-34), plot.Px(base-rowH/3), plot.Esc(s), len(by[s]))
		if msg, ok := empty[s]; ok {
			c.Raw(`<text x="%s" y="%s" font-size="11" font-style="italic" fill="#555">%s</text>`+"\n", plot.Px(c.Left+6), plot.Px(base-rowH/3), plot.Esc(msg))
			continue
		}
		counts := make([]float64, nb)
		for _, v := range by[s] {
			k := int(math.Floor((v - lo) / width))
			if v >= t && lo+float64(k)*width < t { // rounding at the threshold edge
				k++
			}
			counts[min(max(k, 0), nb-1)]++
		}
		maxc := 1.0
		for _, n := range counts {
			maxc = math.Max(maxc, n)
		}
		barH := rowH - 22
		for k, n := range counts {
			if n == 0 {
				continue
			}
			h := barH * n / maxc
			x0 := lo + float64(k)*width
			col := below
			if x0 >= t-width*1e-9 {
				col = above
			}
			c.Raw(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%d cells, score %s to %s</title></rect>`+"\n", plot.Px(c.X(x0)), plot.Px(base-h),
				plot.Px(c.X(lo+width)-c.X(lo)-0.5), plot.Px(h), col, int(n), Num(round6(x0)), Num(round6(x0+width)))
		}
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#b00" stroke-dasharray="5 3"/>`+"\n", plot.Px(tx), plot.Px(tx), plot.Px(base-barH-6), plot.Px(base))
		// Count axis: 0 and the tallest bin.
		c.Raw(`<path d="M%s %sV%sH%s" fill="none" stroke="#333"/>`+"\n", plot.Px(c.Left), plot.Px(base-barH), plot.Px(base), plot.Px(c.W-c.Right))
		for _, v := range []float64{0, maxc} {
			y := base - barH*v/maxc
			c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#333"/><text x="%s" y="%s" font-size="10" text-anchor="end">%d</text>`+"\n",
				plot.Px(c.Left-4), plot.Px(c.Left), plot.Px(y), plot.Px(y), plot.Px(c.Left-6), plot.Px(y+3.5), int(v))
		}
	}
	bottom := c.H - c.Bottom
	c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#333"/>`+"\n", plot.Px(c.Left), plot.Px(c.W-c.Right), plot.Px(bottom-12), plot.Px(bottom-12))
	for _, tk := range plot.NiceTicks(lo, hi, 6) {
		x := c.X(tk.V)
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#333"/><text x="%s" y="%s" font-size="11" text-anchor="middle">%s</text>`+"\n",
			plot.Px(x), plot.Px(x), plot.Px(bottom-12), plot.Px(bottom-8), plot.Px(x), plot.Px(bottom+6), tk.Label)
	}
	label := "score"
	if m.Signature != "" {
		label = m.Signature + " score"
	}
	if m.Method != "" {
		label += " (" + m.Method + ")"
	}
	c.Raw(`<text x="%s" y="%s" font-size="12" text-anchor="middle">%s</text>`+"\n", plot.Px((c.Left+c.W-c.Right)/2), plot.Px(c.H-14), plot.Esc(label))
	return c.SVG()
}

// emptyLabel says in one short line why a sample has no histogram.
func emptyLabel(b stemcell.Burden, keep []string) string {
	if len(keep) == 0 {
		return "no cells scored"
	}
	var types []string
	for i, t := range b.Types {
		if i == 4 {
			types = append(types, "…")
			break
		}
		types = append(types, fmt.Sprintf("%s %d", t.Type, t.N))
	}
	return fmt.Sprintf("no cells match --keep %s; it has %s", strings.Join(keep, ","), strings.Join(types, ", "))
}

// FractionPlot draws each sample's stem-like fraction with its interval,
// the risk-group limits as labelled lines, and says which samples had no
// cells counted.
func FractionPlot(r *stemcell.Result) string {
	n := len(r.Burdens)
	c := plot.NewCanvas(720, 76+22*float64(n)+40)
	c.Left, c.Right, c.Top, c.Bottom = 160, 30, 36, 44
	hi := 0.0
	for _, b := range r.Burdens {
		if !math.IsNaN(b.CI.Upper) {
			hi = math.Max(hi, b.CI.Upper)
		}
	}
	ticks := plot.CoverTicks(0, math.Max(hi, 0.2)*100, 5)
	c.XMin, c.XMax = 0, ticks[len(ticks)-1].V
	c.YMin, c.YMax = 0, float64(n)+1
	c.Axes(ticks, nil, "stem-like cells (%), Wilson 95% CI", "")
	bands := r.Bands
	if len(bands) == 0 {
		bands = stemcell.Bands{0.05, 0.15}
	}
	prev := 0.0
	for i, band := range append(bands, math.Inf(1)) {
		x0, x1 := c.X(prev*100), c.X(math.Min(band*100, c.XMax))
		if prev*100 < c.XMax {
			label := bands.Label((prev + math.Min(band, prev+1)) / 2)
			if i == len(bands) {
				label = bands.Label(prev * 1.001)
			}
			c.Raw(`<text x="%s" y="%s" font-size="10" fill="#555" text-anchor="middle">%s</text>`+"\n", plot.Px((x0+x1)/2), plot.Px(c.Top-6), plot.Esc(label))
		}
		if !math.IsInf(band, 1) && band*100 <= c.XMax {
			c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#bbb" stroke-dasharray="3 3"/>`+"\n", plot.Px(x1), plot.Px(x1), plot.Px(c.Top-2), plot.Px(c.H-c.Bottom))
		}
		prev = band
	}
	c.Raw(`<text x="%s" y="%s" font-size="10" fill="#555" text-anchor="end">risk group:</text>`+"\n", plot.Px(c.Left-6), plot.Px(c.Top-6))
	for i, b := range r.Burdens {
		y := float64(n - i)
		c.Raw(`<text x="%s" y="%s" font-size="11" text-anchor="end">%s · %s</text>`+"\n", plot.Px(c.Left-6), plot.Px(c.Y(y)+4), plot.Esc(b.Sample), plot.Esc(b.Timepoint))
		if math.IsNaN(b.Fraction) {
			c.Raw(`<text x="%s" y="%s" font-size="11" font-style="italic" fill="#555">no cells counted</text>`+"\n", plot.Px(c.Left+6), plot.Px(c.Y(y)+4))
			continue
		}
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`+"\n", plot.Px(c.X(b.CI.Lower*100)), plot.Px(c.X(b.CI.Upper*100)), plot.Px(c.Y(y)), plot.Px(c.Y(y)), plot.Palette[0])
		c.Marker(b.Fraction*100, y, "circle", plot.Palette[0], fmt.Sprintf("%s: %d/%d = %.2f%%", b.Sample, b.NStem, b.N, b.Fraction*100))
	}
	return c.SVG()
}

// TrajectoryPlot draws each patient's fraction across timepoints.
func TrajectoryPlot(r *stemcell.Result) string {
	var labels []string
	pos := map[string]int{}
	hi := 0.0
	for _, p := range r.Patients {
		for _, b := range p.Burdens {
			if _, ok := pos[b.Timepoint]; !ok {
				pos[b.Timepoint] = len(labels)
				labels = append(labels, b.Timepoint)
			}
			if !math.IsNaN(b.Fraction) {
				hi = math.Max(hi, b.Fraction*100)
			}
		}
	}
	if len(labels) < 2 {
		return ""
	}
	c := plot.NewCanvas(560, 340)
	c.Right = 150
	c.XMin, c.XMax = -0.3, float64(len(labels)-1)+0.3
	yt := plot.CoverTicks(0, math.Max(hi, 1), 5)
	c.YMin, c.YMax = 0, yt[len(yt)-1].V
	var xt []plot.Tick
	for i, l := range labels {
		xt = append(xt, plot.Tick{V: float64(i), Label: l})
	}
	c.Axes(xt, yt, "timepoint", "stem-like cells (%)")
	for i, p := range r.Patients {
		col := plot.Palette[i%len(plot.Palette)]
		var xs, ys []float64
		for _, b := range p.Burdens {
			if math.IsNaN(b.Fraction) {
				continue
			}
			xs, ys = append(xs, float64(pos[b.Timepoint])), append(ys, b.Fraction*100)
			c.Marker(float64(pos[b.Timepoint]), b.Fraction*100, "circle", col, fmt.Sprintf("%s %s: %.2f%%", p.ID, b.Timepoint, b.Fraction*100))
		}
		c.Line(xs, ys, col, 1.5, "")
		ly := c.Top + 12 + float64(i)*15
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="2"/><text x="%s" y="%s" font-size="11">%s</text>`+"\n",
			plot.Px(c.W-c.Right+10), plot.Px(c.W-c.Right+26), plot.Px(ly), plot.Px(ly), col, plot.Px(c.W-c.Right+30), plot.Px(ly+4), plot.Esc(p.ID))
	}
	return c.SVG()
}

// CohortStrip draws diagnosis fractions of relapsing and non-relapsing patients.
func CohortStrip(co *stemcell.Cohort) string {
	c := plot.NewCanvas(420, 340)
	c.Top = 36
	hi := 0.0
	for _, v := range append(append([]float64{}, co.Relapse...), co.NoRelapse...) {
		hi = math.Max(hi, v*100)
	}
	yt := plot.CoverTicks(0, math.Max(hi, 1)*1.15, 5)
	c.XMin, c.XMax, c.YMin, c.YMax = -0.6, 1.6, 0, yt[len(yt)-1].V
	c.Axes([]plot.Tick{{V: 0, Label: fmt.Sprintf("no relapse (n=%d)", len(co.NoRelapse))}, {V: 1, Label: fmt.Sprintf("relapse (n=%d)", len(co.Relapse))}}, yt, "", "stem-like at diagnosis (%)")
	for g, v := range [][]float64{co.NoRelapse, co.Relapse} {
		for i, f := range v {
			jit := (float64(i%7) - 3) * 0.04
			c.Marker(float64(g)+jit, f*100, "open-circle", plot.Palette[g], "")
		}
		m := stats.Median(v) * 100
		c.Line([]float64{float64(g) - 0.25, float64(g) + 0.25}, []float64{m, m}, "#333", 2, "")
	}
	c.Raw(`<text x="%s" y="%s" font-size="12">Mann-Whitney p = %s · AUC %.2f (%.2f-%.2f)</text>`+"\n", plot.Px(c.Left+6), plot.Px(c.Top-12), FormatP(co.MannWhitney.P), co.ROC.AUC, co.ROC.CI.Lower, co.ROC.CI.Upper)
	return c.SVG()
}

// StemMeta describes the run.
type StemMeta struct {
	Version, Sheet, Signature, Method string
	Keep                              []string
}

// StemHTML writes the self-contained stem-cell report.
func StemHTML(w io.Writer, r *stemcell.Result, m StemMeta) error {
	co := ""
	if r.Cohort != nil {
		co = CohortStrip(r.Cohort)
	}
	return stemTmpl().Execute(w, map[string]any{"R": r, "M": m, "CSS": css(),
		"Hist": template.HTML(ScoreHistograms(r, m)), "Frac": template.HTML(FractionPlot(r)), "Traj": template.HTML(TrajectoryPlot(r)), "Cohort": template.HTML(co)})
}

var stemTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("stem").Funcs(template.FuncMap{
		"num": func(v float64) string { return Num(round6(v)) },
		"pct": func(v float64) string {
			if math.IsNaN(v) {
				return ""
			}
			return fmt.Sprintf("%.2f", v*100)
		},
		"p": FormatP,
	}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>lsc stem-like cells</title><style>{{.CSS}}</style></head><body>
<h1>Stem-like leukemia cells</h1>
<p class="meta">lsc {{.M.Version}} · sheet {{.M.Sheet}} · signature {{.M.Signature}} · method {{.M.Method}}{{if .M.Keep}} · cells counted: {{range .M.Keep}}{{.}} {{end}}{{end}}</p>
<p>Threshold <b>{{num .R.Threshold.Value}}</b> ({{.R.Threshold.Method}}; {{.R.Threshold.Detail}}), fitted once for the study and applied to every sample; cells with score ≥ threshold are stem-like.</p>
{{range .R.Notes}}<p class="flag">{{.}}</p>{{end}}
<h2>Score distributions</h2>{{.Hist}}
<h2>Stem-like fraction per sample</h2>{{.Frac}}
<table><tr><th>sample</th><th>patient</th><th>timepoint</th><th>cells</th><th>stem-like</th><th>%</th><th>95% CI</th><th>risk group</th></tr>
{{range .R.Burdens}}<tr><td>{{.Sample}}</td><td>{{.Patient}}</td><td>{{.Timepoint}}</td><td>{{.N}}</td><td>{{.NStem}}</td><td>{{pct .Fraction}}</td><td>{{pct .CI.Lower}}–{{pct .CI.Upper}}</td><td>{{.Risk}}</td></tr>{{end}}</table>
{{if .Traj}}<h2>Patients across timepoints</h2>{{.Traj}}{{end}}
{{if .R.Changes}}<table><tr><th>patient</th><th>diagnosis %</th><th>relapse %</th><th>fold change (95% bootstrap CI)</th><th>prop.test p</th><th>expanded</th></tr>
{{range .R.Changes}}<tr><td>{{.Patient}}</td><td>{{pct .From.Fraction}}</td><td>{{pct .To.Fraction}}</td><td>{{num .FoldChange}} ({{num .FoldCI.Lower}}–{{num .FoldCI.Upper}})</td><td>{{p .PropTest.P}}</td><td>{{if .Expanded}}<span class="flag">yes</span>{{else}}no{{end}}</td></tr>{{end}}</table>{{end}}
{{if .Cohort}}<h2>Relapse vs no relapse</h2>{{.Cohort}}{{end}}
</body></html>
`))
})
