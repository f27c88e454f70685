package report

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"sync"

	"github.com/lsc-bio/lsc/airr"
	"github.com/lsc-bio/lsc/plot"
	"github.com/lsc-bio/lsc/repertoire"
)

// RepertoireCells writes cells.tsv: cell, sample, receptor_type,
// chain_pairing, vj_junction, vdj_junction (primary chains, the sequence
// used for clonotypes), clone_id, clone_size (cells of the clone over all
// samples); every cell read, including those without a receptor.
func RepertoireCells(w io.Writer, r *repertoire.Result) error {
	bw := bufio.NewWriter(w)
	extra := ""
	if r.BCluster != nil {
		extra = "\tb_cluster"
	}
	fmt.Fprintln(bw, "cell\tsample\treceptor_type\tchain_pairing\tvj_junction\tvdj_junction\tclone_id\tclone_size"+extra)
	for i := range r.Cells {
		c := &r.Cells[i]
		id, size := r.Clones.ID[i], ""
		if id >= 0 {
			size = fmt.Sprint(r.Clones.Size[id])
		}
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", cell(c.ID), cell(c.Sample), c.ReceptorType, c.ChainPairing,
			primary(c.VJ[0], r.Options.Sequence), primary(c.VDJ[0], r.Options.Sequence), repertoire.CloneID(id), size)
		if r.BCluster != nil {
			bw.WriteString("\t" + repertoire.CloneID(r.BCluster[i]))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

func primary(c *airr.Chain, seq string) string {
	if c == nil {
		return ""
	}
	return cell(c.Seq(seq))
}

// RepertoireClonotypes writes clonotypes.tsv: one row per clonotype and
// sample, largest first: clone_id, sample, cells, fraction (of the sample's
// cells with a clonotype), size_bin (1, <=5, <=20, <=100, >100 cells, as
// Rade et al. 2024), proportion_bin (scRepertoire), receptor_type,
// vj_junction, vdj_junction.
func RepertoireClonotypes(w io.Writer, r *repertoire.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "clone_id\tsample\tcells\tfraction\tsize_bin\tproportion_bin\treceptor_type\tvj_junction\tvdj_junction")
	for _, c := range r.CloneRows {
		fmt.Fprintf(bw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, cell(c.Sample), c.Cells, Num(c.Fraction), c.CountBin, c.PropBin,
			c.ReceptorType, cell(c.VJ), cell(c.VDJ))
	}
	return bw.Flush()
}

// RepertoireOverlap writes overlap.tsv: for every pair of samples the
// clonotypes they share, Jaccard index and Morisita-Horn index.
func RepertoireOverlap(w io.Writer, r *repertoire.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "sample_a\tsample_b\tshared_clonotypes\tjaccard\tmorisita_horn")
	for _, o := range r.Overlap {
		fmt.Fprintf(bw, "%s\t%s\t%d\t%s\t%s\n", cell(o.A), cell(o.B), o.Shared, Num(o.Jaccard), Num(o.MorisitaHorn))
	}
	return bw.Flush()
}

// DiversityHeader is the column list of diversity.tsv.
const DiversityHeader = "sample\tgroup\tcells\tclonotypes\tshannon\tnormalized_shannon\tclonality\tsimpson\tinverse_simpson\tgini_simpson\tgini\tchao1\tchao1_lower\tchao1_upper\td50_count\td50_percent\thill_0\thill_1\thill_2\thill_3\trarefied_cells\trarefied_clonotypes\trarefied_shannon\trarefied_normalized_shannon\trarefied_inverse_simpson"

// RepertoireDiversity writes diversity.tsv (indices defined in package
// repertoire; rarefied_* are means over seeded draws down to the smallest
// sample's cells).
func RepertoireDiversity(w io.Writer, rows []repertoire.SampleDiversity) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, DiversityHeader)
	for _, s := range rows {
		d, q := s.Diversity, s.Rarefied
		fmt.Fprintf(bw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n",
			cell(s.Sample), cell(s.Group), d.Cells, d.Clonotypes, Num(d.Shannon), Num(d.NormalizedShannon), Num(d.Clonality),
			Num(d.Simpson), Num(d.InverseSimpson), Num(d.GiniSimpson), Num(d.Gini), Num(d.Chao1), Num(d.Chao1Lower), Num(d.Chao1Upper),
			d.D50Count, Num(d.D50Percent), Num(d.Hill[0]), Num(d.Hill[1]), Num(d.Hill[2]), Num(d.Hill[3]),
			q.Cells, Num(q.Hill[0]), Num(q.Shannon), Num(q.NormalizedShannon), Num(q.InverseSimpson))
	}
	return bw.Flush()
}

var sizeBins = []string{"1", "<=5", "<=20", "<=100", ">100"}

