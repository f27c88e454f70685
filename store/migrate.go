package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migration is one numbered schema change (migrations/NNNN_name.sql).
type Migration struct {
	Version   int    `json:"version"`
	Name      string `json:"name"`
	AppliedAt string `json:"applied_at,omitempty"` // "" when pending
	sql       string
}

// known returns the embedded migrations in order.
func known() ([]Migration, error) {
	ents, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, e := range ents {
		name := strings.TrimSuffix(e.Name(), ".sql")
		num, rest, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: rest, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %d: versions must be numbered 1, 2, 3 ... without gaps", m.Version)
		}
	}
	return ms, nil
}

const migrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)`

// Migrations lists the known migrations with their applied times.
func (c *core) Migrations(ctx context.Context) ([]Migration, error) {
	ms, err := known()
	if err != nil {
		return nil, err
	}
	applied, err := c.applied(ctx, c.db)
	if err != nil {
		return nil, err
	}
	for i := range ms {
		ms[i].AppliedAt = applied[ms[i].Version]
	}
	return ms, nil
}

func (c *core) applied(ctx context.Context, q queryer) (map[int]string, error) {
	out := map[int]string{}
	exists, err := c.hasTable(ctx, q, "schema_migrations")
	if err != nil || !exists {
		return out, err
	}
	rows, err := q.QueryContext(ctx, "SELECT version, applied_at FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		var at string
		if err := rows.Scan(&v, &at); err != nil {
			return nil, err
		}
		out[v] = at
	}
	return out, rows.Err()
}

func (c *core) hasTable(ctx context.Context, q queryer, name string) (bool, error) {
	var n int
	var err error
	if c.d.name == "sqlite" {
		err = q.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", name).Scan(&n)
	} else {
		err = q.QueryRowContext(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1", name).Scan(&n)
	}
	return n > 0, err
}

// Migrate applies every pending migration in one transaction: all or none.
func (c *core) Migrate(ctx context.Context) ([]Migration, error) {
	ms, err := known()
	if err != nil {
		return nil, err
	}
	err = c.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, migrationsTable); err != nil {
			return err
		}
		if c.d.name == "postgres" {
			// One migrator at a time; released at commit.
			if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7263541)"); err != nil {
				return err
			}
		}
		applied, err := c.applied(ctx, tx)
		if err != nil {
			return err
		}
		for v := range applied {
			if v > len(ms) {
				return fmt.Errorf("%w (database at version %d, this lsc knows %d)", ErrSchemaNew, v, len(ms))
			}
		}
		now := time.Now().UTC().Format(time.RFC3339)
		for _, m := range ms {
			if applied[m.Version] != "" {
				continue
			}
			for _, stmt := range splitSQL(c.expand(m.sql)) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
				}
			}
			if _, err := tx.ExecContext(ctx, c.d.q("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"), m.Version, m.Name, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.Migrations(ctx)
}

// check reports whether the schema is the one this lsc knows.
func (c *core) check(ctx context.Context) error {
	ms, err := c.Migrations(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.AppliedAt == "" {
			if m.Version == 1 {
				return fmt.Errorf("%s: no study schema: run lsc study init --db %s", c.addr, c.addr)
			}
			return fmt.Errorf("%s: %w (migration %d %s pending): run lsc study migrate --db %s", c.addr, ErrSchemaOld, m.Version, m.Name, c.addr)
		}
	}
	return nil
}

func (c *core) expand(s string) string {
	return strings.NewReplacer("{{ID}}", c.d.id, "{{REAL}}", c.d.real).Replace(s)
}

// splitSQL splits a migration into statements at semicolons that end a
// line, dropping -- comments. Migrations hold no semicolons in literals.
func splitSQL(s string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			if st := strings.TrimSpace(cur.String()); st != ";" {
				out = append(out, strings.TrimSuffix(st, ";"))
			}
			cur.Reset()
		}
	}
	if st := strings.TrimSpace(cur.String()); st != "" {
		out = append(out, st)
	}
	return out
}

func (c *core) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
