package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/store"
)

// Data is what the server reads and imports: the study store (store.Store
// implements it).
type Data interface {
	Patients(ctx context.Context, study string, page store.Page) ([]store.Patient, error)
	Samples(ctx context.Context, study, patient string) ([]store.Sample, error)
	Runs(ctx context.Context, study string) ([]store.Run, error)
	Run(ctx context.Context, id string) (*store.Run, error)
	Timeline(ctx context.Context, study, patient string) (*store.Timeline, error)
	Table(ctx context.Context, study string, q store.TableQuery) (*store.Table, error)
	Courses(ctx context.Context, study string) ([]store.Course, error)
	SampleDetails(ctx context.Context, study, patient, name string) ([]store.SampleDetail, error)
	RunSamples(ctx context.Context, run string, page store.Page) ([]store.Sample, error)
	FilePath(sha string) string
	ImportRun(ctx context.Context, study, dir string, opt store.ImportOptions) (*store.ImportResult, error)
}

// registerData adds the study routes.
func (s *Server) registerData() {
	read := access{api: true, scoped: true, action: auth.Read}
	ok := map[string]string{"200": "OK", "304": "not modified (ETag)", "401": "no valid credentials", "404": "no such study or patient, or not a member"}
	s.handle(route{method: "GET", pattern: "/api/v1/patients", summary: "patients of a study (?study=, ?offset=, ?limit=)", access: read, responses: ok}, s.apiPatients)
	s.handle(route{method: "GET", pattern: "/api/v1/patients/{patient}/timeline", summary: "one patient's timeline: the JSON of `lsc study timeline --json`", access: read, responses: ok}, s.apiTimeline)
	s.handle(route{method: "GET", pattern: "/api/v1/patients/{patient}/samples", summary: "one patient's samples", access: read, responses: ok}, s.apiSamples)
	s.handle(route{method: "GET", pattern: "/api/v1/runs", summary: "imported runs of a study", access: read, responses: ok}, s.apiRuns)
	s.handle(route{method: "GET", pattern: "/api/v1/runs/{run}", summary: "one run with its parameters, input checksums and files", access: read, responses: ok}, s.apiRun)
	s.handle(route{method: "GET", pattern: "/api/v1/table", summary: "cohort table: one metric per patient (?metric=, ?at=, ?assay=, ?fraction=, ?target=)", access: read, responses: ok}, s.apiTable)
	s.handle(route{method: "POST", pattern: importPath, summary: "import a run folder sent as a tar, tar.gz or zip archive",
		access:    access{api: true, scoped: true, action: auth.Import, maxBody: 1 << 30},
		responses: map[string]string{"201": "imported", "200": "already imported", "400": "not an lsc run folder", "403": "role may not import", "413": "archive too large"}}, s.apiImport)
}

// fail maps a store error to an answer: not found -> 404, else 500
// (logged with the request id, never with patient ids).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	s.log.Error("store", "request_id", requestID(r.Context()), "route", infoOf(r.Context()).route, "err", err.Error())
	writeError(w, http.StatusInternalServerError, "internal error (request "+requestID(r.Context())+")")
}

// sendJSON writes v with an ETag (SHA-256 of the body) and answers 304 to a
// matching If-None-Match.
func sendJSON(w http.ResponseWriter, r *http.Request, v any) {
	b, etag, err := encodeJSON(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "encoding failed")
		return
	}
	sendBody(w, r, b, etag)
}

// encodeJSON is the body sendJSON writes for v and its ETag.
func encodeJSON(v any) ([]byte, string, error) {
	var b bytes.Buffer
	if err := report.JSON(&b, v); err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(b.Bytes())
	return b.Bytes(), `"` + hex.EncodeToString(sum[:16]) + `"`, nil
}

// timelineJSON is encodeJSON(t) (report.JSON's bytes), written by
// Timeline.AppendJSON.
func timelineJSON(t *store.Timeline) ([]byte, string, error) {
	b, err := t.AppendJSON(make([]byte, 0, 64<<10))
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(b)
	return b, `"` + hex.EncodeToString(sum[:16]) + `"`, nil
}

// sendBody writes an encoded JSON body with its ETag.
func sendBody(w http.ResponseWriter, r *http.Request, b []byte, etag string) {
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "private, no-cache")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// page reads ?offset= and ?limit= (default 100, at most 1000).
func pageOf(r *http.Request) (store.Page, error) {
	p := store.Page{Limit: 100}
	for _, q := range []struct {
		name string
		dst  *int
		max  int
	}{{"offset", &p.Offset, 1 << 30}, {"limit", &p.Limit, 1000}} {
		if v := r.URL.Query().Get(q.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > q.max {
				return p, errors.New(q.name + " must be a whole number from 0 to " + strconv.Itoa(q.max))
			}
			*q.dst = n
		}
	}
	if p.Limit == 0 {
		p.Limit = 100
	}
	return p, nil
}

