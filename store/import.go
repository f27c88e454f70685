package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/lsc-bio/lsc/atomicfile"
)

// ImportOptions configure an import.
type ImportOptions struct {
	User string // recorded with the run; default the OS user
}

// ImportResult says what an import added. Counts are new rows only: a
// second import of the same run adds nothing (AlreadyImported).
type ImportResult struct {
	Run             string     `json:"run"`
	Kind            string     `json:"kind"`
	AlreadyImported bool       `json:"already_imported"`
	Patients        int        `json:"patients"`
	Samples         int        `json:"samples"`
	Events          int        `json:"events"`
	Results         int        `json:"results"`
	Skipped         int        `json:"skipped"` // rows without a number (e.g. compartments a panel cannot gate)
	Conflicts       []Conflict `json:"conflicts,omitempty"`
	Warnings        []string   `json:"warnings,omitempty"`
}

// Conflict is a result of this run that another run gives differently for
// the same sample and metric. Both are kept; the timeline shows both with
// their run ids.
type Conflict struct {
	Sample   string   `json:"sample"`
	Assay    string   `json:"assay"`
	Metric   string   `json:"metric"`
	Fraction string   `json:"fraction"`
	Target   string   `json:"target"`
	Value    *float64 `json:"value"`
	OtherRun string   `json:"other_run"`
	Other    *float64 `json:"other_value"`
}

// testHook, when set (tests only), is called inside the import transaction
// after the results are written and before the commit.
var testHook func(stage string)

// ImportRun reads an lsc output folder and writes it in one transaction.
func (c *core) ImportRun(ctx context.Context, study, dir string, opt ImportOptions) (*ImportResult, error) {
	b, err := readRun(dir)
	if err != nil {
		return nil, err
	}
	return c.importBundle(ctx, study, b, opt)
}

// ImportPatients reads a patient sheet and writes it in one transaction.
func (c *core) ImportPatients(ctx context.Context, study, path string, opt PatientOptions) (*ImportResult, error) {
	b, err := readPatients(path, opt)
	if err != nil {
		return nil, err
	}
	return c.importBundle(ctx, study, b, ImportOptions{})
}

