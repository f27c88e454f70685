package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/server"
	"github.com/lsc-bio/lsc/store"
)

type serveFlags struct {
	studyFlags
	addr, cert, key string
	pprof           string // loopback address for net/http/pprof (bench/README.md)
	behindProxy     bool
}

func serveCmd() *cobra.Command {
	var f serveFlags
	c := &cobra.Command{
		Use:   "serve --db DB [--addr 127.0.0.1:8080] [--tls-cert C.pem --tls-key K.pem] [--behind-proxy]",
		Short: "the web app and REST API over a study database",
		Long: `Serves patient timelines (SVG and PNG downloads), cohort dashboards, run and sample pages (score
histograms, flow density plots with gates, MRD rows, provenance, stored files) and the REST API (/api/v1,
OpenAPI at /api/v1/openapi.json) with sign-in, roles per study and an audit trail. Add users first with lsc user add.

Plain HTTP is served only on a loopback address; any other address needs --tls-cert and --tls-key,
or --behind-proxy when a TLS-terminating proxy forwards to it. Logs are JSON lines on stderr with
request ids (never patient pseudonyms). Ctrl-C stops it after in-flight requests finish.

  lsc serve --db study.db
  lsc serve --db postgres://lab@db/leukemia --addr :8443 --tls-cert c.pem --tls-key k.pem`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := server.CheckAddr(f.addr, f.cert != "", f.behindProxy); err != nil {
				return usageError{err}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			st, err := f.openChecked(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			return serve(ctx, cmd, st, f, nil)
		}}
	f.add(c)
	c.Flags().StringVar(&f.addr, "addr", "127.0.0.1:8080", "listen address host:port")
	c.Flags().StringVar(&f.cert, "tls-cert", "", "TLS certificate (PEM)")
	c.Flags().StringVar(&f.key, "tls-key", "", "TLS private key (PEM)")
	c.Flags().StringVar(&f.pprof, "pprof", "", "serve Go's profiler (net/http/pprof) on this loopback host:port, for load tests")
	c.Flags().BoolVar(&f.behindProxy, "behind-proxy", false, "a TLS-terminating proxy forwards to --addr (allows a non-loopback address without TLS; cookies marked Secure)")
	return c
}

// serve runs the server on st until ctx ends; ready (may be nil) gets the
// listening address before requests are served.
func serve(ctx context.Context, cmd *cobra.Command, st store.Store, f serveFlags, ready func(addr string)) error {
	level := slog.LevelInfo // one JSON line per request
	if f.quiet {
		level = slog.LevelWarn
	}
	log := slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
	srv, err := server.New(server.Config{Addr: f.addr, TLSCert: f.cert, TLSKey: f.key, BehindProxy: f.behindProxy,
		Accounts: st, Data: st, Logger: log, Version: version})
	if err != nil {
		return usageError{err}
	}
	srv.SetReady(func(ctx context.Context) error { return st.DB().PingContext(ctx) })
	if f.pprof != "" {
		if err := startPprof(f.pprof); err != nil {
			return usageError{err}
		}
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another server using the port? choose another with --addr)", f.addr, err)
	}
	scheme := "http"
	if f.cert != "" {
		scheme = "https"
	}
	if ready != nil {
		ready(ln.Addr().String())
	} else {
		fmt.Fprintf(cmd.ErrOrStderr(), "lsc: serving %s on %s://%s (Ctrl-C stops)\n", st.Backend(), scheme, ln.Addr())
	}
	return srv.Serve(ctx, ln, 30*time.Second)
}

// startPprof serves net/http/pprof on a loopback address only (profiles
// show no patient data, but they are nobody else's business either).
func startPprof(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--pprof %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--pprof %q: give a loopback address (127.0.0.1:6060)", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--pprof %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go http.Serve(ln, mux)
	return nil
}
