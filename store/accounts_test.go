package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/lsc-bio/lsc/auth"
)

func TestAccounts(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		ctx := context.Background()
		u, err := st.AddUser(ctx, "alice", "$argon2id$x", "S1", auth.Admin)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddUser(ctx, "alice", "h", "S1", auth.Viewer); !errors.Is(err, ErrExists) {
			t.Errorf("second alice: %v", err)
		}
		if err := st.SetRole(ctx, "alice", "S2", auth.Viewer); err != nil {
			t.Fatal(err)
		}
		ms, err := st.Memberships(ctx, u.ID)
		if err != nil || len(ms) != 2 || ms[0] != (auth.Membership{Study: "S1", Role: auth.Admin}) || ms[1] != (auth.Membership{Study: "S2", Role: auth.Viewer}) {
			t.Errorf("memberships %v %v", ms, err)
		}
		if _, err := st.UserByName(ctx, "bob"); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing user: %v", err)
		}
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		s := auth.Session{IDHash: auth.HashToken("sid"), UserID: u.ID, Created: now, Expires: now.Add(time.Hour)}
		if err := st.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		got, err := st.PrincipalBySession(ctx, s.IDHash)
		if err != nil || got.User.ID != u.ID || !got.Expires.Equal(s.Expires) {
			t.Errorf("session %+v %v", got, err)
		}
		// a new password ends every session of the user
		if err := st.SetPassword(ctx, "alice", "$argon2id$y"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.PrincipalBySession(ctx, s.IDHash); !errors.Is(err, ErrNotFound) {
			t.Errorf("session after password change: %v", err)
		}
		tok := auth.Token{Hash: auth.HashToken("t1"), UserID: u.ID, Name: "bot", Expires: now.Add(24 * time.Hour)}
		if err := st.AddToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if n, err := st.RevokeTokens(ctx, "alice", "bot"); n != 1 || err != nil {
			t.Errorf("revoke: %d %v", n, err)
		}
		if got, err := st.PrincipalByToken(ctx, tok.Hash); err != nil || !got.Revoked || !got.Expires.Equal(tok.Expires) {
			t.Errorf("token %+v %v", got, err)
		}
		us, err := st.Users(ctx)
		if err != nil || len(us) != 1 || us[0].Roles["S1"] != "admin" {
			t.Errorf("users %+v %v", us, err)
		}
	})
}

// Concurrent appends form one unbroken chain; a manual UPDATE or DELETE of
// a row is found by verification.
func TestAuditChainInStore(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		ctx := context.Background()
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				for j := 0; j < 5; j++ {
					if err := st.AppendAudit(ctx, auth.AuditRecord{Time: time.Now(), Actor: "alice", Action: "view-patient", Study: "S1", Object: "P1", Outcome: "ok", Client: "127.0.0.1"}); err != nil {
						t.Error(err)
					}
				}
			}(i)
		}
		wg.Wait()
		recs, err := st.AuditLog(ctx, AuditFilter{})
		if err != nil || len(recs) != 20 {
			t.Fatalf("%d rows, %v", len(recs), err)
		}
		if err := auth.VerifyChain(recs); err != nil {
			t.Fatal(err)
		}
		if _, err := st.DB().ExecContext(ctx, "UPDATE audit SET outcome = 'denied' WHERE seq = 7"); err != nil {
			t.Fatal(err)
		}
		recs, _ = st.AuditLog(ctx, AuditFilter{})
		var ce *auth.ChainError
		if err := auth.VerifyChain(recs); !errors.As(err, &ce) || ce.Seq != 7 {
			t.Errorf("after UPDATE: %v", err)
		}
		if _, err := st.DB().ExecContext(ctx, "DELETE FROM audit WHERE seq = 3"); err != nil {
			t.Fatal(err)
		}
		recs, _ = st.AuditLog(ctx, AuditFilter{})
		if err := auth.VerifyChain(recs); !errors.As(err, &ce) || ce.Seq != 3 {
			t.Errorf("after DELETE: %v", err)
		}
		if f, _ := st.AuditLog(ctx, AuditFilter{Outcome: "denied"}); len(f) != 1 || f[0].Seq != 7 {
			t.Errorf("filter: %+v", f)
		}
	})
}
