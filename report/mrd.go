package report

import (
	"github.com/lsc-bio/lsc/plot"

	"bufio"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/lsc-bio/lsc/mrd"
)

const day = "2006-01-02"

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(day)
}

var breaks = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")

func cell(s string) string { return breaks.Replace(s) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// MRDMeasurements writes measurements.tsv: every input row in input order,
// its fields as given, then what lsc derived from it.
func MRDMeasurements(w io.Writer, header []string, a *mrd.Assessment) error {
	bw := bufio.NewWriter(w)
	cols := append([]string{"input_line"}, header...)
	cols = append(cols, "ratio_percent", "is_percent", "log_reduction", "response", "detectable", "clone_percent", "clone_lower95", "clone_upper95", "notes")
	for i := range cols {
		cols[i] = cell(cols[i])
	}
	fmt.Fprintln(bw, strings.Join(cols, "\t"))
	for _, r := range a.Rows {
		rec := []string{fmt.Sprint(r.Line)}
		notes := r.Notes
		for _, f := range r.Fields {
			if c := cell(f); c != f {
				notes = append(notes, fmt.Sprintf("tab or line break in field %q shown as a space", c))
				f = c
			}
			rec = append(rec, f)
		}
		lo, hi := math.NaN(), math.NaN()
		if r.Assay == mrd.FISH {
			lo, hi = r.CloneCI.Lower, r.CloneCI.Upper
		}
		rec = append(rec, Num(r.RatioPercent), Num(r.ISPercent), Num(r.LogReduction), string(r.Response), yesNo(r.Detectable),
			Num(r.ClonePercent), Num(lo), Num(hi), cell(strings.Join(notes, "; ")))
		fmt.Fprintln(bw, strings.Join(rec, "\t"))
	}
	return bw.Flush()
}

// MRDPatients writes patients.tsv: one row per patient with milestones,
// loss of MMR, TFR and flags, each with the rule that produced it.
func MRDPatients(w io.Writer, a *mrd.Assessment) error {
	bw := bufio.NewWriter(w)
	cols := []string{"patient", "diagnosis", "therapy", "therapy_start"}
	for _, m := range []string{"m3", "m6", "m12", "latest"} {
		cols = append(cols, m+"_status", m+"_is_percent", m+"_detectable", m+"_sample")
	}
	cols = append(cols, "deepest_response", "mmr_date", "loss_of_mmr", "tki_years", "dmr_years", "mr45_years", "tfr", "persistence", "fish_expansion", "rules", "notes")
	fmt.Fprintln(bw, strings.Join(cols, "\t"))
	for _, p := range a.Patients {
		dx, th := "", ""
		if p.Record != nil {
			dx = p.Record.Diagnosis
			var ths []string
			for _, l := range p.Record.Lines {
				ths = append(ths, l.Therapy)
			}
			th = strings.Join(ths, " > ")
		}
		rec := []string{cell(p.ID), cell(dx), cell(th), date(p.TherapyStart)}
		var rules []string
		for i := 0; i < 4; i++ {
			if i < len(p.Milestones) {
				m := p.Milestones[i]
				det := ""
				if !m.SampleDate.IsZero() {
					det = yesNo(!m.Undetectable)
				}
				rec = append(rec, m.Status, Num(m.ISPercent), det, date(m.SampleDate))
				rules = append(rules, m.Name+": "+m.Rule)
			} else {
				rec = append(rec, "not assessable", "", "", "")
			}
		}
		if p.LossRule != "" {
			rules = append(rules, "loss of MMR: "+p.LossRule)
		}
		rules = append(rules, p.TFRRules...)
		var exp []string
		for _, e := range p.Expansions {
			exp = append(exp, fmt.Sprintf("%s %s %s->%s", e.Fraction, e.Probe, date(e.From), date(e.To)))
		}
		deep := string(p.Deepest)
		rec = append(rec, deep, date(p.MMRDate), date(p.LossOfMMR), Num(round(p.TKIYears)), Num(round(p.DMRYears)), Num(round(p.MR45Years)),
			p.TFR, cell(strings.Join(p.Persistence, "; ")), cell(strings.Join(exp, "; ")), cell(strings.Join(rules, " | ")), cell(strings.Join(p.Notes, "; ")))
		fmt.Fprintln(bw, strings.Join(rec, "\t"))
	}
	return bw.Flush()
}

func round(v float64) float64 { return math.Round(v*1000) / 1000 }

// MRDKinetics writes kinetics.tsv: one row per patient, fraction, target
// and control gene.
func MRDKinetics(w io.Writer, a *mrd.Assessment) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, strings.Join([]string{"patient", "fraction", "target", "control_gene", "scale", "stem_fraction", "n", "undetectable",
		"first", "last", "slope_log10_per_year", "slope_lower95", "slope_upper95", "halving_days", "halving_lower95", "halving_upper95",
		"change_log10", "declining", "persistent", "notes"}, "\t"))
	for _, s := range a.Series {
		fmt.Fprintln(bw, strings.Join([]string{cell(s.Patient), cell(s.Fraction), cell(s.Target), s.ControlGene, s.Scale, yesNo(s.Stem),
			fmt.Sprint(s.N), fmt.Sprint(s.Undetectable), date(s.First), date(s.Last), Num(s.SlopePerYear), Num(s.SlopeCI.Lower), Num(s.SlopeCI.Upper),
			Num(s.HalvingDays), Num(s.HalvingCI.Lower), Num(s.HalvingCI.Upper), Num(s.ChangeLog), yesNo(s.Declining), yesNo(s.Persistent), cell(s.Note)}, "\t"))
	}
	return bw.Flush()
}

