package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// Studies lists the studies with their sizes.
func (c *core) Studies(ctx context.Context) ([]Study, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT s.name, s.created_at,
		(SELECT count(*) FROM patients p WHERE p.study_id = s.id),
		(SELECT count(*) FROM samples x JOIN patients p ON p.id = x.patient_id WHERE p.study_id = s.id),
		(SELECT count(*) FROM runs r WHERE r.study_id = s.id)
		FROM studies s ORDER BY s.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Study{}
	for rows.Next() {
		var s Study
		if err := rows.Scan(&s.Name, &s.CreatedAt, &s.Patients, &s.Samples, &s.Runs); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (c *core) studyKey(ctx context.Context, study string) (int64, error) {
	if study == "" {
		study = DefaultStudy
	}
	var id int64
	err := c.db.QueryRowContext(ctx, c.d.q("SELECT id FROM studies WHERE name = ?"), study).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, fmt.Errorf("study %s: %w", study, ErrNotFound)
	}
	return id, err
}

// Patients lists a study's patients in pseudonym order.
func (c *core) Patients(ctx context.Context, study string, page Page) ([]Patient, error) {
	sid, err := c.studyKey(ctx, study)
	if err != nil {
		return nil, err
	}
	q := `SELECT p.pseudonym, p.sex, p.birth_year, p.day0_event, p.attributes,
		(SELECT count(*) FROM samples s WHERE s.patient_id = p.id), (SELECT count(*) FROM events e WHERE e.patient_id = p.id)
		FROM patients p WHERE p.study_id = ? ORDER BY p.pseudonym`
	args := []any{sid}
	if page.Limit > 0 {
		q += " LIMIT ? OFFSET ?"
		args = append(args, page.Limit, page.Offset)
	}
	rows, err := c.db.QueryContext(ctx, c.d.q(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Patient{}
	for rows.Next() {
		var p Patient
		var by sql.NullInt64
		var attrs string
		if err := rows.Scan(&p.Pseudonym, &p.Sex, &by, &p.Day0Event, &attrs, &p.Samples, &p.Events); err != nil {
			return nil, err
		}
		if by.Valid {
			y := int(by.Int64)
			p.BirthYear = &y
		}
		json.Unmarshal([]byte(attrs), &p.Attributes)
		if len(p.Attributes) == 0 {
			p.Attributes = nil
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Samples lists a study's samples (one patient's when patient is not "").
func (c *core) Samples(ctx context.Context, study, patient string) ([]Sample, error) {
	sid, err := c.studyKey(ctx, study)
	if err != nil {
		return nil, err
	}
	q := `SELECT p.pseudonym, s.name, s.date, s.timepoint, s.tissue, s.fraction, (SELECT count(*) FROM results r WHERE r.sample_id = s.id)
		FROM samples s JOIN patients p ON p.id = s.patient_id WHERE p.study_id = ?`
	args := []any{sid}
	if patient != "" {
		q += " AND p.pseudonym = ?"
		args = append(args, patient)
	}
	rows, err := c.db.QueryContext(ctx, c.d.q(q+" ORDER BY p.pseudonym, s.date, s.name"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Sample{}
	for rows.Next() {
		var s Sample
		var d sql.NullString
		if err := rows.Scan(&s.Patient, &s.Name, &d, &s.Timepoint, &s.Tissue, &s.Fraction, &s.Results); err != nil {
			return nil, err
		}
		if d.Valid {
			s.Date = &d.String
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

const runCols = `r.id, r.kind, r.lsc_version, r.parameters, r.inputs, r.created_at, r.imported_at, r.imported_by, r.source,
	(SELECT count(*) FROM results x WHERE x.run_id = r.id)`

func scanRun(sc interface{ Scan(...any) error }) (Run, error) {
	var r Run
	err := sc.Scan(&r.ID, &r.Kind, &r.Version, &r.Parameters, &r.Inputs, &r.CreatedAt, &r.ImportedAt, &r.ImportedBy, &r.Source, &r.Results)
	return r, err
}

// Runs lists a study's runs in import order.
func (c *core) Runs(ctx context.Context, study string) ([]Run, error) {
	sid, err := c.studyKey(ctx, study)
	if err != nil {
		return nil, err
	}
	rows, err := c.db.QueryContext(ctx, c.d.q("SELECT "+runCols+" FROM runs r WHERE r.study_id = ? ORDER BY r.imported_at, r.id"), sid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Run{}
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Run returns one run with its files.
func (c *core) Run(ctx context.Context, id string) (*Run, error) {
	r, err := scanRun(c.db.QueryRowContext(ctx, c.d.q("SELECT "+runCols+" FROM runs r WHERE r.id = ?"), id))
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("run %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	rows, err := c.db.QueryContext(ctx, c.d.q("SELECT name, sha256, size FROM run_files WHERE run_id = ? ORDER BY name"), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f RunFile
		if err := rows.Scan(&f.Name, &f.SHA256, &f.Size); err != nil {
			return nil, err
		}
		r.Files = append(r.Files, f)
	}
	return &r, rows.Err()
}

// FilePath is where a stored file of a run lives ("" when files are not
// kept, e.g. PostgreSQL without a files folder).
func (c *core) FilePath(sha string) string {
	if c.files == "" || len(sha) < 2 {
		return ""
	}
	return c.filePath(sha)
}
