package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"
)

// Sentinel errors callers branch on.
var (
	ErrNotFound  = errors.New("not found")
	ErrNotRun    = errors.New("not an lsc output folder")
	ErrSchemaOld = errors.New("the database schema is older than this lsc")
	ErrSchemaNew = errors.New("the database schema is newer than this lsc: upgrade lsc")
)

// DefaultStudy is the study name used when none is given.
const DefaultStudy = "default"

// Store is a study database. Both backends implement it with the same SQL
// (placeholders and two column types differ); the web server calls it.
type Store interface {
	// Backend is "sqlite" or "postgres".
	Backend() string
	// DB is the underlying handle, for packages that add their own tables
	// through later migrations (users, sessions, audit).
	DB() *sql.DB
	Close() error

	AccountStore

	// Migrate applies the pending migrations in one transaction and returns
	// every known migration with the time it was applied.
	Migrate(ctx context.Context) ([]Migration, error)
	// Migrations lists the known migrations and which are applied.
	Migrations(ctx context.Context) ([]Migration, error)

	// ImportRun imports one lsc output folder in one transaction.
	ImportRun(ctx context.Context, study, dir string, opt ImportOptions) (*ImportResult, error)
	// ImportPatients imports a patient sheet: patients, diagnoses, therapy
	// lines, events.
	ImportPatients(ctx context.Context, study, path string, opt PatientOptions) (*ImportResult, error)
	// ImportScores imports the per-cell TSV of lsc score for one sample
	// (the TSV names no patient or sample: opt does).
	ImportScores(ctx context.Context, study, path string, opt ScoreOptions) (*ImportResult, error)
	// ImportArchive restores a folder written by Export.
	ImportArchive(ctx context.Context, dir string) (*ImportResult, error)

	Studies(ctx context.Context) ([]Study, error)
	Patients(ctx context.Context, study string, page Page) ([]Patient, error)
	Samples(ctx context.Context, study, patient string) ([]Sample, error)
	Runs(ctx context.Context, study string) ([]Run, error)
	Run(ctx context.Context, id string) (*Run, error)
	Timeline(ctx context.Context, study, patient string) (*Timeline, error)
	// Courses returns every patient's events, days from each day 0.
	Courses(ctx context.Context, study string) ([]Course, error)
	Table(ctx context.Context, study string, q TableQuery) (*Table, error)
	// SampleDetails returns the samples named name (of one patient when
	// patient is given) with every result measured on them.
	SampleDetails(ctx context.Context, study, patient, name string) ([]SampleDetail, error)
	// RunSamples lists the samples a run measured.
	RunSamples(ctx context.Context, run string, page Page) ([]Sample, error)
	// FilePath is where a run's stored file with this SHA-256 lives; "" when
	// the store keeps no files (PostgreSQL without a files folder).
	FilePath(sha string) string
	Export(ctx context.Context, study, dir string, opt ExportOptions) error
}

// Options configure Open.
type Options struct {
	// Files is the folder that keeps each run's files once by checksum.
	// Default for SQLite: the database path + ".files"; for PostgreSQL
	// files are only checksummed unless a folder is given.
	Files string
}

// Study is one study of the database.
type Study struct {
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
	Patients  int    `json:"patients"`
	Samples   int    `json:"samples"`
	Runs      int    `json:"runs"`
}

// Patient is a pseudonymised patient.
type Patient struct {
	Pseudonym  string            `json:"patient"`
	Sex        string            `json:"sex,omitempty"`
	BirthYear  *int              `json:"birth_year,omitempty"`
	Day0Event  string            `json:"day0_event"`
	Attributes map[string]string `json:"attributes,omitempty"`
	Samples    int               `json:"samples"`
	Events     int               `json:"events"`
}

// Sample is one sample of a patient.
type Sample struct {
	Patient   string  `json:"patient"`
	Name      string  `json:"sample"`
	Date      *string `json:"date"`
	Timepoint string  `json:"timepoint"`
	Tissue    string  `json:"tissue"`
	Fraction  string  `json:"fraction"`
	Results   int     `json:"results"`
}

// Run is one imported lsc output folder (or patient sheet).
type Run struct {
	ID         string    `json:"id"`
	Kind       string    `json:"kind"`
	Version    string    `json:"lsc_version"`
	Parameters string    `json:"parameters"` // JSON
	Inputs     string    `json:"inputs"`     // JSON
	CreatedAt  string    `json:"created_at"`
	ImportedAt string    `json:"imported_at"`
	ImportedBy string    `json:"imported_by"`
	Source     string    `json:"source"`
	Files      []RunFile `json:"files,omitempty"`
	Results    int       `json:"results"`
}

