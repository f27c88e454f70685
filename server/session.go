package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/lsc-bio/lsc/auth"
)

const sessionCookie = "lsc_session"

// identity is who is calling, set by authenticate.
type identity struct {
	User        auth.User
	Memberships []auth.Membership
	sessionID   string // the cookie value (empty for tokens)
	viaToken    bool
	// versions holds the data version of each of the caller's studies as
	// read with the credentials (nil when the Accounts cannot tell): the
	// key of the rendered-parts cache.
	versions map[string]int64
}

func identityOf(ctx context.Context) *identity {
	id, _ := ctx.Value(keyIdentity).(*identity)
	return id
}

// errBadToken marks a request whose bearer token is not valid: it never
// falls back to a cookie.
var errBadToken = errors.New("invalid or expired token")

// authenticate resolves a bearer token or the session cookie into an
// identity on the request context. It never rejects: handlers decide.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		idn, err := s.resolve(r)
		ctx := r.Context()
		if err != nil {
			ctx = context.WithValue(ctx, keyIdentity, (*identity)(nil))
			if errors.Is(err, errBadToken) {
				ctx = context.WithValue(ctx, keyBadToken, true)
			}
		} else if idn != nil {
			infoOf(ctx).userID = idn.User.ID
			ctx = context.WithValue(ctx, keyIdentity, idn)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

const keyBadToken ctxKey = 100

// resolve finds the caller in one store lookup (Accounts.PrincipalByToken
// or PrincipalBySession: credential, user, memberships and the studies'
// data versions), on every request: nothing about credentials is kept
// between requests, so a revoked token, an ended session, a disabled user
// or a changed role takes effect at the next request.
func (s *Server) resolve(r *http.Request) (*identity, error) {
	ctx := r.Context()
	now := s.now()
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || tok == "" {
			return nil, errBadToken
		}
		p, err := s.cfg.Accounts.PrincipalByToken(ctx, auth.HashToken(strings.TrimSpace(tok)))
		if err != nil || p.Revoked || !now.Before(p.Expires) || p.User.Disabled {
			return nil, errBadToken
		}
		return &identity{User: p.User, Memberships: p.Memberships, versions: p.Versions, viaToken: true}, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	p, err := s.cfg.Accounts.PrincipalBySession(ctx, auth.HashToken(c.Value))
	if err != nil || !now.Before(p.Expires) {
		return nil, nil
	}
	if p.User.Disabled {
		return nil, errBadToken
	}
	return &identity{User: p.User, Memberships: p.Memberships, versions: p.Versions, sessionID: c.Value}, nil
}

// csrfToken is the synchronizer token of a session: HMAC-SHA256 of the
// session id under a per-process key, so it needs no storage and an
// attacker who cannot read the cookie cannot compute it.
func (s *Server) csrfToken(sessionID string) string {
	m := hmac.New(sha256.New, s.csrfKey[:])
	m.Write([]byte(sessionID))
	return hex.EncodeToString(m.Sum(nil))
}

// checkCSRF reports whether a state-changing request from a browser
// session carries its token (form field "csrf" or header X-CSRF-Token).
// Requests authenticated by a bearer token carry no ambient credential and
// need none.
func (s *Server) checkCSRF(r *http.Request, idn *identity) bool {
	if idn != nil && idn.viaToken {
		return true
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	want := ""
	if idn != nil {
		want = s.csrfToken(idn.sessionID)
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// clientAddr is the peer address (the proxy's, behind a proxy: lsc does
// not trust forwarded headers it cannot verify).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// audit appends one audit row; a failure to audit is logged and fails the
// request's outcome only in the log (the row is the evidence, so callers
// that change data check the error).
// Read-only views (actions "view-..." and "download-...") are queued
// without waiting for the commit (Accounts.QueueAudit); every other action
// returns only once its row is committed.
func (s *Server) audit(r *http.Request, actor, action, study, object, outcome string) error {
	rec := auth.AuditRecord{
		Time: s.now().UTC(), Actor: actor, Action: action, Study: study, Object: object,
		Outcome: outcome, Client: clientAddr(r)}
	add := s.cfg.Accounts.AppendAudit
	if strings.HasPrefix(action, "view-") || strings.HasPrefix(action, "download-") {
		add = s.cfg.Accounts.QueueAudit
	}
	err := add(r.Context(), rec)
	if err != nil {
		s.log.Error("audit append failed", "request_id", requestID(r.Context()), "action", action, "err", err.Error())
	}
	return err
}

// dummyHash is verified against for unknown users so that a wrong user
// name takes as long as a wrong password. It is made on first use: computed
// at package init, this Argon2id hash cost every lsc command (score, survival
// cox ...) about 0.1 CPU s and 20 MB before doing anything.
var dummyHash = sync.OnceValue(func() string {
	h, _ := auth.HashPassword("not-a-real-password", auth.DefaultParams, nil)
	return h
})

// signIn checks a user name and password under the lock-out policy. It
// returns the user, or an error safe to show ("wrong user name or
// password", or the lock-out).
func (s *Server) signIn(r *http.Request, name, password string) (auth.User, error) {
	now := s.now()
	keys := []string{"user:" + strings.ToLower(name), "addr:" + clientAddr(r)}
	for _, k := range keys {
		if locked, _ := s.limiter.Locked(k, now); locked {
			s.audit(r, name, "sign-in", "", "", "locked")
			return auth.User{}, errLocked
		}
	}
	u, err := s.cfg.Accounts.UserByName(r.Context(), name)
	hash := u.PasswordHash
	if err != nil {
		hash = dummyHash()
	}
	ok, _ := auth.VerifyPassword(hash, password)
	if err != nil || !ok || u.Disabled {
		for _, k := range keys {
			s.limiter.Fail(k, now)
		}
		s.audit(r, name, "sign-in", "", "", "failed")
		return auth.User{}, errSignIn
	}
	for _, k := range keys {
		s.limiter.Succeed(k)
	}
	return u, nil
}

var (
	errSignIn = errors.New("wrong user name or password")
	errLocked = errors.New("too many failed sign-ins: try again in 15 minutes")
)

// startSession creates a new session (a new id at every sign-in, so a
// planted id is never promoted: no fixation) and sets its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		s.cfg.Accounts.DeleteSession(r.Context(), auth.HashToken(c.Value))
	}
	id, err := auth.NewSessionID(nil)
	if err != nil {
		return err
	}
	now := s.now()
	if err := s.cfg.Accounts.CreateSession(r.Context(), auth.Session{IDHash: auth.HashToken(id), UserID: u.ID, Created: now, Expires: now.Add(s.cfg.SessionTTL)}); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, Secure: s.cfg.TLSCert != "" || s.cfg.BehindProxy,
		SameSite: http.SameSiteStrictMode, MaxAge: int(s.cfg.SessionTTL / time.Second)})
	return nil
}

func clearSession(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

func hashID(id string) string { return auth.HashToken(id) }
