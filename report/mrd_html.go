package report

import (
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

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
	File      string // page of the patient, relative to report.html
	Therapy   string
	QPCR      template.HTML
	FISH      template.HTML
	Series    []mrd.Series
	Expansion []string
	BloodIS   bool // the patient has blood IS samples: MMR and deep response apply
}

// MRDPatientFiles returns the page of each patient of a.Patients, relative
// to report.html: patients/ID.html, with characters other than letters,
// digits, '.', '_' and '-' (and a leading '.') replaced and a short hash of the identifier
// added when the name had to change or would clash (also when two names
// differ only in case, for case-insensitive file systems).
func MRDPatientFiles(a *mrd.Assessment) []string {
	ids := make([]string, len(a.Patients))
	for i, p := range a.Patients {
		ids[i] = p.ID
	}
	return pageFiles("patients/", ids)
}

// pageFiles names one page per identifier in folder dir: the identifier
// with unsafe characters replaced (safeName), a short hash of it added when
// the name had to change or would clash, also by case only, and a counter
// when even that clashes.
func pageFiles(dir string, ids []string) []string {
	out := make([]string, len(ids))
	used := map[string]bool{}
	for i, id := range ids {
		name := safeName(id)
		if name != id || used[strings.ToLower(name)] {
			h := sha256.Sum256([]byte(id))
			name += "-" + hex.EncodeToString(h[:4])
		}
		for n := 2; used[strings.ToLower(name)]; n++ {
			name = strings.TrimSuffix(name, "~"+strconv.Itoa(n-1)) + "~" + strconv.Itoa(n)
		}
		used[strings.ToLower(name)] = true
		out[i] = dir + name + ".html"
	}
	return out
}

func safeName(id string) string {
	var b strings.Builder
	for _, c := range id {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == '-':
			b.WriteRune(c)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 64 {
			break
		}
	}
	if b.Len() == 0 || b.String()[0] == '.' {
		return "_" + b.String() // no hidden files, no "." or ".."
	}
	return b.String()
}

func mrdView(a *mrd.Assessment, p mrd.PatientResult, file string) mrdPatientView {
	v := mrdPatientView{P: p, File: file, QPCR: template.HTML(MRDPlot(a, p)), FISH: template.HTML(FISHPlot(a, p))}
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
	for _, si := range a.SamplesOf(p.ID) {
		if s := a.Samples[si]; s.OnIS && a.Params.IsBlood(s.Fraction) {
			v.BloodIS = true
			break
		}
	}
	for _, e := range p.Expansions {
		v.Expansion = append(v.Expansion, e.Fraction+" "+e.Probe+": "+sig(e.FromCI.Lower, 3)+"–"+sig(e.FromCI.Upper, 3)+"% on "+date(e.From)+
			" → "+sig(e.ToCI.Lower, 3)+"–"+sig(e.ToCI.Upper, 3)+"% on "+date(e.To))
	}
	return v
}

// MRDHTML writes the cohort page of the MRD report (report.html): the run,
// counts, and one summary row per patient linking to the patient's page
// (MRDPatientHTML at the path MRDPatientFiles gives). Its size grows with
// the number of patients only, not with their measurements.
func MRDHTML(w io.Writer, a *mrd.Assessment, meta MRDMeta) error {
	files := MRDPatientFiles(a)
	views := make([]mrdPatientView, len(a.Patients))
	tfr, latest := map[string]int{}, map[string]int{}
	flagged := 0
	for i, p := range a.Patients {
		views[i] = mrdPatientView{P: p, File: files[i]}
		for _, e := range p.Expansions {
			views[i].Expansion = append(views[i].Expansion, e.Fraction+" "+e.Probe)
		}
		tfr[p.TFR]++
		st := mrd.NotApplicable
		if len(p.Milestones) > 0 {
			st = p.Milestones[len(p.Milestones)-1].Status
		} else if p.CML {
			st = "not assessable"
		}
		latest[st]++
		if len(p.Persistence) > 0 || len(p.Expansions) > 0 || !p.LossOfMMR.IsZero() {
			flagged++
		}
	}
	return mrdCohortTmpl().Execute(w, map[string]any{"Title": "lsc MRD report", "A": a, "Meta": meta, "Patients": views, "CSS": css(),
		"TFR": counts(tfr), "Latest": counts(latest), "Flagged": flagged})
}

