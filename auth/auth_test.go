package auth

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRoles(t *testing.T) {
	// The permission table of issue 14: viewer reads; analyst imports and
	// annotates; admin manages users, memberships and the audit log.
	tests := []struct {
		role Role
		a    Action
		want bool
	}{
		{NoRole, Read, false}, {Viewer, Read, true}, {Viewer, Import, false}, {Viewer, Export, false},
		{Analyst, Import, true}, {Analyst, Annotate, true}, {Analyst, Manage, false}, {Analyst, Audit, false},
		{Admin, Manage, true}, {Admin, Audit, true}, {Admin, Read, true},
	}
	for _, tt := range tests {
		if got := tt.role.Allows(tt.a); got != tt.want {
			t.Errorf("%v %v = %v", tt.role, tt.a, got)
		}
	}
	for _, s := range []string{"viewer", "Analyst", " admin "} {
		r, err := ParseRole(s)
		if err != nil || r.String() != strings.ToLower(strings.TrimSpace(s)) {
			t.Errorf("ParseRole(%q) = %v, %v", s, r, err)
		}
	}
	if _, err := ParseRole("root"); !errors.Is(err, ErrRole) {
		t.Errorf("ParseRole(root): %v", err)
	}
}

func TestPasswordRoundTrip(t *testing.T) {
	p := Params{Time: 1, Memory: 64, Threads: 1, SaltLen: 16, KeyLen: 32}
	h, err := HashPassword("correct horse", p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("encoding %q", h)
	}
	if ok, err := VerifyPassword(h, "correct horse"); !ok || err != nil {
		t.Errorf("right password: %v %v", ok, err)
	}
	if ok, _ := VerifyPassword(h, "correct horsf"); ok {
		t.Error("wrong password accepted")
	}
	h2, _ := HashPassword("correct horse", p, nil)
	if h2 == h {
		t.Error("two hashes share a salt")
	}
	if _, err := HashPassword("short", p, nil); !errors.Is(err, ErrWeakPassword) {
		t.Errorf("short password: %v", err)
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"} {
		if _, err := VerifyPassword(bad, "x"); !errors.Is(err, ErrHashFormat) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestTokenHash(t *testing.T) {
	// FIPS 180-2 appendix B.1: SHA-256("abc").
	if got := HashToken("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("HashToken(abc) = %s", got)
	}
	tok, h, err := NewToken(bytes.NewReader(make([]byte, 32)))
	if err != nil || !strings.HasPrefix(tok, TokenPrefix) || h != HashToken(tok) || len(tok) != len(TokenPrefix)+52 {
		t.Errorf("token %q %q %v", tok, h, err)
	}
	a, _ := NewSessionID(nil)
	b, _ := NewSessionID(nil)
	if a == b || len(a) != 52 {
		t.Errorf("session ids %q %q", a, b)
	}
}

func TestLimiter(t *testing.T) {
	l := NewLimiter()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 4; i++ {
		if l.Fail("alice", t0.Add(time.Duration(i)*time.Minute)) {
			t.Fatalf("locked after %d failures", i+1)
		}
	}
	if !l.Fail("alice", t0.Add(4*time.Minute)) {
		t.Fatal("not locked after 5 failures in 15 minutes")
	}
	if ok, until := l.Locked("alice", t0.Add(10*time.Minute)); !ok || !until.Equal(t0.Add(19*time.Minute)) {
		t.Errorf("locked %v until %v", ok, until)
	}
	if ok, _ := l.Locked("alice", t0.Add(19*time.Minute)); ok {
		t.Error("still locked after the lock-out")
	}
	// failures spread over more than the window never lock
	for i := 0; i < 10; i++ {
		if l.Fail("bob", t0.Add(time.Duration(i)*4*time.Minute)) {
			t.Fatalf("bob locked at failure %d", i+1)
		}
	}
	l.Fail("carol", t0)
	l.Succeed("carol")
	l.Sweep(t0.Add(time.Hour))
	if len(l.keys) != 0 {
		t.Errorf("%d keys left after sweep", len(l.keys))
	}
}

func chain(n int) []AuditRecord {
	var recs []AuditRecord
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		r := AuditRecord{Time: t0.Add(time.Duration(i) * time.Second), Actor: "alice", Action: "view-patient", Study: "S1", Object: "P" + string(rune('0'+i)), Outcome: "ok", Client: "127.0.0.1"}
		var prev *AuditRecord
		if i > 0 {
			prev = &recs[i-1]
		}
		recs = append(recs, Seal(r, prev))
	}
	return recs
}

func TestAuditChain(t *testing.T) {
	recs := chain(5)
	if err := VerifyChain(recs); err != nil {
		t.Fatal(err)
	}
	edited := chain(5)
	edited[2].Outcome = "denied"
	var ce *ChainError
	if err := VerifyChain(edited); !errors.As(err, &ce) || ce.Seq != 3 || !errors.Is(err, ErrChain) {
		t.Errorf("edited row: %v", err)
	}
	removed := append(chain(5)[:2:2], chain(5)[3:]...)
	if err := VerifyChain(removed); !errors.As(err, &ce) || ce.Seq != 3 {
		t.Errorf("removed row: %v", err)
	}
	// an edit that also recomputes its own hash still breaks the next link
	rehashed := chain(5)
	rehashed[1].Actor = "mallory"
	rehashed[1].Hash = ChainHash(rehashed[1])
	if err := VerifyChain(rehashed); !errors.As(err, &ce) || ce.Seq != 3 {
		t.Errorf("rehashed row: %v", err)
	}
}

// The reference implementation's command (argon2 0~20171227, Debian
// bookworm, the PHC winner's own code) printed this for
// `echo -n "correct horse battery" | argon2 "lsc-salt-16bytes" -id -t 2 -k 19456 -p 1 -l 32 -e`.
func TestPasswordReferenceVector(t *testing.T) {
	const ref = "$argon2id$v=19$m=19456,t=2,p=1$bHNjLXNhbHQtMTZieXRlcw$mUi1UyZpz/KoJsOronTUO++7Enhn4VaUMTJ3LVuwbas"
	ok, err := VerifyPassword(ref, "correct horse battery")
	if err != nil || !ok {
		t.Fatalf("reference hash not verified: %v %v", ok, err)
	}
	h, err := HashPassword("correct horse battery", DefaultParams, strings.NewReader("lsc-salt-16bytes"))
	if err != nil || h != ref {
		t.Errorf("HashPassword = %s, want the reference %s", h, ref)
	}
}
