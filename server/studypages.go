package server

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/plot"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/stats"
	"github.com/lsc-bio/lsc/store"
)

type laneToggle struct {
	ID, Title string
	Shown     bool
}

// registerPages adds the study pages (same role checks as the API).
func (s *Server) registerPages() {
	read := access{scoped: true, action: auth.Read}
	s.handle(route{method: "GET", pattern: "/studies/{study}", summary: "cohort dashboard", access: read}, s.studyPage)
	s.handle(route{method: "GET", pattern: "/studies/{study}/patients/{patient}", summary: "patient timeline page", access: read}, s.patientPage)
	s.handle(route{method: "GET", pattern: "/studies/{study}/patients/{patient}/timeline.svg", summary: "patient timeline figure", access: read}, s.patientSVG)
	s.handle(route{method: "GET", pattern: "/studies/{study}/runs/{run}", summary: "run provenance", access: read}, s.runPage)
	s.registerSamplePages()
}

func (s *Server) pageErr(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		s.fail(w, r, err)
	}
}

// patientFigure draws the patient's lanes (those the lane form picked);
// with links, each point with a sample opens the sample's page (the page's
// figure; a downloaded SVG has none).
func (s *Server) patientFigure(r *http.Request, t *store.Timeline, links bool) (svg string, toggles []laneToggle, skipped int) {
	var href func(store.Point) string
	if links {
		base := "/studies/" + url.PathEscape(r.PathValue("study")) + "/samples/"
		query := "?patient=" + url.QueryEscape(t.Patient)
		href = func(p store.Point) string {
			if p.Sample == "" {
				return ""
			}
			return base + url.PathEscape(p.Sample) + query
		}
	}
	lanes, spans, marks, skipped := report.TimelineFigure(t, href)
	show := map[string]bool{}
	chosen := r.URL.Query()["show"]
	for _, id := range chosen {
		show[id] = true
	}
	picked := r.URL.Query().Has("lanes") // the lane form was submitted (possibly with none ticked)
	var drawn []plot.Lane
	for _, l := range lanes {
		on := !picked || show[l.ID]
		toggles = append(toggles, laneToggle{ID: l.ID, Title: l.Title, Shown: on})
		if on {
			drawn = append(drawn, l)
		}
	}
	xl := "days from " + t.Day0Event
	return plot.Timeline(drawn, spans, marks, plot.TimelineOptions{XLabel: xl}), toggles, skipped
}

// patientPage renders the page around its body (patientbody.html): the
// body is the same for every caller, so with the default lanes it is taken
// from the parts cache when this study's data version has it; the header
// (user name, CSRF token) is rendered per request and the view audited
// either way.
func (s *Server) patientPage(w http.ResponseWriter, r *http.Request, idn *identity) {
	study, patient := r.PathValue("study"), r.PathValue("patient")
	key, cacheable := s.cacheKey(idn, study, patient, "page")
	cacheable = cacheable && !r.URL.Query().Has("lanes")
	if e, ok := s.cacheGet(key, cacheable); ok {
		s.audit(r, idn.User.Name, "view-patient", study, patient, "ok")
		p := s.pageFor(idn, "Patient "+patient)
		p.Body = template.HTML(e.body)
		s.render(w, http.StatusOK, "patient.html", p)
		return
	}
	t, err := s.cfg.Data.Timeline(r.Context(), study, patient)
	if err != nil {
		s.pageErr(w, r, err)
		return
	}
	s.audit(r, idn.User.Name, "view-patient", study, patient, "ok")
	p := s.pageFor(idn, "Patient "+t.Patient)
	p.Study, p.Patient = study, t
	svg, toggles, skipped := s.patientFigure(r, t, true)
	p.Figure, p.Lanes, p.Skipped = template.HTML(svg), toggles, skipped
	p.EventRows, p.ValueRows = eventRows(t), valueRows(study, t)
	var body bytes.Buffer
	if err := pages().ExecuteTemplate(&body, "patientbody.html", p); err != nil {
		s.fail(w, r, fmt.Errorf("patient page: %w", err))
		return
	}
	if cacheable {
		s.cache.put(&partEntry{key: key, body: bytes.Clone(body.Bytes())}) // exact size: the buffer's spare capacity is not kept
	}
	p.Body = template.HTML(body.Bytes())
	s.render(w, http.StatusOK, "patient.html", p)
}