type count struct {
	Name string
	N    int
}

// counts orders a tally by name, for a stable page.
func counts(m map[string]int) []count {
	var out []count
	for k, n := range m {
		out = append(out, count{k, n})
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Name < out[j-1].Name; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// MRDPatientHTML writes the page of patient i of a.Patients: time courses,
// the ELN 2020 assessment with its rules, TFR and kinetics. It links back
// to ../report.html.
func MRDPatientHTML(w io.Writer, a *mrd.Assessment, i int, meta MRDMeta) error {
	v := mrdView(a, a.Patients[i], "")
	return mrdPatientTmpl().Execute(w, map[string]any{"Title": v.P.ID + " · lsc MRD report", "A": a, "Meta": meta, "V": v, "CSS": css()})
}

// sig formats v with n significant digits, the shortest form of that
// rounded value (no float noise); infinities as ∞.
func sig(v float64, n int) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "-∞"
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'e', n-1, 64), 64)
	return Num(r)
}

var mrdFuncs = template.FuncMap{
	"num":  func(v float64) string { return sig(v, 6) }, // measured levels
	"est":  func(v float64) string { return sig(v, 3) }, // estimates: slopes, halving times, changes
	"date": date,
	"join": strings.Join,
	"ci": func(lo, hi float64) string {
		if math.IsNaN(lo) || math.IsNaN(hi) {
			return ""
		}
		return "[" + sig(lo, 3) + ", " + sig(hi, 3) + "]"
	},
}

