package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"
)

// csp allows only the server's own stylesheet and images; no script at all.
const csp = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func securityHeaders(next http.Handler, tls bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		if tls {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyIdentity
)

func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// reqInfo is shared by the logging middleware and the layers inside it,
// which see copies of the request: they fill in the user and the route.
type reqInfo struct {
	id     string
	userID int64
	route  string
}

func infoOf(ctx context.Context) *reqInfo {
	ri, _ := ctx.Value(keyRequestID).(*reqInfo)
	if ri == nil {
		return &reqInfo{}
	}
	return ri
}

// requestID returns the id of the request, as logged and audited.
func requestID(ctx context.Context) string { return infoOf(ctx).id }

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one JSON line per request: the route pattern (never the
// path, which may hold a patient pseudonym), status, duration, request id
// and user id. Panics become 500 with the request id.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := newRequestID()
		ri := &reqInfo{id: id, route: "unmatched"}
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(context.WithValue(r.Context(), keyRequestID, ri))
		sw := &statusWriter{ResponseWriter: w}
		start := time.Now()
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "request_id", id, "route", ri.route, "panic", slog.AnyValue(p))
				if sw.status == 0 {
					writeError(sw, http.StatusInternalServerError, "internal error (request "+id+")")
				}
			}
			s.log.Info("request", "request_id", id, "method", r.Method, "route", ri.route, "status", sw.status,
				"bytes", sw.bytes, "ms", time.Since(start).Milliseconds(), "user_id", ri.userID)
		}()
		next.ServeHTTP(sw, r)
	})
}