func (c *core) importBundle(ctx context.Context, study string, b *bundle, opt ImportOptions) (*ImportResult, error) {
	if err := c.check(ctx); err != nil {
		return nil, err
	}
	if study == "" {
		study = DefaultStudy
	}
	if err := checkKeys(b); err != nil {
		return nil, err
	}
	res := &ImportResult{Run: b.run.ID, Kind: b.run.Kind, Skipped: b.skipped, Warnings: b.warnings}
	if b.run.ImportedBy == "" {
		b.run.ImportedBy = opt.User
	}
	if b.run.ImportedBy == "" {
		if u, err := user.Current(); err == nil {
			b.run.ImportedBy = u.Username
		}
	}
	// Files first (content-addressed: a killed import leaves at most an
	// unreferenced copy, and a rerun reuses it).
	if err := c.storeFiles(b); err != nil {
		return nil, err
	}
	err := c.inTx(ctx, func(tx *sql.Tx) error {
		sid, err := c.studyID(ctx, tx, study)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, c.d.q("SELECT count(*) FROM runs WHERE id = ?"), b.run.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			res.AlreadyImported = true
			return nil
		}
		if err := c.bumpVersion(ctx, tx, sid); err != nil {
			return err
		}
		r := b.run
		if _, err := tx.ExecContext(ctx, c.d.q(`INSERT INTO runs (id, study_id, kind, lsc_version, parameters, inputs, created_at, imported_at, imported_by, source)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), r.ID, sid, r.Kind, r.Version, r.Parameters, r.Inputs, r.CreatedAt,
			time.Now().UTC().Format(time.RFC3339), r.ImportedBy, r.Source); err != nil {
			return err
		}
		var rows [][]any
		for _, f := range b.files {
			rows = append(rows, []any{r.ID, f.Name, f.SHA256, f.Size})
		}
		if _, err := c.insertMany(ctx, tx, "run_files", []string{"run_id", "name", "sha256", "size"}, rows, ""); err != nil {
			return err
		}
		return c.writeBundle(ctx, tx, sid, b, res)
	})
	if err != nil {
		return nil, fmt.Errorf("import of %s (nothing was written): %w", b.run.Source, err)
	}
	if c.d.name == "postgres" && res.Results+res.Samples > 5000 {
		// Fresh planner statistics after a bulk import: stale ones make
		// PostgreSQL scan whole tables for a timeline (SQLite's planner
		// needs none).
		if _, err := c.db.ExecContext(ctx, "ANALYZE patients, samples, events, results"); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// checkKeys refuses a bundle with two results under one key (the same
// sample, metric and line twice) before anything is written.
func checkKeys(b *bundle) error {
	seen := map[string]resultRec{}
	for i := range b.results {
		r := &b.results[i]
		k := r.key()
		if old, dup := seen[k]; dup {
			return fmt.Errorf("%s line %d repeats %s line %d (sample %s, %s %s)", r.file, r.line, old.file, old.line, r.sample, r.metric, r.target)
		}
		seen[k] = *r
	}
	return nil
}

// key identifies a result within its run: a hash of what makes it one
// (patient, sample, assay, metric, fraction, target, scenario, date, day,
// source file and line), short so the unique index stays small.
func (r *resultRec) key() string {
	h := sha256.Sum256([]byte(strings.Join([]string{r.patient, r.sample, r.assay, r.metric, r.fraction, r.target, r.scenario, optS(r.date), optF(r.day), r.file, fmt.Sprint(r.line)}, "\x1f")))
	return hex.EncodeToString(h[:12])
}

func (e *eventRec) key() string {
	l := ""
	if e.line != nil {
		l = fmt.Sprint(*e.line)
	}
	return strings.Join([]string{e.kind, optS(e.date), optF(e.day), e.detail, l}, "\x1f")
}

func optS(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func optF(v *float64) string {
	if v == nil {
		return ""
	}
	return fnum(*v)
}

func (c *core) studyID(ctx context.Context, tx queryer, name string) (int64, error) {
	if _, err := tx.ExecContext(ctx, c.d.q("INSERT INTO studies (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING"),
		name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return 0, err
	}
	var id int64
	err := tx.QueryRowContext(ctx, c.d.q("SELECT id FROM studies WHERE name = ?"), name).Scan(&id)
	return id, err
}

// bumpVersion raises the study's data version (migration 0004) inside the
// transaction that changes its data, so a reader that sees the new version
// also sees the new rows (the web app's cache of rendered parts is keyed by
// it).
func (c *core) bumpVersion(ctx context.Context, tx queryer, sid int64) error {
	if _, err := tx.ExecContext(ctx, c.d.q("UPDATE studies SET data_version = data_version + 1 WHERE id = ?"), sid); err != nil {
		return fmt.Errorf("data version of study %d: %w", sid, err)
	}
	return nil
}

type sampleRow struct {
	id                          int64
	date                        *string
	timepoint, tissue, fraction string
}

func (c *core) writeBundle(ctx context.Context, tx *sql.Tx, sid int64, b *bundle, res *ImportResult) error {
	// Patients.
	pid, err := c.patientIDs(ctx, tx, sid)
	if err != nil {
		return err
	}
	var rows [][]any
	for _, name := range b.order {
		p := b.patients[name]
		attrs, _ := json.Marshal(p.attrs)
		if _, ok := pid[name]; !ok {
			rows = append(rows, []any{sid, name, p.sex, p.birthYear, p.day0Event, string(attrs)})
			res.Patients++
		} else if p.full {
			if _, err := tx.ExecContext(ctx, c.d.q("UPDATE patients SET sex = ?, birth_year = ?, day0_event = ?, attributes = ? WHERE id = ?"),
				p.sex, p.birthYear, p.day0Event, string(attrs), pid[name]); err != nil {
				return err
			}
		}
	}
	if _, err := c.insertMany(ctx, tx, "patients", []string{"study_id", "pseudonym", "sex", "birth_year", "day0_event", "attributes"}, rows, ""); err != nil {
		return err
	}
	if res.Patients > 0 {
		if pid, err = c.patientIDs(ctx, tx, sid); err != nil {
			return err
		}
	}
	// Samples: new ones inserted; known ones get missing metadata filled in;
	// a disagreement keeps the stored value and warns.
	have, err := c.sampleRows(ctx, tx, sid)
	if err != nil {
		return err
	}
	rows = rows[:0]
	known := 0 // samples already in the store
	for _, s := range b.samples {
		key := s.patient + "\x00" + s.name
		old, ok := have[key]
		if ok {
			known++
		}
		if !ok {
			rows = append(rows, []any{pid[s.patient], s.name, s.date, s.timepoint, s.tissue, s.fraction})
			res.Samples++
			continue
		}
		if s.date != nil && old.date != nil && *s.date != *old.date {
			res.Warnings = append(res.Warnings, fmt.Sprintf("sample %s: this run dates it %s, the store %s (stored date kept)", s.name, *s.date, *old.date))
		}
		if (old.date == nil && s.date != nil) || (old.timepoint == "" && s.timepoint != "") || (old.tissue == "" && s.tissue != "") || (old.fraction == "" && s.fraction != "") {
			if _, err := tx.ExecContext(ctx, c.d.q(`UPDATE samples SET date = COALESCE(date, ?),
				timepoint = CASE WHEN timepoint = '' THEN ? ELSE timepoint END,
				tissue = CASE WHEN tissue = '' THEN ? ELSE tissue END,
				fraction = CASE WHEN fraction = '' THEN ? ELSE fraction END WHERE id = ?`), s.date, s.timepoint, s.tissue, s.fraction, old.id); err != nil {
				return err
			}
		}
	}
	if _, err := c.insertMany(ctx, tx, "samples", []string{"patient_id", "name", "date", "timepoint", "tissue", "fraction"}, rows, ""); err != nil {
		return err
	}
	if res.Samples > 0 {
		if have, err = c.sampleRows(ctx, tx, sid); err != nil {
			return err
		}
	}
	// Events.
	rows = rows[:0]
	for _, e := range b.events {
		rows = append(rows, []any{pid[e.patient], e.kind, e.date, e.day, e.detail, e.line, e.source, e.key()})
	}
	n, err := c.insertMany(ctx, tx, "events", []string{"patient_id", "kind", "date", "day", "detail", "line", "source", "ekey"}, rows,
		" ON CONFLICT (patient_id, ekey) DO NOTHING")
	if err != nil {
		return err
	}
	res.Events = int(n)
	// Results.
	rows = rows[:0]
	for i := range b.results {
		r := &b.results[i]
		var sample any
		if r.sample != "" {
			sample = have[r.patient+"\x00"+r.sample].id
		}
		fields, _ := json.Marshal(r.fields)
		rows = append(rows, []any{b.run.ID, pid[r.patient], sample, r.assay, r.metric, r.fraction, r.target, r.unit, r.scenario, r.date, r.day,
			r.value, r.lower, r.upper, r.label, r.n, r.k, r.file, r.line, string(fields), r.key(), r.detectionLimit, r.sampleValue})
	}
	if _, err := c.insertMany(ctx, tx, "results", []string{"run_id", "patient_id", "sample_id", "assay", "metric", "fraction", "target", "unit", "scenario",
		"date", "day", "value", "lower", "upper", "label", "n", "k", "file", "line", "fields", "rkey", "detection_limit", "sample_value"}, rows, ""); err != nil {
		return err
	}
	res.Results = len(rows)
	if testHook != nil {
		testHook("results")
	}
	if known == 0 {
		return nil // every sample is new: no other run can disagree
	}
	res.Conflicts, err = c.conflicts(ctx, tx, b.run.ID)
	return err
}

func (c *core) patientIDs(ctx context.Context, tx queryer, sid int64) (map[string]int64, error) {
	rows, err := tx.QueryContext(ctx, c.d.q("SELECT id, pseudonym FROM patients WHERE study_id = ?"), sid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]int64{}
	for rows.Next() {
		var id int64
		var p string
		if err := rows.Scan(&id, &p); err != nil {
			return nil, err
		}
		m[p] = id
	}
	return m, rows.Err()
}

func (c *core) sampleRows(ctx context.Context, tx queryer, sid int64) (map[string]sampleRow, error) {
	rows, err := tx.QueryContext(ctx, c.d.q(`SELECT s.id, p.pseudonym, s.name, s.date, s.timepoint, s.tissue, s.fraction
		FROM samples s JOIN patients p ON p.id = s.patient_id WHERE p.study_id = ?`), sid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]sampleRow{}
	for rows.Next() {
		var s sampleRow
		var p, name string
		var d sql.NullString
		if err := rows.Scan(&s.id, &p, &name, &d, &s.timepoint, &s.tissue, &s.fraction); err != nil {
			return nil, err
		}
		if d.Valid {
			s.date = &d.String
		}
		m[p+"\x00"+name] = s
	}
	return m, rows.Err()
}

// insertMany inserts rows in multi-row statements (bounded by the
// backends' parameter limits) and returns the rows affected.
func (c *core) insertMany(ctx context.Context, tx *sql.Tx, table string, cols []string, rows [][]any, suffix string) (int64, error) {
	if len(rows) == 0 {
		return 0, nil
	}
	per := 30000 / len(cols)
	if per > 500 {
		per = 500
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	var total int64
	var stmt *sql.Stmt
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		query := c.d.q("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(one+", ", end-start), ", ") + suffix)
		args := make([]any, 0, (end-start)*len(cols))
		for _, r := range rows[start:end] {
			args = append(args, r...)
		}
		var res sql.Result
		var err error
		if end-start == per {
			if stmt == nil {
				if stmt, err = tx.PrepareContext(ctx, query); err != nil {
					return 0, fmt.Errorf("%s: %w", table, err)
				}
			}
			res, err = stmt.ExecContext(ctx, args...)
		} else {
			res, err = tx.ExecContext(ctx, query, args...)
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", table, err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}

// conflicts lists results of run that another run gives differently for the
// same sample, assay, metric, fraction and target.
func (c *core) conflicts(ctx context.Context, tx queryer, run string) ([]Conflict, error) {
	rows, err := tx.QueryContext(ctx, c.d.q(`SELECT (SELECT s.name FROM samples s WHERE s.id = a.sample_id) AS sample,
			a.assay, a.metric, a.fraction, a.target, a.value, b.run_id, b.value
		FROM results a JOIN results b ON b.sample_id = a.sample_id AND b.metric = a.metric AND b.assay = a.assay
			AND b.fraction = a.fraction AND b.target = a.target AND b.scenario = a.scenario AND b.run_id <> a.run_id
		WHERE a.run_id = ? AND (a.value <> b.value OR (a.value IS NULL) <> (b.value IS NULL))
		ORDER BY sample, a.metric, a.target, b.run_id`), run)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Conflict
	for rows.Next() {
		var cf Conflict
		var v, o sql.NullFloat64
		if err := rows.Scan(&cf.Sample, &cf.Assay, &cf.Metric, &cf.Fraction, &cf.Target, &v, &cf.OtherRun, &o); err != nil {
			return nil, err
		}
		cf.Value, cf.Other = nullF(v), nullF(o)
		out = append(out, cf)
	}
	return out, rows.Err()
}

func nullF(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	return &v.Float64
}

// storeFiles copies the run's files into the files folder, once per
// checksum (files/ab/abcdef...).
func (c *core) storeFiles(b *bundle) error {
	if c.files == "" {
		return nil
	}
	for _, f := range b.files {
		dst := c.filePath(f.SHA256)
		if _, err := os.Stat(dst); err == nil {
			continue
		}
		src, err := os.Open(f.path)
		if err != nil {
			return err
		}
		err = atomicfile.Write(dst, func(w io.Writer) error { _, err := io.Copy(w, src); return err })
		src.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func (c *core) filePath(sha string) string {
	return filepath.Join(c.files, sha[:2], sha)
}
