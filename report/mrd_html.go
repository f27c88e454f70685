package report

import (
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/lsc-bio/lsc/mrd"
)

// MRDMeta describes the run for the report header.
type MRDMeta struct {
	Version      string
	Measurements string // path as given
	Patients     string
}

type mrdPatientView struct {
	P         mrd.PatientResult
	Therapy   string
	QPCR      template.HTML
	FISH      template.HTML
	Series    []mrd.Series
	Expansion []string
}

// MRDHTML writes the self-contained MRD report.
func MRDHTML(w io.Writer, a *mrd.Assessment, meta MRDMeta) error {
	var views []mrdPatientView
	for _, p := range a.Patients {
		v := mrdPatientView{P: p, QPCR: template.HTML(MRDPlot(a, p)), FISH: template.HTML(FISHPlot(a, p))}
		if p.Record != nil {
			var th []string
			for _, l := range p.Record.Lines {
				s := l.Therapy
				if !l.Start.IsZero() {
					s += " from " + date(l.Start)
				}
				if !l.Stop.IsZero() {
					s += " to " + date(l.Stop)
				}
				if l.Reason != "" {
					s += " (" + l.Reason + ")"
				}
				th = append(th, s)
			}
			v.Therapy = strings.Join(th, "; ")
		}
		for _, i := range a.SeriesOf(p.ID) {
			v.Series = append(v.Series, a.Series[i])
		}
		for _, e := range p.Expansions {
			v.Expansion = append(v.Expansion, e.Fraction+" "+e.Probe+": "+Num(round6(e.FromCI.Lower))+"–"+Num(round6(e.FromCI.Upper))+"% on "+date(e.From)+
				" → "+Num(round6(e.ToCI.Lower))+"–"+Num(round6(e.ToCI.Upper))+"% on "+date(e.To))
		}
		views = append(views, v)
	}
	return mrdTmpl.Execute(w, map[string]any{"A": a, "Meta": meta, "Patients": views, "CSS": css()})
}

var mrdTmpl = template.Must(template.New("mrd").Funcs(template.FuncMap{
	"num":  func(v float64) string { return Num(round6(v)) },
	"date": date,
	"join": strings.Join,
	"ci": func(lo, hi float64) string {
		if math.IsNaN(lo) || math.IsNaN(hi) {
			return ""
		}
		return "[" + Num(round6(lo)) + ", " + Num(round6(hi)) + "]"
	},
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>lsc MRD report</title><style>{{.CSS}}</style></head><body>
<h1>Molecular residual disease</h1>
<p class="meta">lsc {{.Meta.Version}} · measurements {{.Meta.Measurements}}{{if .Meta.Patients}} · patients {{.Meta.Patients}}{{end}} ·
{{len .A.Rows}} rows, {{len .A.Samples}} qPCR samples, {{len .Patients}} patients · milestone window ±{{.A.Params.WindowDays}} days · decline threshold {{.A.Params.DeclineLog}} log</p>
<p class="meta">Rules: ELN 2020 (Hochhaus et al., Leukemia 2020;34:966) milestones and TFR criteria; molecular response scoring by Cross et al. (Leukemia 2012;26:2172; 2015;29:999).
Kinetics and the persistence flag are lsc's own definitions (see <code>lsc help mrd</code>).</p>
<h2>Summary</h2>
<table><tr><th>patient</th><th>3 months</th><th>6 months</th><th>12 months</th><th>latest</th><th>deepest</th><th>loss of MMR</th><th>TFR</th><th>flags</th></tr>
{{range .Patients}}<tr><td><a href="#p-{{.P.ID}}">{{.P.ID}}</a></td>
{{range .P.Milestones}}<td class="{{.Status}}">{{.Status}}</td>{{else}}<td colspan="4">not assessable</td>{{end}}
<td>{{.P.Deepest}}</td><td>{{date .P.LossOfMMR}}</td><td>{{.P.TFR}}</td>
<td>{{if .P.Persistence}}<span class="flag">persistence: {{join .P.Persistence ", "}}</span> {{end}}{{if .Expansion}}<span class="flag">FISH expansion</span>{{end}}</td></tr>
{{end}}</table>
{{range .Patients}}
<h2 id="p-{{.P.ID}}">{{.P.ID}}</h2>
<p>{{if .P.Record}}{{.P.Record.Diagnosis}} · {{.Therapy}}{{end}}{{range .P.Notes}}<br><span class="meta">{{.}}</span>{{end}}</p>
{{if .P.Persistence}}<p class="flag">Persistence: BCR::ABL1 does not decline in {{join .P.Persistence ", "}} while another fraction does (the Chu et al. 2011 pattern).</p>{{end}}
{{range .Expansion}}<p class="flag">FISH clone expansion: {{.}}</p>{{end}}
{{if .QPCR}}{{.QPCR}}{{end}}
{{if .FISH}}<h3>FISH</h3>{{.FISH}}{{end}}
{{if .P.Milestones}}<h3>ELN 2020 assessment</h3>
<table><tr><th>milestone</th><th>status</th><th>% IS</th><th>sample</th></tr>
{{range .P.Milestones}}<tr><td>{{.Name}}</td><td class="{{.Status}}">{{.Status}}</td><td>{{if .Undetectable}}&lt;{{end}}{{num .ISPercent}}</td><td>{{date .SampleDate}}</td></tr>
<tr><td></td><td colspan="3" class="meta">{{.Rule}}</td></tr>{{end}}</table>{{end}}
<p>MMR first: {{or (date .P.MMRDate) "never"}} · deepest: {{or .P.Deepest "—"}} · MR4 or deeper for {{printf "%.2f" .P.DMRYears}} years{{if .P.LossRule}} · <span class="flag">{{.P.LossRule}}</span>{{end}}</p>
<p>Treatment-free remission: <b>{{.P.TFR}}</b></p><ul class="rules">{{range .P.TFRRules}}<li>{{.}}</li>{{end}}</ul>
{{if .Series}}<h3>Kinetics</h3>
<table><tr><th>fraction</th><th>target/control</th><th>scale</th><th>n</th><th>slope (log10/year) [95% CI]</th><th>halving (days) [95% CI]</th><th>change (log10)</th><th>note</th></tr>
{{range .Series}}<tr><td>{{.Fraction}}{{if .Stem}} (stem){{end}}</td><td>{{.Target}}/{{.ControlGene}}</td><td>{{.Scale}}</td><td>{{.N}}</td>
<td>{{num .SlopePerYear}} {{ci .SlopeCI.Lower .SlopeCI.Upper}}</td><td>{{num .HalvingDays}} {{ci .HalvingCI.Lower .HalvingCI.Upper}}</td>
<td>{{num .ChangeLog}}</td><td>{{if .Persistent}}<span class="flag">{{.Note}}</span>{{else}}{{.Note}}{{end}}</td></tr>{{end}}</table>{{end}}
{{end}}
</body></html>
`))