// MRDPlot draws one patient's qPCR time course: log scale, one line per
// fraction/target/control, undetectable samples as open down-triangles at
// their sensitivity, MMR/MR4/MR4.5 lines when any series is on IS, and
// therapy starts and stops as vertical lines.
func MRDPlot(a *mrd.Assessment, p mrd.PatientResult) string {
	type pt struct {
		x, y float64
		und  bool
		tip  string
	}
	var keys []string
	series := map[string][]pt{}
	anyIS := false
	lo, hi := math.Inf(1), math.Inf(-1)
	xlo, xhi := math.Inf(1), math.Inf(-1)
	for _, si := range a.SamplesOf(p.ID) {
		s := a.Samples[si]
		k := s.Fraction + " " + s.Target + "/" + s.ControlGene
		if s.OnIS {
			anyIS = true
			k += " (IS)"
		}
		if _, ok := series[k]; !ok {
			keys = append(keys, k)
		}
		v, und := s.Value(), !s.Detectable
		if und {
			v = s.Limit
		}
		tip := fmt.Sprintf("%s %s: %s%% %s", date(s.Date), s.Fraction, Num(round6(v)), s.Response)
		if und {
			tip = fmt.Sprintf("%s %s: undetectable (sensitivity %s%%) %s", date(s.Date), s.Fraction, Num(round6(v)), s.Response)
		}
		series[k] = append(series[k], pt{plot.Days(s.Date), v, und, tip})
		lo, hi = math.Min(lo, v), math.Max(hi, v)
		xlo, xhi = math.Min(xlo, plot.Days(s.Date)), math.Max(xhi, plot.Days(s.Date))
	}
	if len(keys) == 0 {
		return ""
	}
	if anyIS {
		lo, hi = math.Min(lo, 0.001), math.Max(hi, 1)
	}
	if p.Record != nil {
		for _, l := range p.Record.Lines {
			if !l.Start.IsZero() {
				xlo = math.Min(xlo, plot.Days(l.Start))
			}
		}
	}
	if xhi-xlo < 30 {
		xhi = xlo + 30
	}
	pad := (xhi - xlo) * 0.03
	c := plot.NewCanvas(720, 330)
	c.Right = 250
	c.LogY = true
	c.XMin, c.XMax = xlo-pad, xhi+pad
	c.YMin, c.YMax = math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi)))
	from, to := dayTime(c.XMin), dayTime(c.XMax)
	ylabel := "BCR::ABL1 ratio (%)"
	if anyIS {
		ylabel = "level (% IS, or ratio %)"
	}
	c.Axes(plot.DateTicks(from, to), plot.LogTicks(c.YMin, c.YMax), "date", ylabel)
	if anyIS {
		c.HLine(mrd.MMRPercent, "#555", "6 3", "MMR 0.1%")
		c.HLine(mrd.MR4Percent, "#777", "3 3", "MR4 0.01%")
		c.HLine(mrd.MR45Percent, "#999", "1 3", "MR4.5 0.0032%")
	}
	if p.Record != nil {
		for _, l := range p.Record.Lines {
			if !l.Start.IsZero() {
				c.VLine(plot.Days(l.Start), "#2a7", "start "+l.Therapy)
			}
			if !l.Stop.IsZero() {
				c.VLine(plot.Days(l.Stop), "#c33", "stop "+l.Therapy)
			}
		}
	}
	sort.Strings(keys)
	for i, k := range keys {
		col := plot.Palette[i%len(plot.Palette)]
		var xs, ys []float64 // the line joins measured levels only
		for _, q := range series[k] {
			if !q.und {
				xs = append(xs, q.x)
				ys = append(ys, q.y)
			}
		}
		c.Line(xs, ys, col, 1.5, "")
		for _, q := range series[k] {
			kind := "circle"
			if q.und {
				kind = "down"
			}
			c.Marker(q.x, q.y, kind, col, q.tip)
		}
		ly := c.Top + 14 + float64(i)*16
		lx := c.W - c.Right + 12
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="2"/><text x="%s" y="%s" font-size="11">%s</text>`+"\n",
			plot.Px(lx), plot.Px(lx+16), plot.Px(ly), plot.Px(ly), col, plot.Px(lx+20), plot.Px(ly+4), template.HTMLEscapeString(k))
	}
	ly := c.Top + 14 + float64(len(keys))*16 + 8
	c.Raw(`<path d="M%s %sL%s %sL%s %sZ" fill="white" stroke="#333"/><text x="%s" y="%s" font-size="11">undetectable (at sensitivity)</text>`+"\n",
		plot.Px(c.W-c.Right+15.5), plot.Px(ly-4), plot.Px(c.W-c.Right+24.5), plot.Px(ly-4), plot.Px(c.W-c.Right+20), plot.Px(ly+4), plot.Px(c.W-c.Right+32), plot.Px(ly+4))
	return c.SVG()
}

// FISHPlot draws clone percentages with 95 % intervals per fraction/probe.
func FISHPlot(a *mrd.Assessment, p mrd.PatientResult) string {
	var rows []mrd.Row
	for _, i := range a.RowsOf(p.ID) {
		if r := a.Rows[i]; r.Assay == mrd.FISH {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return ""
	}
	xlo, xhi, hi := math.Inf(1), math.Inf(-1), 0.0
	for _, r := range rows {
		xlo, xhi = math.Min(xlo, plot.Days(r.Date)), math.Max(xhi, plot.Days(r.Date))
		hi = math.Max(hi, r.CloneCI.Upper)
	}
	if xhi-xlo < 30 {
		xhi = xlo + 30
	}
	pad := (xhi - xlo) * 0.05
	c := plot.NewCanvas(720, 260)
	c.Right = 250
	c.XMin, c.XMax, c.YMin = xlo-pad, xhi+pad, 0
	c.YMax = plot.NiceTicks(0, hi, 4)[len(plot.NiceTicks(0, hi, 4))-1].V
	if c.YMax < hi {
		c.YMax = hi
	}
	c.Axes(plot.DateTicks(dayTime(c.XMin), dayTime(c.XMax)), plot.NiceTicks(0, c.YMax, 4), "date", "abnormal nuclei (%), 95% CI")
	keys := map[string]int{}
	var order []string
	for _, r := range rows {
		k := r.Fraction + " · " + r.Probe
		if _, ok := keys[k]; !ok {
			keys[k] = len(order)
			order = append(order, k)
		}
	}
	for _, k := range order {
		col := plot.Palette[keys[k]%len(plot.Palette)]
		var xs, ys []float64
		for _, r := range rows {
			if r.Fraction+" · "+r.Probe != k {
				continue
			}
			x := plot.Days(r.Date)
			xs, ys = append(xs, x), append(ys, r.ClonePercent)
			c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`+"\n", plot.Px(c.X(x)), plot.Px(c.X(x)), plot.Px(c.Y(r.CloneCI.Lower)), plot.Px(c.Y(r.CloneCI.Upper)), col)
			c.Marker(x, r.ClonePercent, "circle", col, fmt.Sprintf("%s: %d/%d nuclei, %s%% (95%% CI %s-%s)", date(r.Date), r.Abnormal, r.Scored,
				Num(round6(r.ClonePercent)), Num(round6(r.CloneCI.Lower)), Num(round6(r.CloneCI.Upper))))
		}
		c.Line(xs, ys, col, 1.2, "4 2")
		ly := c.Top + 14 + float64(keys[k])*16
		lx := c.W - c.Right + 12
		c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="2"/><text x="%s" y="%s" font-size="11">%s</text>`+"\n",
			plot.Px(lx), plot.Px(lx+16), plot.Px(ly), plot.Px(ly), col, plot.Px(lx+20), plot.Px(ly+4), template.HTMLEscapeString(k))
	}
	return c.SVG()
}

func round6(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	m := math.Pow(10, 5-math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*m) / m
}
