package store

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"
)

// TableQuery selects one metric across a study's patients.
type TableQuery struct {
	Metric   string // e.g. stem_like_fraction, is_percent, percent_parent, score
	Assay    string // optional
	Fraction string // optional sorted fraction
	Target   string // optional target (signature, population path, gene, probe)
	// At picks one point per patient and series: "" (every point), "first",
	// "last", a timepoint kind (diagnosis, remission, relapse: matched as
	// lsc stemcells reads labels) or an exact timepoint label.
	At string
}

// Table is a cohort table: one row per point, columns as TableHeader.
type Table struct {
	Header []string
	Rows   [][]string
}

// TableHeader is the columns of Table rows. detection_limit and
// sample_value are set for lsc mrd assess's qPCR results (migration 0003).
var TableHeader = []string{"patient", "sample", "timepoint", "date", "day", "assay", "metric", "fraction", "target", "unit",
	"value", "lower", "upper", "label", "n", "k", "run", "detection_limit", "sample_value"}

// Table returns a metric for every patient of a study, ordered by patient
// and day; values in shortest round-trip form.
func (c *core) Table(ctx context.Context, study string, q TableQuery) (*Table, error) {
	sid, err := c.studyKey(ctx, study)
	if err != nil {
		return nil, err
	}
	// Day 0 of every patient (dated events of the day-0 kind, or therapy start).
	type p0 struct {
		kind   string
		events []Event
	}
	pts := map[string]*p0{}
	rows, err := c.db.QueryContext(ctx, c.d.q(`SELECT p.pseudonym, p.day0_event, e.kind, e.date FROM patients p
		LEFT JOIN events e ON e.patient_id = p.id AND e.date IS NOT NULL WHERE p.study_id = ?`), sid)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var name, k0 string
		var kind, d sql.NullString
		if err := rows.Scan(&name, &k0, &kind, &d); err != nil {
			rows.Close()
			return nil, err
		}
		if pts[name] == nil {
			pts[name] = &p0{kind: k0}
		}
		if kind.Valid && d.Valid {
			ds := d.String
			pts[name].events = append(pts[name].events, Event{Kind: kind.String, Date: &ds})
		}
	}
	rows.Close()
	day0 := map[string]*string{}
	kind0 := map[string]string{}
	for n, p := range pts {
		day0[n], kind0[n] = dayZero(p.events, p.kind)
	}
	where := []string{"p.study_id = ?", "r.metric = ?"}
	args := []any{sid, q.Metric}
	if q.Assay == "" {
		where = append(where, "r.assay <> 'model'") // fitted parameters only when asked for
	}
	for _, f := range [][2]string{{"r.assay", q.Assay}, {"r.fraction", q.Fraction}, {"r.target", q.Target}} {
		if f[1] != "" {
			where = append(where, f[0]+" = ?")
			args = append(args, f[1])
		}
	}
	rows, err = c.db.QueryContext(ctx, c.d.q(`SELECT p.pseudonym, COALESCE(s.name, ''), COALESCE(s.timepoint, ''), COALESCE(s.date, r.date), r.day,
		r.assay, r.metric, r.fraction, r.target, r.unit, r.value, r.lower, r.upper, r.label, r.n, r.k, r.run_id, r.scenario, r.detection_limit, r.sample_value
		FROM results r JOIN patients p ON p.id = r.patient_id LEFT JOIN samples s ON s.id = r.sample_id
		WHERE `+strings.Join(where, " AND ")), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type rec struct {
		pt, series string
		p          Point
		assay      [5]string
		n, k       sql.NullInt64
		lim, sv    sql.NullFloat64
	}
	var recs []rec
	for rows.Next() {
		var r rec
		var d sql.NullString
		var day, v, lo, hi sql.NullFloat64
		var scen string
		if err := rows.Scan(&r.pt, &r.p.Sample, &r.p.Timepoint, &d, &day, &r.assay[0], &r.assay[1], &r.assay[2], &r.assay[3], &r.assay[4],
			&v, &lo, &hi, &r.p.Label, &r.n, &r.k, &r.p.Run, &scen, &r.lim, &r.sv); err != nil {
			return nil, err
		}
		if d.Valid {
			r.p.Date = &d.String
		}
		r.p.Value, r.p.Lower, r.p.Upper = nullF(v), nullF(lo), nullF(hi)
		r.p.Day = dayOf(day0[r.pt], r.p.Date, nullF(day))
		r.p.order = placeOf(r.p, kind0[r.pt])
		r.series = strings.Join(append(r.assay[:], scen), "\x1f")
		recs = append(recs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(recs, func(i, j int) bool {
		if recs[i].pt != recs[j].pt {
			return recs[i].pt < recs[j].pt
		}
		if recs[i].series != recs[j].series {
			return recs[i].series < recs[j].series
		}
		return pointLess(recs[i].p, recs[j].p)
	})
	// One point per patient and series when At asks for it.
	keep := make([]bool, len(recs))
	at := strings.ToLower(strings.TrimSpace(q.At))
	for i := 0; i < len(recs); {
		j := i
		for j < len(recs) && recs[j].pt == recs[i].pt && recs[j].series == recs[i].series {
			j++
		}
		switch at {
		case "":
			for x := i; x < j; x++ {
				keep[x] = true
			}
		case "first":
			keep[i] = true
		case "last":
			keep[j-1] = true
		default:
			for x := i; x < j; x++ {
				if matchAt(recs[x].p.Timepoint, at) {
					keep[x] = true
				}
			}
		}
		i = j
	}
	t := &Table{Header: TableHeader}
	for i, r := range recs {
		if !keep[i] {
			continue
		}
		t.Rows = append(t.Rows, []string{r.pt, r.p.Sample, r.p.Timepoint, optS(r.p.Date), optF(r.p.Day), r.assay[0], r.assay[1], r.assay[2], r.assay[3], r.assay[4],
			optF(r.p.Value), optF(r.p.Lower), optF(r.p.Upper), r.p.Label, nullI(r.n), nullI(r.k), r.p.Run, optF(nullF(r.lim)), optF(nullF(r.sv))})
	}
	return t, nil
}

func nullI(v sql.NullInt64) string {
	if !v.Valid {
		return ""
	}
	return strconv.FormatInt(v.Int64, 10)
}

// matchAt matches a timepoint label against --at: the same kind
// (diagnosis, remission, relapse with their usual spellings) or the label.
func matchAt(label, at string) bool {
	l := strings.ToLower(strings.TrimSpace(label))
	if l == at {
		return true
	}
	kinds := [][]string{{"diagnosis", "dx", "d0", "day0", "baseline", "diag"}, {"remission", "cr", "rem"}, {"relapse", "rel", "r", "relapsed"}}
	for _, k := range kinds {
		in := func(s string) bool {
			for _, x := range k {
				if s == x {
					return true
				}
			}
			return false
		}
		if in(l) && in(at) {
			return true
		}
	}
	return false
}