// patientSVG sends the figure as a file (the default lanes from the parts
// cache, like the page).
func (s *Server) patientSVG(w http.ResponseWriter, r *http.Request, idn *identity) {
	study, patient := r.PathValue("study"), r.PathValue("patient")
	key, cacheable := s.cacheKey(idn, study, patient, "svg")
	cacheable = cacheable && !r.URL.Query().Has("lanes")
	var svg []byte
	if e, ok := s.cacheGet(key, cacheable); ok {
		svg = e.body
	} else {
		t, err := s.cfg.Data.Timeline(r.Context(), study, patient)
		if err != nil {
			s.pageErr(w, r, err)
			return
		}
		fig, _, _ := s.patientFigure(r, t, false)
		svg = []byte(fig)
		if cacheable {
			s.cache.put(&partEntry{key: key, body: svg})
		}
	}
	s.audit(r, idn.User.Name, "download-figure", study, patient, "ok")
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Content-Disposition", `attachment; filename="timeline.svg"`)
	w.Write(svg)
}

func (s *Server) studyPage(w http.ResponseWriter, r *http.Request, idn *identity) {
	study := r.PathValue("study")
	const limit = 500
	ps, err := s.cfg.Data.Patients(r.Context(), study, store.Page{Limit: limit + 1})
	if err != nil {
		s.pageErr(w, r, err)
		return
	}
	runs, err := s.cfg.Data.Runs(r.Context(), study)
	if err != nil {
		s.pageErr(w, r, err)
		return
	}
	tab, err := s.cfg.Data.Table(r.Context(), study, store.TableQuery{Metric: "stem_like_fraction"})
	if err != nil {
		s.pageErr(w, r, err)
		return
	}
	cv, err := s.cohort(r, study)
	if err != nil {
		s.pageErr(w, r, err)
		return
	}
	s.audit(r, idn.User.Name, "view-study", study, "", "ok")
	p := s.pageFor(idn, "Study "+study)
	p.Study, p.Role, p.Runs = study, role(idn.Memberships, study).String(), runs
	if len(ps) > limit {
		ps, p.More = ps[:limit], limit
	}
	p.Patients, p.Cohort = ps, cv
	if svg := burdenFigure(tab); svg != "" {
		p.Burden = template.HTML(svg)
	}
	s.render(w, http.StatusOK, "study.html", p)
}

type pt struct{ v, lo, hi float64 }

func ps2v(ps []pt, f func(pt) float64) []float64 {
	out := make([]float64, len(ps))
	for i, p := range ps {
		out[i] = f(p)
	}
	return out
}

// burdenPoints is the most samples of one timepoint drawn one by one; more
// are summarised as a box (quartiles, R's type 7) with whiskers from the
// minimum to the maximum.
const burdenPoints = 100