// CloneSizePlot draws, per sample, the share of cells in clones of each
// size bin as stacked horizontal bars.
func CloneSizePlot(r *repertoire.Result) string {
	n := len(r.Samples)
	c := plot.NewCanvas(760, 70+24*float64(n)+50)
	c.Left, c.Right, c.Top, c.Bottom = 180, 20, 34, 44
	c.XMin, c.XMax, c.YMin, c.YMax = 0, 100, 0, float64(n)+0.5
	c.Axes(plot.NiceTicks(0, 100, 5), nil, "cells (%) in clones of each size (cells per clone)", "")
	share := map[string]map[string]int{}
	tot := map[string]int{}
	for _, cr := range r.CloneRows {
		if share[cr.Sample] == nil {
			share[cr.Sample] = map[string]int{}
		}
		share[cr.Sample][cr.CountBin] += cr.Cells
		tot[cr.Sample] += cr.Cells
	}
	for i, b := range sizeBins {
		x := c.Left + float64(i)*95
		c.Raw(`<rect x="%s" y="8" width="12" height="12" fill="%s"/><text x="%s" y="18" font-size="11">%s</text>`+"\n", plot.Px(x), plot.Palette[i], plot.Px(x+16), plot.Esc(b+" cells"))
	}
	for i, s := range r.Samples {
		y := c.Y(float64(n - i))
		c.Raw(`<text x="%s" y="%s" font-size="11" text-anchor="end">%s</text>`+"\n", plot.Px(c.Left-6), plot.Px(y+4), plot.Esc(s))
		if tot[s] == 0 {
			continue
		}
		x0 := 0.0
		for k, b := range sizeBins {
			w := 100 * float64(share[s][b]) / float64(tot[s])
			c.Raw(`<rect x="%s" y="%s" width="%s" height="16" fill="%s"><title>%s: %s cells in clones of %s: %.1f%%</title></rect>`+"\n",
				plot.Px(c.X(x0)), plot.Px(y-8), plot.Px(c.X(x0+w)-c.X(x0)), plot.Palette[k], plot.Esc(s), fmt.Sprint(share[s][b]), b, w)
			x0 += w
		}
	}
	return c.SVG()
}

// RepertoireMeta is what the HTML report says about the run.
type RepertoireMeta struct{ Version, Command string }

var repertoirePage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("rep").Funcs(template.FuncMap{"num": sig4}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lsc repertoire</title><style>{{.CSS}}</style></head><body>
<h1>Immune receptor repertoire</h1>
<p class="meta">lsc {{.Meta.Version}} · {{.Meta.Command}} · clonotypes by junction {{.R.Options.Sequence}} identity, receptor_arms {{.R.Options.ReceptorArms}}, dual_ir {{.R.Options.DualIR}}{{if not .R.Options.NoGroup}}, within receptor_type{{end}} (scirpy's define_clonotypes)</p>
<h2>Inputs</h2>
<table><tr><th>file</th><th>format</th><th>contigs</th><th>cells</th><th>contigs not cells / low confidence</th><th>contigs not indexed (unproductive, no CDR3, no locus)</th></tr>
{{range .R.Files}}<tr><td>{{.Path}}</td><td>{{.Format}}</td><td>{{.Contigs}}</td><td>{{.Cells}}</td><td>{{.DroppedContigs}}</td><td>{{.UnproductiveOrNoJ}}</td></tr>{{end}}</table>
<h2>Clone sizes</h2>
{{.SizePlot}}
<h2>Diversity</h2>
<table><tr><th>sample</th><th>cells</th><th>clonotypes</th><th>Shannon</th><th>normalised Shannon</th><th>clonality</th><th>inverse Simpson</th><th>Gini</th><th>Chao1 (95% CI)</th><th>D50</th><th>rarefied to</th><th>rarefied Shannon</th></tr>
{{range .R.Diversity}}<tr><td>{{.Sample}}</td><td>{{.Cells}}</td><td>{{.Clonotypes}}</td><td>{{num .Shannon}}</td><td>{{num .NormalizedShannon}}</td><td>{{num .Clonality}}</td><td>{{num .InverseSimpson}}</td><td>{{num .Gini}}</td><td>{{num .Chao1}} ({{num .Chao1Lower}}-{{num .Chao1Upper}})</td><td>{{.D50Count}} ({{num .D50Percent}}%)</td><td>{{.Rarefied.Cells}}</td><td>{{num .Rarefied.Shannon}}</td></tr>{{end}}</table>
<p class="meta">Shannon uses natural logarithms; normalised Shannon = Shannon / ln(clonotypes) (scirpy); clonality = 1 - normalised Shannon; D50 = fewest clonotypes holding half the cells (count as immunarch, % of clonotypes as scirpy); Chao1 as vegan's estimateR with a log-normal 95% interval (Chao 1987).</p>
</body></html>
`))
})

// RepertoireHTML writes the self-contained report.
func RepertoireHTML(w io.Writer, r *repertoire.Result, m RepertoireMeta) error {
	return repertoirePage().Execute(w, map[string]any{"CSS": css(), "Meta": m, "R": r, "SizePlot": template.HTML(CloneSizePlot(r))})
}

// sig4 formats a number for HTML tables with 4 significant digits (the TSV
// files keep every digit).
func sig4(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}
