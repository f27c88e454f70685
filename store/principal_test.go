package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/lsc-bio/lsc/auth"
)

// One query finds a token's or session's user with memberships and data
// versions; revocation, disable, role changes and an ended session show
// at the next lookup, and every import raises the study's data version.
func TestPrincipal(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		ctx := context.Background()
		u, err := st.AddUser(ctx, "alice", "h", "S1", auth.Viewer)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetRole(ctx, "alice", "S0", auth.Analyst); err != nil {
			t.Fatal(err)
		}
		exp := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		tok, h, _ := auth.NewToken(nil)
		_ = tok
		if err := st.AddToken(ctx, auth.Token{Hash: h, UserID: u.ID, Name: "t", Expires: exp}); err != nil {
			t.Fatal(err)
		}
		p, err := st.PrincipalByToken(ctx, h)
		if err != nil || p.User.ID != u.ID || p.User.Name != "alice" || p.User.Disabled || p.Revoked || !p.Expires.Equal(exp) ||
			len(p.Memberships) != 2 || p.Memberships[0] != (auth.Membership{Study: "S0", Role: auth.Analyst}) ||
			p.Memberships[1] != (auth.Membership{Study: "S1", Role: auth.Viewer}) || len(p.Versions) != 2 {
			t.Fatalf("principal %+v %v", p, err)
		}
		if _, err := st.PrincipalByToken(ctx, auth.HashToken("nope")); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown token: %v", err)
		}
		// Data version: an import into S1 raises S1's, not S0's.
		v0, v1 := p.Versions["S0"], p.Versions["S1"]
		fx := filepath.Join("testdata", "study")
		if _, err := st.ImportPatients(ctx, "S1", filepath.Join(fx, "patients.csv"), PatientOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ImportRun(ctx, "S1", filepath.Join(fx, "stem"), ImportOptions{User: "t"}); err != nil {
			t.Fatal(err)
		}
		p, _ = st.PrincipalByToken(ctx, h)
		if p.Versions["S0"] != v0 || p.Versions["S1"] != v1+2 {
			t.Errorf("versions after two imports into S1: %v (were S0 %d, S1 %d)", p.Versions, v0, v1)
		}
		if res, err := st.ImportRun(ctx, "S1", filepath.Join(fx, "stem"), ImportOptions{User: "t"}); err != nil || !res.AlreadyImported {
			t.Fatal(res, err)
		}
		if q, _ := st.PrincipalByToken(ctx, h); q.Versions["S1"] != p.Versions["S1"] {
			t.Errorf("an import that changed nothing raised the version: %v -> %v", p.Versions, q.Versions)
		}
		// Changes take effect at the next lookup.
		if err := st.SetRole(ctx, "alice", "S0", auth.NoRole); err != nil {
			t.Fatal(err)
		}
		if p, _ = st.PrincipalByToken(ctx, h); len(p.Memberships) != 1 || p.Memberships[0].Study != "S1" {
			t.Errorf("after removing S0: %+v", p.Memberships)
		}
		if err := st.SetRole(ctx, "alice", "S1", auth.NoRole); err != nil {
			t.Fatal(err)
		}
		if p, err = st.PrincipalByToken(ctx, h); err != nil || len(p.Memberships) != 0 || p.User.ID != u.ID {
			t.Errorf("a user in no study is still found, with no memberships: %+v %v", p, err)
		}
		if _, err := st.RevokeTokens(ctx, "alice", ""); err != nil {
			t.Fatal(err)
		}
		if p, _ = st.PrincipalByToken(ctx, h); !p.Revoked {
			t.Error("revoked token not marked revoked")
		}
		now := time.Now()
		sid := auth.HashToken("sid")
		if err := st.CreateSession(ctx, auth.Session{IDHash: sid, UserID: u.ID, Created: now, Expires: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if p, err = st.PrincipalBySession(ctx, sid); err != nil || p.User.ID != u.ID || p.Revoked {
			t.Errorf("session principal %+v %v", p, err)
		}
		if err := st.DisableUser(ctx, "alice", true); err != nil {
			t.Fatal(err)
		}
		if _, err := st.PrincipalBySession(ctx, sid); !errors.Is(err, ErrNotFound) {
			t.Errorf("disabling ends the sessions: %v", err)
		}
		if p, _ = st.PrincipalByToken(ctx, h); !p.User.Disabled {
			t.Error("disabled user not marked disabled")
		}
	})
}
