package report

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/lsc-bio/lsc/cart"
	"github.com/lsc-bio/lsc/plot"
)

// CartStates writes states.tsv: per sample, T-cell group and state the
// cells of that state, the T cells, their fraction and the mean score.
func CartStates(w io.Writer, r *cart.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "sample\tpatient\ttimepoint\tgroup\tt_group\tstate\tcells\tt_cells\tfraction\tmean_score")
	for _, s := range r.States {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", cell(s.Sample), cell(s.Patient), cell(s.Timepoint), cell(s.Group),
			s.TGroup, cell(s.State), s.Cells, s.Total, Num(s.Fraction), Num(s.MeanScore))
	}
	return bw.Flush()
}

// CartCompositions writes composition.tsv: the propeller test per
// timepoint, composition and cluster.
func CartCompositions(w io.Writer, r *cart.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "timepoint\tcomposition\tcluster\ttransform\trobust\ttest\tgroups\tn_per_group\tbaseline_prop\tprop_mean_per_group\tprop_ratio\tstatistic\tdf_residual\tdf_prior\tp\tp_adj_bh")
	for _, c := range r.Compositions {
		var ns []string
		for _, n := range c.N {
			ns = append(ns, fmt.Sprint(n))
		}
		for _, row := range c.Rows {
			var pm []string
			for _, v := range row.PropMean {
				pm = append(pm, Num(v))
			}
			fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%t\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(c.Timepoint), c.Name, cell(row.Cluster), c.Transform, c.Robust, c.Test,
				cell(strings.Join(c.Groups, ",")), strings.Join(ns, ","), Num(row.Baseline), strings.Join(pm, ","), Num(row.PropRatio),
				Num(row.Stat), Num(c.DFResid), Num(row.DFPrior), Num(row.P), Num(row.FDR))
		}
	}
	return bw.Flush()
}

// CartPlasma writes plasma.tsv: per sample and protein the mean CLR on
// plasma cells.
func CartPlasma(w io.Writer, r *cart.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "sample\tpatient\ttimepoint\tgroup\tprotein\tantibody\tplasma_cells\tmean_clr")
	for _, p := range r.Plasma {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", cell(p.Sample), cell(p.Patient), cell(p.Timepoint), cell(p.Group), cell(p.Protein), cell(p.Antibody), p.PlasmaCells, Num(p.MeanCLR))
	}
	return bw.Flush()
}

// CartPlasmaTests writes plasma_tests.tsv: the paired signed-rank test per
// protein (post minus pre), BH over proteins.
func CartPlasmaTests(w io.Writer, r *cart.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "protein\tpre\tpost\tpatients\tmedian_pre\tmedian_post\tV\tp\tp_adj_bh")
	for _, t := range r.PlasmaTests {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", cell(t.Protein), cell(t.Pre), cell(t.Post), len(t.Patients), Num(t.MedianPre), Num(t.MedianPost), Num(t.V), Num(t.P), Num(t.PAdj))
	}
	return bw.Flush()
}

func sampleLabel(s *cart.SampleResult) string {
	return s.Sample.Sample + " (" + s.Timepoint + ")"
}

// CloneSizeBars draws, per sample with receptors, the share of receptor
// cells in clones of 1, 2-5, 6-20, 21-100 and > 100 cells.
func CloneSizeBars(r *cart.Result) string {
	var rows []string
	var vals [][]float64
	for i := range r.Samples {
		s := &r.Samples[i]
		if s.ReceptorCells == 0 {
			continue
		}
		v := make([]float64, len(s.CloneBins))
		for b, n := range s.CloneBins {
			v[b] = float64(n)
		}
		rows, vals = append(rows, sampleLabel(s)), append(vals, v)
	}
	if len(rows) == 0 {
		return ""
	}
	series := make([]string, len(cart.CloneBinNames))
	for i, n := range cart.CloneBinNames {
		series[i] = "clones of " + n + " cells"
	}
	series[0] = "single-cell clones"
	return plot.StackedBars(rows, series, vals, "receptor cells (%)")
}

