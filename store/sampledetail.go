package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// SampleResult is one stored result of a sample with the columns of the
// output row it came from (Fields: every non-empty column as lsc wrote it,
// e.g. all derived columns of lsc mrd assess's measurements.tsv).
type SampleResult struct {
	Run, Assay, Metric, Fraction, Target, Unit, Label, File string
	Line                                                    int
	Value, Lower, Upper, DetectionLimit, SampleValue        *float64
	N, K                                                    *int64
	Fields                                                  map[string]string
}

// SampleDetail is a sample with every result measured on it.
type SampleDetail struct {
	Sample
	Results []SampleResult
}

// SampleDetails returns the samples of a study with this name (of one
// patient when patient is not ""), in patient order, each with its results
// in run, file and line order; ErrNotFound when there is none.
func (c *core) SampleDetails(ctx context.Context, study, patient, name string) ([]SampleDetail, error) {
	sid, err := c.studyKey(ctx, study)
	if err != nil {
		return nil, err
	}
	q := `SELECT p.pseudonym, s.id, s.date, s.timepoint, s.tissue, s.fraction,
		r.run_id, r.assay, r.metric, r.fraction, r.target, r.unit, r.label, r.file, r.line,
		r.value, r.lower, r.upper, r.detection_limit, r.sample_value, r.n, r.k, r.fields
		FROM samples s JOIN patients p ON p.id = s.patient_id LEFT JOIN results r ON r.sample_id = s.id
		WHERE p.study_id = ? AND s.name = ?`
	args := []any{sid, name}
	if patient != "" {
		q += " AND p.pseudonym = ?"
		args = append(args, patient)
	}
	q += " ORDER BY p.pseudonym, r.run_id, r.file, r.line, r.metric, r.target"
	rows, err := c.db.QueryContext(ctx, c.d.q(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SampleDetail
	var last int64 = -1
	for rows.Next() {
		var (
			pt, tp, tissue, frac      string
			id                        int64
			date                      sql.NullString
			run, assay, metric, rfrac sql.NullString
			target, unit, label, file sql.NullString
			line                      sql.NullInt64
			v, lo, hi, lim, sv        sql.NullFloat64
			n, k                      sql.NullInt64
			fields                    sql.NullString
		)
		if err := rows.Scan(&pt, &id, &date, &tp, &tissue, &frac, &run, &assay, &metric, &rfrac, &target, &unit, &label, &file, &line,
			&v, &lo, &hi, &lim, &sv, &n, &k, &fields); err != nil {
			return nil, err
		}
		if id != last {
			s := SampleDetail{Sample: Sample{Patient: pt, Name: name, Timepoint: tp, Tissue: tissue, Fraction: frac}}
			if date.Valid {
				s.Date = &date.String
			}
			out = append(out, s)
			last = id
		}
		if !run.Valid {
			continue // a sample without results
		}
		r := SampleResult{Run: run.String, Assay: assay.String, Metric: metric.String, Fraction: rfrac.String, Target: target.String,
			Unit: unit.String, Label: label.String, File: file.String, Line: int(line.Int64),
			Value: nullF(v), Lower: nullF(lo), Upper: nullF(hi), DetectionLimit: nullF(lim), SampleValue: nullF(sv), N: nullInt(n), K: nullInt(k)}
		if fields.Valid && fields.String != "" {
			if err := json.Unmarshal([]byte(fields.String), &r.Fields); err != nil {
				return nil, fmt.Errorf("result fields of run %s line %d: %w", r.Run, r.Line, err)
			}
		}
		d := &out[len(out)-1]
		d.Results = append(d.Results, r)
		d.Sample.Results++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sample %s: %w", name, ErrNotFound)
	}
	return out, nil
}

func nullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

// RunSamples lists the samples a run measured (patient, name, date,
// timepoint, tissue, fraction and how many of the run's results each has),
// by patient and name, within page (Limit 0 = all).
func (c *core) RunSamples(ctx context.Context, run string, page Page) ([]Sample, error) {
	lim := ""
	if page.Limit > 0 {
		lim = fmt.Sprintf(" LIMIT %d OFFSET %d", page.Limit, page.Offset)
	}
	rows, err := c.db.QueryContext(ctx, c.d.q(`SELECT p.pseudonym, s.name, s.date, s.timepoint, s.tissue, s.fraction, COUNT(*)
		FROM results r JOIN samples s ON s.id = r.sample_id JOIN patients p ON p.id = s.patient_id
		WHERE r.run_id = ? GROUP BY p.pseudonym, s.name, s.date, s.timepoint, s.tissue, s.fraction ORDER BY p.pseudonym, s.name`+lim), run)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Sample
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
