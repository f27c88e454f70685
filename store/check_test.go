package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// A database one migration behind is refused with ErrSchemaOld, naming the
// pending migration and, once, the command that applies it.
func TestCheckOldSchema(t *testing.T) {
	addr := filepath.Join(t.TempDir(), "study.db")
	st := openStore(t, addr)
	ctx := context.Background()
	ms, err := st.Migrations(ctx)
	if err != nil || len(ms) < 2 {
		t.Fatal(ms, err)
	}
	last := ms[len(ms)-1]
	db, err := sql.Open("sqlite", "file:"+addr)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "DELETE FROM schema_migrations WHERE version = ?", last.Version); err != nil {
		t.Fatal(err)
	}
	err = Check(ctx, st)
	if !errors.Is(err, ErrSchemaOld) {
		t.Fatalf("Check: %v, want ErrSchemaOld", err)
	}
	msg := err.Error()
	if strings.Count(msg, "lsc study migrate") != 1 || !strings.Contains(msg, "--db "+addr) || !strings.Contains(msg, last.Name) {
		t.Errorf("message %q", msg)
	}
}