// RunFile is a file of a run, stored once by its SHA-256.
type RunFile struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Page bounds a listing: Limit 0 means all.
type Page struct {
	Offset, Limit int
}

// Open opens (and creates, for SQLite) the database at addr. It does not
// migrate: call Migrate (lsc study init / migrate), or Check.
func Open(ctx context.Context, addr string, opt Options) (Store, error) {
	if isPostgres(addr) {
		db, err := sql.Open("pgx", addr)
		if err != nil {
			return nil, err
		}
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("PostgreSQL %s: %w", redactDSN(addr), err)
		}
		poolSize(db)
		return &postgresStore{newCore(db, postgres, opt.Files, redactDSN(addr))}, nil
	}
	path := strings.TrimPrefix(addr, "sqlite:")
	if path == "" {
		return nil, fmt.Errorf("give the database as a file path or a postgres:// URL")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return nil, err
		}
	}
	// WAL: readers never wait for the writer; busy_timeout: a second
	// writer waits instead of failing; foreign keys on for every connection.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-65536)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	files := opt.Files
	if files == "" {
		files = path + ".files"
	}
	poolSize(db)
	return &sqliteStore{newCore(db, sqlite, files, path)}, nil
}

func isPostgres(addr string) bool {
	return strings.HasPrefix(addr, "postgres://") || strings.HasPrefix(addr, "postgresql://")
}

// redactDSN drops a password from a URL for messages.
func redactDSN(addr string) string {
	at := strings.LastIndex(addr, "@")
	scheme := strings.Index(addr, "://")
	if at < 0 || scheme < 0 {
		return addr
	}
	user := addr[scheme+3 : at]
	if i := strings.IndexByte(user, ':'); i >= 0 {
		user = user[:i] + ":***"
	}
	return addr[:scheme+3] + user + addr[at:]
}

type sqliteStore struct{ *core }
type postgresStore struct{ *core }

var (
	_ Store = (*sqliteStore)(nil)
	_ Store = (*postgresStore)(nil)
)

func (s *sqliteStore) Backend() string   { return "sqlite" }
func (s *postgresStore) Backend() string { return "postgres" }

// core holds what both backends share: the handle and the dialect.
type core struct {
	db    *sql.DB
	d     dialect
	files string
	addr  string
	// audit is the one writer of this Store's audit rows (group commit).
	audit auditWriter
	// stmts holds the prepared statements of the per-request reads
	// (cachedQuery): query text -> *sql.Stmt.
	stmts sync.Map
}

// cachedQuery runs a read through a statement prepared once per pooled
// connection (database/sql re-prepares a Stmt on each connection it
// meets): the web app's per-request reads (sign-in, timeline) were
// parsed and planned by SQLite on every call, 9 % of the server's CPU
// under load. q is written with ? placeholders.
func (c *core) cachedQuery(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = c.d.q(q)
	if st, ok := c.stmts.Load(q); ok {
		return st.(*sql.Stmt).QueryContext(ctx, args...)
	}
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := c.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		st = prev.(*sql.Stmt)
	}
	return st.QueryContext(ctx, args...)
}

func newCore(db *sql.DB, d dialect, files, addr string) *core {
	c := &core{db: db, d: d, files: files, addr: addr}
	c.audit.c = c
	return c
}

func (c *core) DB() *sql.DB { return c.db }

// Close writes the queued audit rows, then closes the database.
func (c *core) Close() error {
	c.audit.close()
	c.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	return c.db.Close()
}

// dialect is what differs between the backends' SQL.
type dialect struct {
	name   string
	id     string // auto-numbered primary key
	real   string // 64-bit float
	dollar bool   // $1 placeholders
}

var (
	sqlite   = dialect{name: "sqlite", id: "INTEGER PRIMARY KEY AUTOINCREMENT", real: "REAL"}
	postgres = dialect{name: "postgres", id: "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", real: "DOUBLE PRECISION", dollar: true}
)

// q rewrites ? placeholders to $n for PostgreSQL. SQL in this package never
// has a ? inside a literal.
func (d dialect) q(query string) string {
	if !d.dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// maxConns caps the connections of a Store's pool. database/sql keeps
// only two idle connections by default, so under concurrent requests
// nearly every query opened a fresh one (on PostgreSQL a new server
// process, on SQLite a new file handle re-reading the schema and setting
// the pragmas) and closed it again; an unbounded pool also let 200
// requests run 200 PostgreSQL backends on a 2-core machine. A small pool
// that stays open queues requests in the process instead. No code path
// holds one connection while waiting for a second (a transaction uses
// only its own), so a bounded pool cannot deadlock.
const maxConns = 16

func poolSize(db *sql.DB) {
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
}
