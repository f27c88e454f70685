package store

import (
	"context"
	"database/sql"
	"sort"
)

// Course is one patient's events with days counted from the patient's day
// 0, as in Timeline: what cohort analyses (survival, milestones) read.
type Course struct {
	Patient   string  `json:"patient"`
	Day0Event string  `json:"day0_event"`
	Events    []Event `json:"events"`
}

// Courses returns the events of every patient of a study in one query,
// patients in pseudonym order, events by day as Timeline orders them.
func (c *core) Courses(ctx context.Context, study string) ([]Course, error) {
	sid, err := c.studyKey(ctx, study)
	if err != nil {
		return nil, err
	}
	rows, err := c.db.QueryContext(ctx, c.d.q(`SELECT p.pseudonym, p.day0_event, e.date, e.day, e.kind, e.detail
		FROM patients p LEFT JOIN events e ON e.patient_id = p.id WHERE p.study_id = ? ORDER BY p.pseudonym, e.id`), sid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Course
	for rows.Next() {
		var name, k0 string
		var d, kind, detail sql.NullString
		var day sql.NullFloat64
		if err := rows.Scan(&name, &k0, &d, &day, &kind, &detail); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Patient != name {
			out = append(out, Course{Patient: name, Day0Event: k0, Events: []Event{}})
		}
		if kind.Valid {
			e := Event{Kind: kind.String, Detail: detail.String, Day: nullF(day)}
			if d.Valid {
				e.Date = &d.String
			}
			cs := &out[len(out)-1]
			cs.Events = append(cs.Events, e)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		cs := &out[i]
		day0, kind0 := dayZero(cs.Events, cs.Day0Event)
		cs.Day0Event = kind0
		for j := range cs.Events {
			cs.Events[j].Day = dayOf(day0, cs.Events[j].Date, cs.Events[j].Day)
		}
		sort.SliceStable(cs.Events, func(a, b int) bool { return eventLess(cs.Events[a], cs.Events[b]) })
	}
	return out, nil
}
