package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// backends runs fn on a fresh SQLite store and, when LSC_TEST_POSTGRES is
// set, on a fresh PostgreSQL schema: both backends pass the same tests.
// Under CI (CI=true) an unset or unreachable PostgreSQL fails the test.
func backends(t *testing.T, fn func(t *testing.T, st Store, addr string)) {
	t.Run("sqlite", func(t *testing.T) {
		addr := filepath.Join(t.TempDir(), "study.db")
		st := openStore(t, addr)
		fn(t, st, addr)
	})
	t.Run("postgres", func(t *testing.T) {
		addr := postgresSchema(t)
		st := openStore(t, addr)
		fn(t, st, addr)
	})
}

func openStore(t *testing.T, addr string) Store {
	t.Helper()
	st, err := Open(context.Background(), addr, Options{Files: filepath.Join(t.TempDir(), "files")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

// postgresSchema creates a schema of its own for the test and returns a DSN
// that uses it; the schema is dropped afterwards.
func postgresSchema(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("LSC_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("LSC_TEST_POSTGRES is not set under CI (.ci/run sets it)")
		}
		t.Skip("LSC_TEST_POSTGRES not set: PostgreSQL backend not tested (e.g. LSC_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	ctx := context.Background()
	admin, err := Open(ctx, dsn, Options{})
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL unreachable under CI: %v", err)
		}
		t.Skipf("PostgreSQL unreachable: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "lsc_test_" + hex.EncodeToString(b)
	if _, err := admin.DB().ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.DB().ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}