// StateBars draws, per sample, the shares of the T-cell states among its
// CD4/CD8 T cells.
func StateBars(r *cart.Result) string {
	if len(r.States) == 0 {
		return ""
	}
	series := append(append([]string(nil), r.StateNames...), cart.Unassigned)
	var rows []string
	var vals [][]float64
	for i := range r.Samples {
		s := &r.Samples[i]
		var v []float64
		for _, x := range r.States {
			if x.Sample == s.Sample.Sample && x.TGroup == "T" {
				v = append(v, float64(x.Cells))
			}
		}
		if len(v) == len(series) {
			rows, vals = append(rows, sampleLabel(s)), append(vals, v)
		}
	}
	if len(rows) == 0 {
		return ""
	}
	return plot.StackedBars(rows, series, vals, "CD4/CD8 T cells (%)")
}

// DiversityByGroup draws a metric per sample by timepoint with the groups
// side by side (points, group median as a bar).
func DiversityByGroup(r *cart.Result, metric, label string) string {
	var tps []string
	pos := map[string]int{}
	hi := 0.0
	any := false
	for i := range r.Samples {
		s := &r.Samples[i]
		if _, ok := pos[s.Timepoint]; !ok {
			pos[s.Timepoint] = len(tps)
			tps = append(tps, s.Timepoint)
		}
		if v := s.Value(metric); !math.IsNaN(v) {
			hi, any = math.Max(hi, v), true
		}
	}
	if !any {
		return ""
	}
	groups := r.Groups
	if len(groups) == 0 {
		groups = []string{""}
	}
	c := plot.NewCanvas(560, 340)
	c.Top = 34
	c.XMin, c.XMax = -0.5, float64(len(tps))-0.5
	ticks := plot.CoverTicks(0, math.Max(hi, 1e-9), 5)
	c.YMin, c.YMax = 0, ticks[len(ticks)-1].V
	var xt []plot.Tick
	for i, tp := range tps {
		xt = append(xt, plot.Tick{V: float64(i), Label: tp})
	}
	c.Axes(xt, ticks, "timepoint", label)
	width := 0.7 / float64(len(groups))
	for gi, g := range groups {
		col := plot.Palette[gi%len(plot.Palette)]
		if g != "" {
			x := c.Left + float64(gi)*120
			c.Raw(`<circle cx="%s" cy="14" r="5" fill="%s"/><text x="%s" y="18" font-size="11">%s</text>`+"\n", plot.Px(x), col, plot.Px(x+9), plot.Esc(g))
		}
		for ti, tp := range tps {
			xc := float64(ti) - 0.35 + width*(float64(gi)+0.5)
			var vs []float64
			for i := range r.Samples {
				s := &r.Samples[i]
				v := s.Value(metric)
				if s.Timepoint != tp || (g != "" && s.Group != g) || math.IsNaN(v) {
					continue
				}
				vs = append(vs, v)
			}
			sort.Float64s(vs)
			for k, v := range vs {
				jit := 0.0
				if len(vs) > 1 {
					jit = (float64(k)/float64(len(vs)-1) - 0.5) * width * 0.5
				}
				c.Marker(xc+jit, v, "circle", col, fmt.Sprintf("%s at %s: %.3g", g, tp, v))
			}
			if len(vs) > 0 {
				m := vs[len(vs)/2]
				if len(vs)%2 == 0 {
					m = (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
				}
				c.Line([]float64{xc - width*0.4, xc + width*0.4}, []float64{m, m}, col, 2.5, "")
			}
		}
	}
	return c.SVG()
}

// CartAlluvial draws, per patient with receptors at two or more
// timepoints, the largest clones (by their largest share in any of the
// patient's samples, at most 8) across the patient's samples: lanes are
// samples in sheet order, ribbon width the clone's share of the sample's
// receptor cells.
func CartAlluvial(r *cart.Result) string {
	if r.Rep == nil {
		return ""
	}
	frac := map[[2]string]float64{}
	label := map[string]string{}
	for _, cr := range r.Rep.CloneRows {
		frac[[2]string{cr.Sample, cr.ID}] = cr.Fraction
		if label[cr.ID] == "" {
			j := cr.VDJ
			if j == "" {
				j = cr.VJ
			}
			label[cr.ID] = "clone " + cr.ID + " " + j
		}
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
	var b strings.Builder
	for _, p := range patients {
		idx := byPatient[p]
		if len(idx) < 2 {
			continue
		}
		best := map[string]float64{}
		in := map[string]bool{}
		for _, i := range idx {
			in[r.Samples[i].Sample.Sample] = true
		}
		for k, f := range frac {
			if in[k[0]] && f > best[k[1]] {
				best[k[1]] = f
			}
		}
		ids := make([]string, 0, len(best))
		for id := range best {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(a, c int) bool {
			if best[ids[a]] != best[ids[c]] {
				return best[ids[a]] > best[ids[c]]
			}
			return ids[a] < ids[c]
		})
		if len(ids) > len(plot.Palette) {
			ids = ids[:len(plot.Palette)]
		}
		var lanes []string
		for _, i := range idx {
			lanes = append(lanes, r.Samples[i].Timepoint)
		}
		var flows []plot.Flow
		for _, id := range ids {
			f := plot.Flow{Label: label[id]}
			for _, i := range idx {
				f.Values = append(f.Values, frac[[2]string{r.Samples[i].Sample.Sample, id}]*100)
			}
			flows = append(flows, f)
		}
		b.WriteString(plot.Alluvial(fmt.Sprintf("%s (%s)", p, r.Samples[idx[0]].Group), lanes, flows, "timepoint", "receptor cells in clone (%)"))
	}
	return b.String()
}

// PlasmaPlot draws, per protein, each patient's mean CLR on plasma cells
// before and after (lines join a patient's two values).
func PlasmaPlot(r *cart.Result) string {
	var b strings.Builder
	for _, t := range r.PlasmaTests {
		if len(t.Patients) == 0 {
			continue
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range t.PreV {
			lo, hi = math.Min(lo, math.Min(t.PreV[i], t.PostV[i])), math.Max(hi, math.Max(t.PreV[i], t.PostV[i]))
		}
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
		c := plot.NewCanvas(260, 300)
		c.Top = 30
		c.XMin, c.XMax = -0.4, 1.4
		ticks := plot.CoverTicks(lo, math.Max(hi, lo+1e-9), 5)
		if len(ticks) > 1 && ticks[0].V > lo {
			v := 2*ticks[0].V - ticks[1].V
			ticks = append([]plot.Tick{{V: v, Label: fmt.Sprint(v)}}, ticks...)
		}
		c.YMin, c.YMax = ticks[0].V, ticks[len(ticks)-1].V
		c.Axes([]plot.Tick{{V: 0, Label: t.Pre}, {V: 1, Label: t.Post}}, ticks, "", "mean CLR on plasma cells")
		c.Raw(`<text x="%s" y="16" font-size="12" font-weight="bold">%s: p = %s</text>`+"\n", plot.Px(c.Left), plot.Esc(t.Protein), sig4(t.P))
		for i, pt := range t.Patients {
			col := plot.Palette[i%len(plot.Palette)]
			c.Line([]float64{0, 1}, []float64{t.PreV[i], t.PostV[i]}, col, 1.2, "")
			c.Marker(0, t.PreV[i], "circle", col, fmt.Sprintf("%s %s: %.3g", pt, t.Pre, t.PreV[i]))
			c.Marker(1, t.PostV[i], "circle", col, fmt.Sprintf("%s %s: %.3g", pt, t.Post, t.PostV[i]))
		}
		b.WriteString(c.SVG())
	}
	return b.String()
}
