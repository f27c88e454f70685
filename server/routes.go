package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/lsc-bio/lsc/auth"
)

// access says who may call a route.
type access struct {
	public  bool        // no sign-in needed
	api     bool        // JSON errors (401) instead of a redirect to /login
	scoped  bool        // acts on one study: {study} in the path, ?study=, or the caller's only study
	action  auth.Action // needed on that study
	maxBody int64       // request body limit; 0 = Config.MaxBody
}

// route is one entry of the route table: it registers the handler and
// documents the API (openapi.go), so the document cannot drift from the
// routes that exist.
type route struct {
	method, pattern, summary string
	access                   access
	responses                map[string]string // status -> description, for the API document
	// stream: the response is a file sent in blocks with a write deadline
	// each (sendBlocks), not held whole by the request timeout's buffer
	// (withTimeouts).
	stream bool
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, idn *identity)

// handle registers one route behind the checks every handler needs:
// sign-in, CSRF on state-changing browser requests, and the caller's role
// in the route's study (a study the caller is not in answers 404, as if
// it did not exist).
func (s *Server) handle(rt route, h handlerFunc) {
	s.routes = append(s.routes, rt)
	s.mux.HandleFunc(rt.method+" "+rt.pattern, func(w http.ResponseWriter, r *http.Request) {
		infoOf(r.Context()).route = rt.method + " " + rt.pattern
		limit := rt.access.maxBody
		if limit == 0 {
			limit = s.cfg.MaxBody
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		idn := identityOf(r.Context())
		if !rt.access.public && idn == nil {
			if rt.access.api || r.Context().Value(keyBadToken) != nil {
				writeError(w, http.StatusUnauthorized, "sign in or send Authorization: Bearer TOKEN (lsc user token create)")
				return
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if unsafe(r.Method) && idn != nil && !s.checkCSRF(r, idn) {
			writeError(w, http.StatusForbidden, "missing or wrong CSRF token: reload the page and submit again")
			return
		}
		if rt.access.scoped {
			study := studyOf(r, idn)
			if study == "" {
				writeError(w, http.StatusBadRequest, "say which study: ?study=NAME (GET /api/v1/studies lists yours)")
				return
			}
			r.SetPathValue("study", study)
			role := role(idn.Memberships, study)
			if role == auth.NoRole {
				writeError(w, http.StatusNotFound, "not found")
				return
			}
			if !role.Allows(rt.access.action) {
				s.audit(r, idn.User.Name, rt.access.action.String(), study, "", "denied")
				writeError(w, http.StatusForbidden, "your role in this study ("+role.String()+") may not "+rt.access.action.String())
				return
			}
		}
		h(w, r, idn)
	})
}

// studyOf is the study a request acts on: the {study} path value, the
// study query parameter, or the caller's only study.
func studyOf(r *http.Request, idn *identity) string {
	if s := r.PathValue("study"); s != "" {
		return s
	}
	if s := r.URL.Query().Get("study"); s != "" {
		return s
	}
	if idn != nil && len(idn.Memberships) == 1 {
		return idn.Memberships[0].Study
	}
	return ""
}

func unsafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// writeError answers with a JSON error body {"error": msg}.
func writeError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	enc.Encode(v)
}

// register builds the route table.
func (s *Server) register() {
	pub := access{public: true}
	s.handle(route{method: "GET", pattern: "/healthz", summary: "liveness: 200 while the process serves", access: pub,
		responses: map[string]string{"200": "alive"}}, s.healthz)
	s.handle(route{method: "GET", pattern: "/readyz", summary: "readiness: 200 when the database answers", access: pub,
		responses: map[string]string{"200": "ready", "503": "database unreachable"}}, s.readyz)
	s.handle(route{method: "GET", pattern: "/login", summary: "sign-in page", access: pub}, s.loginPage)
	s.handle(route{method: "POST", pattern: "/login", summary: "sign in", access: pub}, s.login)
	s.handle(route{method: "POST", pattern: "/logout", summary: "sign out", access: access{}}, s.logout)
	s.handle(route{method: "GET", pattern: "/static/style.css", summary: "stylesheet", access: pub}, serveCSS)
	s.handle(route{method: "GET", pattern: "/{$}", summary: "the caller's studies", access: access{}}, s.home)
	api := access{api: true}
	s.handle(route{method: "GET", pattern: "/api/v1/openapi.json", summary: "this API's OpenAPI 3 document", access: access{public: true, api: true},
		responses: map[string]string{"200": "OpenAPI document"}}, s.openapi)
	s.handle(route{method: "GET", pattern: "/api/v1/studies", summary: "studies the caller is a member of, with the caller's role", access: api,
		responses: map[string]string{"200": "list of studies", "401": "no valid credentials"}}, s.apiStudies)
	s.registerAdmin()
	if s.cfg.Data != nil {
		s.registerData()
		s.registerPages()
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, _ *identity) {
	writeJSON(w, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request, _ *identity) {
	if s.ready != nil {
		if err := s.ready(r.Context()); err != nil {
			s.log.Warn("not ready", "request_id", requestID(r.Context()), "err", err.Error())
			writeError(w, http.StatusServiceUnavailable, "database unreachable")
			return
		}
	}
	writeJSON(w, map[string]string{"status": "ready"})
}

type studyRole struct {
	Study string `json:"study"`
	Role  string `json:"role"`
}

func studyRoles(idn *identity) []studyRole {
	out := []studyRole{}
	for _, m := range idn.Memberships {
		out = append(out, studyRole{m.Study, m.Role.String()})
	}
	return out
}

func (s *Server) apiStudies(w http.ResponseWriter, r *http.Request, idn *identity) {
	writeJSON(w, map[string]any{"studies": studyRoles(idn)})
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/"
	}
	return next
}