type listPage struct {
	Items  any    `json:"items"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
	Next   string `json:"next,omitempty"`
}

func (s *Server) apiPatients(w http.ResponseWriter, r *http.Request, idn *identity) {
	p, err := pageOf(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	study := r.PathValue("study")
	ps, err := s.cfg.Data.Patients(r.Context(), study, store.Page{Offset: p.Offset, Limit: p.Limit + 1})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := listPage{Items: ps, Offset: p.Offset, Limit: p.Limit}
	if len(ps) > p.Limit {
		out.Items = ps[:p.Limit]
		out.Next = "/api/v1/patients?study=" + urlq(study) + "&offset=" + strconv.Itoa(p.Offset+p.Limit) + "&limit=" + strconv.Itoa(p.Limit)
	}
	if ps == nil {
		out.Items = []store.Patient{}
	}
	sendJSON(w, r, out)
}

// apiTimeline answers from the parts cache when this study's data version
// has the patient's JSON (the view is audited either way).
func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request, idn *identity) {
	study, patient := r.PathValue("study"), r.PathValue("patient")
	key, cacheable := s.cacheKey(idn, study, patient, "timeline")
	if e, ok := s.cacheGet(key, cacheable); ok {
		s.audit(r, idn.User.Name, "view-timeline", study, patient, "ok")
		sendBody(w, r, e.body, e.etag)
		return
	}
	t, err := s.cfg.Data.Timeline(r.Context(), study, patient)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r, idn.User.Name, "view-timeline", study, patient, "ok")
	b, etag, err := timelineJSON(t)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "encoding failed")
		return
	}
	if cacheable {
		s.cache.put(&partEntry{key: key, body: bytes.Clone(b), etag: etag}) // exact size (b grew by doubling)
	}
	sendBody(w, r, b, etag)
}

func (s *Server) apiSamples(w http.ResponseWriter, r *http.Request, idn *identity) {
	study, patient := r.PathValue("study"), r.PathValue("patient")
	ss, err := s.cfg.Data.Samples(r.Context(), study, patient)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r, idn.User.Name, "view-samples", study, patient, "ok")
	if ss == nil {
		ss = []store.Sample{}
	}
	sendJSON(w, r, map[string]any{"items": ss})
}

func (s *Server) apiRuns(w http.ResponseWriter, r *http.Request, idn *identity) {
	rs, err := s.cfg.Data.Runs(r.Context(), r.PathValue("study"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rs == nil {
		rs = []store.Run{}
	}
	sendJSON(w, r, map[string]any{"items": rs})
}

// studyRun returns run id if it belongs to study, else store.ErrNotFound
// (a run of another study is not shown, as if it did not exist).
func (s *Server) studyRun(ctx context.Context, study, id string) (*store.Run, error) {
	rs, err := s.cfg.Data.Runs(ctx, study)
	if err != nil {
		return nil, err
	}
	for _, x := range rs {
		if x.ID == id {
			return s.cfg.Data.Run(ctx, id)
		}
	}
	return nil, fmt.Errorf("run %s in study %s: %w", id, study, store.ErrNotFound)
}

// apiRun answers only for runs of the caller's study.
func (s *Server) apiRun(w http.ResponseWriter, r *http.Request, idn *identity) {
	run, err := s.studyRun(r.Context(), r.PathValue("study"), r.PathValue("run"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendJSON(w, r, run)
}

func (s *Server) apiTable(w http.ResponseWriter, r *http.Request, idn *identity) {
	q := r.URL.Query()
	tq := store.TableQuery{Metric: q.Get("metric"), Assay: q.Get("assay"), Fraction: q.Get("fraction"), Target: q.Get("target"), At: q.Get("at")}
	if tq.Metric == "" {
		writeError(w, http.StatusBadRequest, "give ?metric= (e.g. stem_like_fraction, is_percent, percent_parent, score)")
		return
	}
	t, err := s.cfg.Data.Table(r.Context(), r.PathValue("study"), tq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := make([]map[string]string, len(t.Rows))
	for i, row := range t.Rows {
		m := map[string]string{}
		for j, h := range t.Header {
			if j < len(row) {
				m[h] = row[j]
			}
		}
		rows[i] = m
	}
	s.audit(r, idn.User.Name, "view-table", r.PathValue("study"), tq.Metric, "ok")
	sendJSON(w, r, map[string]any{"columns": t.Header, "rows": rows})
}

func urlq(s string) string { return url.QueryEscape(s) }
