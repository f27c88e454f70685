package server

import (
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/store"
)

//go:embed web
var webFS embed.FS

// pageFuncs are the templates' functions.
var pageFuncs = template.FuncMap{
	"deref": func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	},
	"pathseg":  url.PathEscape, // one path segment: a sample name may hold "/" (e.g. "CD34+CD38-/low")
	"outcomes": func() []string { return []string{"ok", "denied", "failed", "locked"} },
	"when":     func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") },
	"num": func(v *float64) string {
		if v == nil {
			return ""
		}
		return report.Num(*v)
	},
}

var pages = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(pageFuncs).ParseFS(webFS, "web/*.html"))
})

// page is what every template gets; each page fills its own fields.
type page struct {
	Title, User, CSRF, Version, Error, Next string
	Studies                                 []studyRole

	Study, Role string
	Patient     *store.Timeline
	Lanes       []laneToggle
	Figure      template.HTML // SVG built by package plot, text escaped
	Skipped     int
	Patients    []store.Patient
	More        int
	Runs        []store.Run
	Burden      template.HTML
	Run         *store.Run
	Members     []member
	Audit       *auditView
	Cohort      *cohortView
	Sample      *sampleView
	RunSamples  []store.Sample
	// The patient page: Body is patientbody.html as rendered (cached per
	// patient and data version); EventRows and ValueRows its tables' rows
	// (patientrows.go).
	Body, EventRows, ValueRows template.HTML
}

func (s *Server) render(w http.ResponseWriter, status int, name string, p page) {
	p.Version = s.cfg.Version
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := pages().ExecuteTemplate(w, name, p); err != nil {
		s.log.Error("template", "name", name, "err", err.Error())
	}
}

func (s *Server) pageFor(idn *identity, title string) page {
	p := page{Title: title}
	if idn != nil {
		p.User = idn.User.Name
		if !idn.viaToken {
			p.CSRF = s.csrfToken(idn.sessionID)
		}
	}
	return p
}

func serveCSS(w http.ResponseWriter, r *http.Request, _ *identity) {
	b, _ := webFS.ReadFile("web/style.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(b)
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, idn *identity) {
	p := s.pageFor(nil, "Sign in")
	p.Next = safeNext(r.URL.Query().Get("next"))
	s.render(w, http.StatusOK, "login.html", p)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, _ *identity) {
	name, password := r.PostFormValue("user"), r.PostFormValue("password")
	u, err := s.signIn(r, name, password)
	if err != nil {
		p := s.pageFor(nil, "Sign in")
		p.Error, p.Next = err.Error(), safeNext(r.PostFormValue("next"))
		code := http.StatusUnauthorized
		if err == errLocked {
			code = http.StatusTooManyRequests
		}
		s.render(w, code, "login.html", p)
		return
	}
	if err := s.startSession(w, r, u); err != nil {
		s.log.Error("session", "request_id", requestID(r.Context()), "err", err.Error())
		writeError(w, http.StatusInternalServerError, "could not start a session")
		return
	}
	s.audit(r, u.Name, "sign-in", "", "", "ok")
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, idn *identity) {
	if idn.sessionID != "" {
		if err := s.cfg.Accounts.DeleteSession(r.Context(), hashID(idn.sessionID)); err != nil {
			s.log.Error("sign-out", "request_id", requestID(r.Context()), "err", err.Error())
		}
	}
	clearSession(w, s.cfg.TLSCert != "" || s.cfg.BehindProxy)
	s.audit(r, idn.User.Name, "sign-out", "", "", "ok")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, idn *identity) {
	p := s.pageFor(idn, "Studies")
	p.Studies = studyRoles(idn)
	s.render(w, http.StatusOK, "home.html", p)
}
