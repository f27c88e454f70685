package server

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/lsc-bio/lsc/auth"
)

// Config configures a Server.
type Config struct {
	Addr        string // host:port; default 127.0.0.1:8080
	TLSCert     string // PEM files; both or neither
	TLSKey      string
	BehindProxy bool // a TLS-terminating proxy is in front: allow a non-loopback address without TLS

	Accounts Accounts
	Data     Data             // the study store; nil serves sign-in only
	Logger   *slog.Logger     // JSON logs; request ids, never patient ids
	Now      func() time.Time // clock, for tests; time.Now when nil

	SessionTTL     time.Duration // default 12 h
	RequestTimeout time.Duration // default 30 s
	MaxBody        int64         // bytes; default 1 MiB (imports have their own limit)
	// ImportTimeout bounds POST /api/v1/imports (an upload of up to 1 GiB
	// and its import) instead of RequestTimeout; default 15 min.
	ImportTimeout time.Duration
	// CacheBytes bounds the cache of rendered per-patient parts (cache.go);
	// default 64 MiB, negative turns it off. Entries are keyed by the data
	// versions Accounts report (store.Principal.Versions): Accounts and
	// Data must be the same store (as in lsc serve), else turn it off.
	CacheBytes int64
	Version    string
}

// Server is the web application. Create it with New.
type Server struct {
	cfg     Config
	log     *slog.Logger
	now     func() time.Time
	limiter *auth.Limiter
	csrfKey [32]byte
	mux     *http.ServeMux
	routes  []route
	cache   *partCache
	ready   func(context.Context) error
}

// ErrInsecureAddr reports a non-loopback address without TLS.
var ErrInsecureAddr = errors.New("refusing to serve patient data over plain HTTP on a non-loopback address")

// CheckAddr enforces the listening policy: plain HTTP only on loopback,
// unless a TLS-terminating proxy is declared.
func CheckAddr(addr string, tls, behindProxy bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w (use host:port, e.g. 127.0.0.1:8080)", addr, err)
	}
	if tls || behindProxy {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%w %q: passwords and session cookies would cross the network unencrypted; give --tls-cert and --tls-key, or --behind-proxy when a TLS proxy forwards to this address", ErrInsecureAddr, addr)
}

// New builds the server and its routes.
func New(cfg Config) (*Server, error) {
	if cfg.Accounts == nil {
		return nil, errors.New("server: no Accounts")
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return nil, errors.New("give both --tls-cert and --tls-key, or neither")
	}
	if err := CheckAddr(cfg.Addr, cfg.TLSCert != "", cfg.BehindProxy); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	if cfg.ImportTimeout == 0 {
		cfg.ImportTimeout = 15 * time.Minute
	}
	if cfg.CacheBytes == 0 {
		cfg.CacheBytes = 64 << 20
	}
	s := &Server{cfg: cfg, log: cfg.Logger, now: cfg.Now, limiter: auth.NewLimiter(), mux: http.NewServeMux(), cache: newPartCache(cfg.CacheBytes)}
	if _, err := rand.Read(s.csrfKey[:]); err != nil {
		return nil, err
	}
	s.register()
	return s, nil
}

// Handler returns the whole application with its middleware.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	var h http.Handler = s.mux
	h = cop.Handler(h)
	h = s.authenticate(h)
	h = s.logRequests(h)
	h = securityHeaders(h, s.cfg.TLSCert != "")
	return h
}

// SetReady sets the readiness check behind /readyz (e.g. a database ping).
func (s *Server) SetReady(f func(context.Context) error) { s.ready = f }

// Serve listens on cfg.Addr until ctx is cancelled, then shuts down
// gracefully: in-flight requests get up to grace to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	srv := &http.Server{
		Handler:           s.withTimeouts(s.Handler()),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	if s.cfg.TLSCert != "" {
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	errc := make(chan error, 1)
	go func() {
		if s.cfg.TLSCert != "" {
			errc <- srv.ServeTLS(ln, s.cfg.TLSCert, s.cfg.TLSKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// importPath is the upload route, which gets Config.ImportTimeout.
const importPath = "/api/v1/imports"

// withTimeouts bounds every request by Config.RequestTimeout, except an
// import (POST /api/v1/imports): its upload of up to 1 GiB, the import
// transaction and the commit of its audit row get Config.ImportTimeout, so
// a large import under load is not cut off (and answered 503) after it
// succeeded. A streamed route (route.stream: a stored file, which may be
// hundreds of MB) is not buffered by http.TimeoutHandler, which holds a
// whole response in memory before its first byte: its lookup keeps the
// request deadline in its context, and each block sent gets its own write
// deadline (sendBlocks).
func (s *Server) withTimeouts(h http.Handler) http.Handler {
	const msg = `{"error":"request timed out"}`
	short := http.TimeoutHandler(h, s.cfg.RequestTimeout, msg)
	long := http.TimeoutHandler(h, s.cfg.ImportTimeout, msg)
	streamed := map[string]bool{}
	for _, rt := range s.routes {
		if rt.stream {
			streamed[rt.method+" "+rt.pattern] = true
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == importPath {
			long.ServeHTTP(w, r)
			return
		}
		if _, pattern := s.mux.Handler(r); streamed[pattern] {
			ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
			defer cancel()
			h.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		short.ServeHTTP(w, r)
	})
}
