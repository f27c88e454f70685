package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// An export reads a snapshot without SQLite's write lock: it completes
// while another connection holds that lock (BEGIN IMMEDIATE, as an import
// or the audit writer does). Before, the export began its own BEGIN
// IMMEDIATE and waited for the lock until the busy timeout, then failed.
func TestExportWhileWriteLockHeld(t *testing.T) {
	addr := filepath.Join(t.TempDir(), "study.db")
	st := openStore(t, addr)
	importFixture(t, st)
	other, err := sql.Open("sqlite", "file:"+addr+"?_pragma=busy_timeout(100)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK")
	tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := st.Export(tctx, "", filepath.Join(t.TempDir(), "archive"), ExportOptions{}); err != nil {
		t.Fatalf("export while another connection holds the write lock: %v", err)
	}
}
