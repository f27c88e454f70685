package server

import (
	"net/http"
	"testing"
	"time"
)

// countingWriter is a ResponseWriter that counts the bytes that reach it.
type countingWriter struct {
	h http.Header
	n int
}

func (c *countingWriter) Header() http.Header         { return c.h }
func (c *countingWriter) WriteHeader(int)             {}
func (c *countingWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

// A streamed route's response passes the request timeout's buffer: the
// first blocks reach the connection while the handler still writes, and
// its context still has a deadline. Any other route is held by
// http.TimeoutHandler until its handler returns (so that a timeout can
// replace it whole).
func TestStreamedRoutes(t *testing.T) {
	s := &Server{cfg: Config{RequestTimeout: time.Minute, ImportTimeout: time.Hour}, mux: http.NewServeMux()}
	s.routes = []route{{method: "GET", pattern: "/studies/{study}/runs/{run}/files/{name...}", stream: true}, {method: "GET", pattern: "/studies/{study}/samples/{sample}"}}
	cw := &countingWriter{h: http.Header{}}
	seen := 0 // bytes at the connection while the handler ran
	for _, rt := range s.routes {
		s.mux.HandleFunc(rt.method+" "+rt.pattern, func(w http.ResponseWriter, r *http.Request) {
			if _, ok := r.Context().Deadline(); !ok {
				t.Errorf("%s: no deadline on the request's context", r.URL.Path)
			}
			for range 8 {
				w.Write(make([]byte, 64<<10))
				seen = cw.n
			}
		})
	}
	h := s.withTimeouts(s.mux)
	for path, streamed := range map[string]bool{
		"/studies/default/runs/stemcells-0123/files/cells.tsv":      true,
		"/studies/default/runs/stemcells-0123/files/samples/A.html": true,
		"/studies/default/samples/A":                                false,
	} {
		cw.n, seen = 0, 0
		r, _ := http.NewRequest("GET", "http://lsc.test"+path, nil)
		h.ServeHTTP(cw, r)
		if cw.n != 8<<16 {
			t.Fatalf("%s: %d bytes sent, want %d", path, cw.n, 8<<16)
		}
		if got := seen > 0; got != streamed {
			t.Errorf("%s: streamed %v (%d bytes out before the handler returned), want %v", path, got, seen, streamed)
		}
	}
}

// The run file route is the one streamed route among the sample pages'.
func TestRunFileRouteStreamed(t *testing.T) {
	s := &Server{mux: http.NewServeMux()}
	s.registerSamplePages()
	var got []string
	for _, rt := range s.routes {
		if rt.stream {
			got = append(got, rt.pattern)
		}
	}
	if len(got) != 1 || got[0] != "/studies/{study}/runs/{run}/files/{name...}" {
		t.Errorf("streamed routes %q, want the run file's only", got)
	}
}