const mrdHead = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title><style>{{.CSS}}</style></head><body>
`

const mrdRules = `<p class="meta">Rules: ELN 2020 (Hochhaus et al., Leukemia 2020;34:966) milestones and TFR criteria; molecular response scoring by Cross et al. (Leukemia 2012;26:2172; 2015;29:999).
Kinetics and the persistence flag are lsc's own definitions (see <code>lsc help mrd</code>).</p>
`

var mrdCohortTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("cohort").Funcs(mrdFuncs).Parse(mrdHead + `<h1>Molecular residual disease</h1>
<p class="meta">lsc {{.Meta.Version}} · measurements {{.Meta.Measurements}}{{if .Meta.Patients}} · patients {{.Meta.Patients}}{{end}} ·
{{len .A.Rows}} rows, {{len .A.Samples}} qPCR samples, {{len .Patients}} patients · milestone window ±{{.A.Params.WindowDays}} days · decline threshold {{.A.Params.DeclineLog}} log</p>
` + mrdRules + `<h2>Cohort</h2>
<table><tr><th>latest ELN 2020 status</th><th>patients</th></tr>{{range .Latest}}<tr><td class="{{.Name}}">{{.Name}}</td><td>{{.N}}</td></tr>{{end}}</table>
<table><tr><th>treatment-free remission</th><th>patients</th></tr>{{range .TFR}}<tr><td>{{.Name}}</td><td>{{.N}}</td></tr>{{end}}</table>
<p>{{.Flagged}} patient(s) flagged (persistence, FISH expansion or loss of MMR). Each patient's time course, rules and kinetics are on the patient's page (linked below).</p>
<h2>Patients</h2>
<table><tr><th>patient</th><th>3 months</th><th>6 months</th><th>12 months</th><th>latest</th><th>deepest</th><th>loss of MMR</th><th>TFR</th><th>flags</th></tr>
{{range .Patients}}<tr><td><a href="{{.File}}">{{.P.ID}}</a></td>
{{range .P.Milestones}}<td class="{{.Status}}">{{.Status}}</td>{{else}}<td colspan="4">{{if .P.CML}}not assessable{{else}}not applicable (no BCR::ABL1 qPCR){{end}}</td>{{end}}
<td>{{.P.Deepest}}</td><td>{{date .P.LossOfMMR}}</td><td>{{.P.TFR}}</td>
<td>{{if .P.Persistence}}<span class="flag">persistence: {{join .P.Persistence ", "}}</span> {{end}}{{if .Expansion}}<span class="flag">FISH expansion</span>{{end}}</td></tr>
{{end}}</table>
</body></html>
`))
})

var mrdPatientTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("patient").Funcs(mrdFuncs).Parse(mrdHead + `<p class="meta"><a href="../report.html">← cohort summary</a> · lsc {{.Meta.Version}} · measurements {{.Meta.Measurements}}{{if .Meta.Patients}} · patients {{.Meta.Patients}}{{end}} · milestone window ±{{.A.Params.WindowDays}} days · decline threshold {{.A.Params.DeclineLog}} log</p>
{{with .V}}<h1>{{.P.ID}}</h1>
<p>{{if .P.Record}}{{.P.Record.Diagnosis}} · {{.Therapy}}{{end}}{{range .P.Notes}}<br><span class="meta">{{.}}</span>{{end}}</p>
{{if .P.Persistence}}<p class="flag">Persistence: BCR::ABL1 does not decline in {{join .P.Persistence ", "}} while another fraction does (the Chu et al. 2011 pattern).</p>{{end}}
{{range .Expansion}}<p class="flag">FISH clone expansion: {{.}}</p>{{end}}
{{if .QPCR}}{{.QPCR}}{{end}}
{{if .FISH}}<h2>FISH</h2>{{.FISH}}{{end}}
{{if .P.Milestones}}<h2>ELN 2020 assessment</h2>
<table><tr><th>milestone</th><th>status</th><th>% IS</th><th>sample</th></tr>
{{range .P.Milestones}}<tr><td>{{.Name}}</td><td class="{{.Status}}">{{.Status}}</td><td>{{if .Undetectable}}&lt;{{end}}{{num .ISPercent}}</td><td>{{date .SampleDate}}</td></tr>
<tr><td></td><td colspan="3" class="meta">{{.Rule}}</td></tr>{{end}}</table>{{end}}
{{if .BloodIS}}<p>MMR first: {{or (date .P.MMRDate) "never"}} · deepest: {{or .P.Deepest "—"}} · MR4 or deeper for {{printf "%.2f" .P.DMRYears}} years{{if .P.LossRule}} · <span class="flag">{{.P.LossRule}}</span>{{end}}</p>{{end}}
{{if .P.CML}}<p>Treatment-free remission: <b>{{.P.TFR}}</b></p><ul class="rules">{{range .P.TFRRules}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .Series}}<h2>Kinetics</h2>
<table><tr><th>fraction</th><th>target/control</th><th>scale</th><th>n</th><th>slope (log10/year) [95% CI]</th><th>halving (days) [95% CI]</th><th>change (log10)</th><th>note</th></tr>
{{range .Series}}<tr><td>{{.Fraction}}{{if .Stem}} (stem){{end}}</td><td>{{.Target}}/{{.ControlGene}}</td><td>{{.Scale}}</td><td>{{.N}}</td>
<td>{{est .SlopePerYear}} {{ci .SlopeCI.Lower .SlopeCI.Upper}}</td><td>{{est .HalvingDays}} {{ci .HalvingCI.Lower .HalvingCI.Upper}}</td>
<td>{{est .ChangeLog}}</td><td>{{if .Persistent}}<span class="flag">{{.Note}}</span>{{else}}{{.Note}}{{end}}</td></tr>{{end}}</table>{{end}}
{{end}}</body></html>
`))
})
