package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/store"
)

// A reader is answered while another writer (an import, here a held
// transaction) owns SQLite's write lock: its audit row is queued, not
// waited for, and is in the log once the lock is released, the chain
// intact.
func TestViewDoesNotWaitForWriteLock(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "s.db"), store.Options{Files: filepath.Join(dir, "files")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "patients.csv")
	os.WriteFile(p, []byte("patient,diagnosis,diagnosis_date\nP1,AML,2020-01-01\n"), 0o644)
	if _, err := st.ImportPatients(ctx, "", p, store.PatientOptions{}); err != nil {
		t.Fatal(err)
	}
	h, _ := auth.HashPassword("alice-password", testParams, nil)
	st.AddUser(ctx, "alice", h, store.DefaultStudy, auth.Viewer)
	srv, _ := New(Config{Accounts: st, Data: st, Logger: slog.New(slog.DiscardHandler)})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	c := &http.Client{Jar: newJar()}
	if resp, err := c.PostForm(ts.URL+"/login", url.Values{"user": {"alice"}, "password": {"alice-password"}}); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	before, _ := st.AuditLog(ctx, store.AuditFilter{})

	tx, err := st.DB().BeginTx(ctx, nil) // _txlock=immediate: takes the write lock now
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan int, 1)
	go func() {
		resp, err := c.Get(ts.URL + "/api/v1/patients/P1/timeline?study=" + store.DefaultStudy)
		if err != nil {
			done <- 0
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	select {
	case code := <-done:
		if code != 200 {
			t.Errorf("timeline while the write lock is held: %d", code)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the timeline request waited for the write lock (its audit row must be queued, not awaited)")
	}
	tx.Rollback()
	after, err := st.AuditLog(ctx, store.AuditFilter{}) // waits for the queued row
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 || after[len(after)-1].Action != "view-timeline" || after[len(after)-1].Object != "P1" {
		t.Fatalf("audit rows %d -> %d, last %+v", len(before), len(after), after[len(after)-1])
	}
	if err := auth.VerifyChain(after); err != nil {
		t.Fatal(err)
	}
}
