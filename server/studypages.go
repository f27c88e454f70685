package server

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strconv"

	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/plot"
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
}

func (s *Server) pageErr(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		s.fail(w, r, err)
	}
}

func (s *Server) patientFigure(r *http.Request, t *store.Timeline) (svg string, toggles []laneToggle, skipped int) {
	lanes, spans, marks, skipped := timelineFigure(t)
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

func (s *Server) patientPage(w http.ResponseWriter, r *http.Request, idn *identity) {
	study, patient := r.PathValue("study"), r.PathValue("patient")
	t, err := s.cfg.Data.Timeline(r.Context(), study, patient)
	if err != nil {
		s.pageErr(w, r, err)
		return
	}
	s.audit(r, idn.User.Name, "view-patient", study, patient, "ok")
	p := s.pageFor(idn, "Patient "+t.Patient)
	p.Study, p.Patient = study, t
	svg, toggles, skipped := s.patientFigure(r, t)
	p.Figure, p.Lanes, p.Skipped = template.HTML(svg), toggles, skipped
	s.render(w, http.StatusOK, "patient.html", p)
}

func (s *Server) patientSVG(w http.ResponseWriter, r *http.Request, idn *identity) {
	study, patient := r.PathValue("study"), r.PathValue("patient")
	t, err := s.cfg.Data.Timeline(r.Context(), study, patient)
	if err != nil {
		s.pageErr(w, r, err)
		return
	}
	s.audit(r, idn.User.Name, "download-figure", study, patient, "ok")
	svg, _, _ := s.patientFigure(r, t)
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Content-Disposition", `attachment; filename="timeline.svg"`)
	w.Write([]byte(svg))
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

// burdenFigure draws stem-like fractions (in %) by timepoint with their
// intervals and the risk bands, from the study's cohort table.
func burdenFigure(t *store.Table) string {
	col := map[string]int{}
	for i, h := range t.Header {
		col[h] = i
	}
	type pt struct{ v, lo, hi float64 }
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
	sort.Strings(tps)
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
	for i, tp := range tps {
		xt = append(xt, plot.Tick{V: float64(i), Label: fmt.Sprintf("%s (n=%d)", tp, len(byTP[tp]))})
	}
	c.Axes(xt, yt, "timepoint", "stem-like cells (% of cells counted)")
	c.HLine(5, "#999", "5 3", "5%")
	c.HLine(15, "#999", "5 3", "15%")
	for i, tp := range tps {
		ps := byTP[tp]
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
	runs, err := s.cfg.Data.Runs(r.Context(), study)
	if err != nil {
		s.pageErr(w, r, err)
		return
	}
	for _, x := range runs {
		if x.ID == id {
			run, err := s.cfg.Data.Run(r.Context(), id)
			if err != nil {
				s.pageErr(w, r, err)
				return
			}
			p := s.pageFor(idn, "Run "+id)
			p.Study, p.Run = study, run
			s.render(w, http.StatusOK, "run.html", p)
			return
		}
	}
	writeError(w, http.StatusNotFound, "not found")
}
