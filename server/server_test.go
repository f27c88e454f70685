package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lsc-bio/lsc/auth"
)

var testParams = auth.Params{Time: 1, Memory: 64, Threads: 1, SaltLen: 16, KeyLen: 32}

type fixture struct {
	srv  *Server
	ts   *httptest.Server
	mem  *memAccounts
	logs *bytes.Buffer
	now  time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	mem := newMem()
	for i, u := range []struct {
		name string
		ms   []auth.Membership
	}{
		{"alice", []auth.Membership{{Study: "S1", Role: auth.Admin}}},
		{"victor", []auth.Membership{{Study: "S1", Role: auth.Viewer}}},
		{"anna", []auth.Membership{{Study: "S1", Role: auth.Analyst}}},
		{"olga", []auth.Membership{{Study: "S2", Role: auth.Admin}}},
	} {
		h, err := auth.HashPassword(u.name+"-password", testParams, nil)
		if err != nil {
			t.Fatal(err)
		}
		id := int64(i + 1)
		mem.users[id] = auth.User{ID: id, Name: u.name, PasswordHash: h}
		mem.members[id] = u.ms
	}
	f := &fixture{mem: mem, logs: &bytes.Buffer{}, now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	srv, err := New(Config{Accounts: mem, Logger: slog.New(slog.NewJSONHandler(f.logs, nil)), Now: func() time.Time { return f.now }, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	// a study-scoped route needing the analyst role, to test role checks
	srv.handle(route{method: "POST", pattern: "/api/v1/studies/{study}/probe", summary: "test", access: access{api: true, scoped: true, action: auth.Import}},
		func(w http.ResponseWriter, r *http.Request, idn *identity) {
			writeJSON(w, map[string]string{"ok": r.PathValue("study")})
		})
	srv.handle(route{method: "GET", pattern: "/api/v1/studies/{study}/patients/{patient}", summary: "test", access: access{api: true, scoped: true, action: auth.Read}},
		func(w http.ResponseWriter, r *http.Request, idn *identity) {
			writeJSON(w, map[string]string{"patient": r.PathValue("patient")})
		})
	f.srv = srv
	f.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(f.ts.Close)
	return f
}

func (f *fixture) client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (f *fixture) login(t *testing.T, c *http.Client, user, pw string) *http.Response {
	t.Helper()
	resp, err := c.PostForm(f.ts.URL+"/login", url.Values{"user": {user}, "password": {pw}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func (f *fixture) cookie(c *http.Client) string {
	u, _ := url.Parse(f.ts.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			return ck.Value
		}
	}
	return ""
}

func TestNoCredentials(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	resp, _ := c.Get(f.ts.URL + "/")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("page without session: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = c.Get(f.ts.URL + "/api/v1/studies")
	var body map[string]string
	json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != http.StatusUnauthorized || body["error"] == "" || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("API without credentials: %d %v", resp.StatusCode, body)
	}
	resp, _ = c.Get(f.ts.URL + "/healthz")
	if resp.StatusCode != 200 {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
	// security headers on every answer
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
		if resp.Header.Get(h) != want {
			t.Errorf("%s = %q", h, resp.Header.Get(h))
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP %q", csp)
	}
}

func TestSignInSessionAndCSRF(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	// a planted session id (fixation attempt) is not promoted at sign-in
	u, _ := url.Parse(f.ts.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: "planted"}})
	resp := f.login(t, c, "alice", "alice-password")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	sc := resp.Header.Get("Set-Cookie")
	if !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Strict") {
		t.Errorf("cookie attributes: %q", sc)
	}
	id := f.cookie(c)
	if id == "" || id == "planted" {
		t.Fatalf("session id %q", id)
	}
	if _, ok := f.mem.sessions[auth.HashToken(id)]; !ok {
		t.Error("session stored by id, not by hash")
	}
	for h := range f.mem.sessions {
		if h == id {
			t.Error("raw session id stored")
		}
	}
	resp, _ = c.Get(f.ts.URL + "/")
	var page bytes.Buffer
	page.ReadFrom(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(page.String(), "<td><a href=\"/studies/S1\">S1</a></td><td>admin</td>") {
		t.Fatalf("home: %d %s", resp.StatusCode, page.String())
	}
	// sign-out without the CSRF token: 403, still signed in
	resp, _ = c.PostForm(f.ts.URL+"/logout", nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("logout without CSRF token: %d", resp.StatusCode)
	}
	resp, _ = c.PostForm(f.ts.URL+"/logout", url.Values{"csrf": {"0123"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("logout with a wrong CSRF token: %d", resp.StatusCode)
	}
	resp, _ = c.PostForm(f.ts.URL+"/logout", url.Values{"csrf": {f.srv.csrfToken(id)}})
	if resp.StatusCode != http.StatusSeeOther || len(f.mem.sessions) != 0 {
		t.Errorf("logout: %d, %d sessions left", resp.StatusCode, len(f.mem.sessions))
	}
	// an expired session is no session
	f.login(t, c, "alice", "alice-password")
	f.now = f.now.Add(13 * time.Hour)
	resp, _ = c.Get(f.ts.URL + "/api/v1/studies")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("expired session: %d", resp.StatusCode)
	}
}

func TestBruteForceLockout(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	for i := 0; i < 5; i++ {
		if resp := f.login(t, c, "alice", "wrong"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
		}
	}
	if resp := f.login(t, c, "alice", "alice-password"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("right password during lock-out: %d", resp.StatusCode)
	}
	f.now = f.now.Add(16 * time.Minute)
	if resp := f.login(t, c, "alice", "alice-password"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after the lock-out: %d", resp.StatusCode)
	}
	// every attempt is audited, and the chain verifies
	var outcomes []string
	for _, r := range f.mem.audit {
		outcomes = append(outcomes, r.Outcome)
	}
	if got := strings.Join(outcomes, ","); got != "failed,failed,failed,failed,failed,locked,ok" {
		t.Errorf("audit outcomes %s", got)
	}
	if err := auth.VerifyChain(f.mem.audit); err != nil {
		t.Error(err)
	}
}

func (f *fixture) token(uid int64, expires time.Time, revoked bool) string {
	tok, h, _ := auth.NewToken(nil)
	f.mem.tokens[h] = auth.Token{Hash: h, UserID: uid, Expires: expires, Revoked: revoked}
	return tok
}

func bearer(t *testing.T, method, url, tok string) *http.Response {
	req, _ := http.NewRequest(method, url, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestTokensAndRoles(t *testing.T) {
	f := newFixture(t)
	ok := f.token(1, f.now.Add(time.Hour), false)
	if r := bearer(t, "GET", f.ts.URL+"/api/v1/studies", ok); r.StatusCode != 200 {
		t.Errorf("valid token: %d", r.StatusCode)
	}
	if r := bearer(t, "GET", f.ts.URL+"/api/v1/studies", f.token(1, f.now.Add(-time.Second), false)); r.StatusCode != 401 {
		t.Errorf("expired token: %d", r.StatusCode)
	}
	if r := bearer(t, "GET", f.ts.URL+"/api/v1/studies", f.token(1, f.now.Add(time.Hour), true)); r.StatusCode != 401 {
		t.Errorf("revoked token: %d", r.StatusCode)
	}
	if r := bearer(t, "GET", f.ts.URL+"/", "lsc_pat_nonsense"); r.StatusCode != 401 {
		t.Errorf("bad token on a page: %d", r.StatusCode)
	}
	probe := f.ts.URL + "/api/v1/studies/S1/probe"
	for _, c := range []struct {
		uid  int64
		want int
	}{{1, 200}, {3, 200}, {2, 403}, {4, 404}} {
		tok := f.token(c.uid, f.now.Add(time.Hour), false)
		if r := bearer(t, "POST", probe, tok); r.StatusCode != c.want {
			t.Errorf("user %d import: %d, want %d", c.uid, r.StatusCode, c.want)
		}
	}
	// an outsider cannot tell an existing study from a missing one
	tok := f.token(4, f.now.Add(time.Hour), false)
	a, b := bearer(t, "GET", f.ts.URL+"/api/v1/studies/S1/patients/P1", tok), bearer(t, "GET", f.ts.URL+"/api/v1/studies/NOPE/patients/P1", tok)
	if a.StatusCode != 404 || b.StatusCode != 404 {
		t.Errorf("outsider: %d %d", a.StatusCode, b.StatusCode)
	}
}

func TestLogsCarryNoPatientID(t *testing.T) {
	f := newFixture(t)
	tok := f.token(2, f.now.Add(time.Hour), false)
	bearer(t, "GET", f.ts.URL+"/api/v1/studies/S1/patients/PSEUDO-4711", tok)
	logs := f.logs.String()
	if !strings.Contains(logs, `"route":"GET /api/v1/studies/{study}/patients/{patient}"`) || !strings.Contains(logs, `"request_id"`) {
		t.Errorf("log lacks route or request id: %s", logs)
	}
	if strings.Contains(logs, "PSEUDO-4711") || strings.Contains(logs, tok) {
		t.Errorf("log holds a patient id or token: %s", logs)
	}
}

func TestCheckAddr(t *testing.T) {
	for _, c := range []struct {
		addr       string
		tls, proxy bool
		ok         bool
	}{
		{"127.0.0.1:8080", false, false, true}, {"localhost:8080", false, false, true}, {"[::1]:8080", false, false, true},
		{":8080", false, false, false}, {"0.0.0.0:8080", false, false, false}, {"10.1.2.3:80", false, false, false},
		{":8443", true, false, true}, {":8080", false, true, true}, {"nonsense", false, false, false},
	} {
		err := CheckAddr(c.addr, c.tls, c.proxy)
		if (err == nil) != c.ok {
			t.Errorf("%s tls=%v proxy=%v: %v", c.addr, c.tls, c.proxy, err)
		}
		if c.addr == ":8080" && !c.proxy && !errors.Is(err, ErrInsecureAddr) {
			t.Errorf("want ErrInsecureAddr, got %v", err)
		}
	}
	if _, err := New(Config{Accounts: newMem(), Addr: ":8080"}); !errors.Is(err, ErrInsecureAddr) {
		t.Errorf("New on :8080 without TLS: %v", err)
	}
}

// The OpenAPI document lists exactly the API routes that exist, and each
// documented operation answers (not 404/405) on its method.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get(f.ts.URL + "/api/v1/openapi.json")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("openapi: %v %v", err, resp)
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	json.NewDecoder(resp.Body).Decode(&doc)
	want := map[string]bool{}
	for _, rt := range f.srv.routes {
		if strings.HasPrefix(rt.pattern, "/api/") || rt.pattern == "/healthz" || rt.pattern == "/readyz" {
			want[strings.ToLower(rt.method)+" "+rt.pattern] = true
		}
	}
	got := map[string]bool{}
	tok := f.token(1, f.now.Add(time.Hour), false)
	for p, ops := range doc.Paths {
		for m := range ops {
			got[m+" "+p] = true
			u := f.ts.URL + pathParam().ReplaceAllString(p, "S1")
			if r := bearer(t, strings.ToUpper(m), u, tok); r.StatusCode == 404 || r.StatusCode == 405 {
				t.Errorf("documented %s %s answers %d", m, p, r.StatusCode)
			}
		}
	}
	if doc.OpenAPI != "3.0.3" || len(got) != len(want) {
		t.Errorf("openapi %q: %d operations documented, %d routes", doc.OpenAPI, len(got), len(want))
	}
	for k := range want {
		if !got[k] {
			t.Errorf("route %s missing from the document", k)
		}
	}
}

// Shutdown lets an in-flight request finish.
func TestGracefulShutdown(t *testing.T) {
	f := newFixture(t)
	started := make(chan struct{})
	f.srv.handle(route{method: "GET", pattern: "/slow", access: access{public: true}}, func(w http.ResponseWriter, r *http.Request, _ *identity) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		w.Write([]byte("done"))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- f.srv.Serve(ctx, ln, 5*time.Second) }()
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- err.Error()
			return
		}
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		got <- b.String()
	}()
	<-started
	cancel()
	if s := <-got; s != "done" {
		t.Errorf("in-flight request got %q", s)
	}
	if err := <-served; err != nil {
		t.Error(err)
	}
}