// burdenBox draws the box of one timepoint at x and returns its quartiles.
func burdenBox(c *plot.Canvas, x float64, v []float64) (q1, med, q3 float64) {
	sort.Float64s(v)
	q1, med, q3 = stats.Quantile7(v, 0.25), stats.Quantile7(v, 0.5), stats.Quantile7(v, 0.75)
	col := plot.Palette[0]
	l, r := plot.Px(c.X(x-0.15)), plot.Px(c.X(x+0.15))
	c.Raw(`<g class="box"><title>%s</title>`+"\n", fmt.Sprintf("n=%d samples: median %.2f%%, quartiles %.2f–%.2f%%, range %.2f–%.2f%%", len(v), med, q1, q3, v[0], v[len(v)-1]))
	c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s"/>`+"\n", plot.Px(c.X(x)), plot.Px(c.X(x)), plot.Px(c.Y(v[0])), plot.Px(c.Y(v[len(v)-1])), col)
	c.Raw(`<rect x="%s" y="%s" width="%s" height="%s" fill="#fff" stroke="%s"/>`+"\n", l, plot.Px(c.Y(q3)), plot.Px(c.X(x+0.15)-c.X(x-0.15)), plot.Px(c.Y(q1)-c.Y(q3)), col)
	c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="2"/></g>`+"\n", l, r, plot.Px(c.Y(med)), plot.Px(c.Y(med)), col)
	return q1, med, q3
}

// timepointLess orders timepoint labels: "diagnosis" first, then labels
// with a number by that number (day90 before day364), then the rest by name.
func timepointLess(a, b string) bool {
	key := func(s string) (int, float64) {
		l := strings.ToLower(s)
		if l == "diagnosis" || l == "dx" || l == "baseline" {
			return 0, 0
		}
		i := strings.IndexAny(l, "0123456789")
		if i >= 0 {
			if v, err := strconv.ParseFloat(l[i:], 64); err == nil {
				return 1, v
			}
		}
		return 2, 0
	}
	ka, va := key(a)
	kb, vb := key(b)
	if ka != kb {
		return ka < kb
	}
	if va != vb {
		return va < vb
	}
	return a < b
}

// burdenFigure draws stem-like fractions (in %) by timepoint with their
// intervals and the risk bands, from the study's cohort table.
func burdenFigure(t *store.Table) string {
	col := map[string]int{}
	for i, h := range t.Header {
		col[h] = i
	}
	byTP := map[string][]pt{}
	for _, row := range t.Rows {
		v, err := strconv.ParseFloat(row[col["value"]], 64)
		if err != nil {
			continue
		}
		lo, _ := strconv.ParseFloat(row[col["lower"]], 64)
		hi, _ := strconv.ParseFloat(row[col["upper"]], 64)
		tp := row[col["timepoint"]]
		byTP[tp] = append(byTP[tp], pt{v * 100, lo * 100, hi * 100})
	}
	if len(byTP) == 0 {
		return ""
	}
	var tps []string
	for k := range byTP {
		tps = append(tps, k)
	}
	sort.Slice(tps, func(i, j int) bool { return timepointLess(tps[i], tps[j]) })
	c := plot.NewCanvas(640, 300)
	c.XMin, c.XMax = -0.5, float64(len(tps))-0.5
	ymax := 20.0
	for _, ps := range byTP {
		for _, p := range ps {
			ymax = math.Max(ymax, math.Max(p.v, p.hi))
		}
	}
	yt := plot.CoverTicks(0, ymax, 5)
	c.YMin, c.YMax = 0, yt[len(yt)-1].V
	var xt []plot.Tick
	every := 1 + len(tps)/6 // at most about six labels fit under 560 px
	for i, tp := range tps {
		label := ""
		if i%every == 0 {
			label = fmt.Sprintf("%s (n=%d)", tp, len(byTP[tp]))
		}
		xt = append(xt, plot.Tick{V: float64(i), Label: label})
	}
	c.Axes(xt, yt, "timepoint", "stem-like cells (% of cells counted)")
	c.HLine(5, "#999", "5 3", "5%")
	c.HLine(15, "#999", "5 3", "15%")
	for i, tp := range tps {
		ps := byTP[tp]
		if len(ps) > burdenPoints {
			burdenBox(c, float64(i), ps2v(ps, func(p pt) float64 { return p.v }))
			continue
		}
		for j, p := range ps {
			x := float64(i) + (float64(j)-float64(len(ps)-1)/2)*0.08
			c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s"/>`+"\n", plot.Px(c.X(x)), plot.Px(c.X(x)), plot.Px(c.Y(p.lo)), plot.Px(c.Y(p.hi)), plot.Palette[0])
			c.Marker(x, p.v, "circle", plot.Palette[0], fmt.Sprintf("%.2f%% (95%% CI %.2f–%.2f%%)", p.v, p.lo, p.hi))
		}
	}
	return c.SVG()
}

func (s *Server) runPage(w http.ResponseWriter, r *http.Request, idn *identity) {
	study, id := r.PathValue("study"), r.PathValue("run")
	run, err := s.studyRun(r.Context(), study, id)
	if err != nil {
		s.pageErr(w, r, err)
		return
	}
	const shown = 500 // a run of a large study measures many samples: the first are listed
	samples, err := s.cfg.Data.RunSamples(r.Context(), run.ID, store.Page{Limit: shown + 1})
	if err != nil {
		s.pageErr(w, r, err)
		return
	}
	s.audit(r, idn.User.Name, "view-run", study, id, "ok")
	p := s.pageFor(idn, "Run "+id)
	if len(samples) > shown {
		samples, p.More = samples[:shown], shown
	}
	p.Study, p.Run, p.RunSamples = study, run, samples
	s.render(w, http.StatusOK, "run.html", p)
}
