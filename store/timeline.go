package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Timeline is one patient's course: the public JSON contract of
// `lsc study timeline --json` and GET /api/v1/patients/{id}/timeline.
//
//	{"patient": "P7", "day0": "2020-01-01", "day0_event": "diagnosis",
//	 "events": [{"date": "...", "day": 0, "kind": "therapy_start", "detail": "imatinib"}],
//	 "series": [{"assay": "qpcr", "metric": "is_percent", "fraction": "CD34+CD38-", "target": "BCR::ABL1",
//	             "unit": "%", "points": [{"date": "...", "day": 91, "value": 0.12, "lower": null,
//	             "upper": null, "label": "MMR", "sample": "...", "run": "<run id>"}]}]}
//
// Additions to the contract, all omitted when empty: a point's "timepoint"
// (the sample's label), "undated" (samples placed by their timepoint label),
// and on model projections a series' "kind": "projection" and "scenario".
type Timeline struct {
	Patient   string   `json:"patient"`
	Day0      *string  `json:"day0"`
	Day0Event string   `json:"day0_event"`
	Events    []Event  `json:"events"`
	Series    []Series `json:"series"`
	Undated   []string `json:"undated,omitempty"`
}

// Event is a dated (or day-counted) clinical event.
type Event struct {
	Date   *string  `json:"date"`
	Day    *float64 `json:"day"`
	Kind   string   `json:"kind"`
	Detail string   `json:"detail"`
}

// Series is one measured quantity over time.
type Series struct {
	Kind     string  `json:"kind,omitempty"` // "projection" for model projections
	Assay    string  `json:"assay"`
	Metric   string  `json:"metric"`
	Fraction string  `json:"fraction"`
	Target   string  `json:"target"`
	Unit     string  `json:"unit"`
	Scenario string  `json:"scenario,omitempty"`
	Points   []Point `json:"points"`
}

// Point is one value with its provenance.
type Point struct {
	Date      *string `json:"date"`
	Day       *float64
	Value     *float64
	Lower     *float64
	Upper     *float64
	Label     string `json:"label"`
	Sample    string `json:"sample"`
	Run       string `json:"run"`
	Timepoint string `json:"timepoint,omitempty"`
	// File and Line name the output row the value was imported from
	// (for lsc mrd assess: the line of the user's measurement sheet).
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// DetectionLimit is the level one target copy would give in this
	// sample (lsc mrd assess qPCR results, migration 0003).
	DetectionLimit *float64 `json:"detection_limit,omitempty"`
	order          float64
}

// MarshalJSON writes numbers in shortest round-trip form (report.Num), so
// a value reads back as the float64 of the imported text.
func (p Point) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteString(`{"date":`)
	writeStr(&b, p.Date)
	b.WriteString(`,"day":`)
	writeNum(&b, p.Day)
	b.WriteString(`,"value":`)
	writeNum(&b, p.Value)
	b.WriteString(`,"lower":`)
	writeNum(&b, p.Lower)
	b.WriteString(`,"upper":`)
	writeNum(&b, p.Upper)
	for _, kv := range [][2]string{{"label", p.Label}, {"sample", p.Sample}, {"run", p.Run}} {
		s, _ := json.Marshal(kv[1])
		fmt.Fprintf(&b, `,"%s":%s`, kv[0], s)
	}
	if p.Timepoint != "" {
		s, _ := json.Marshal(p.Timepoint)
		fmt.Fprintf(&b, `,"timepoint":%s`, s)
	}
	if p.File != "" {
		s, _ := json.Marshal(p.File)
		fmt.Fprintf(&b, `,"file":%s,"line":%d`, s, p.Line)
	}
	if p.DetectionLimit != nil {
		b.WriteString(`,"detection_limit":`)
		writeNum(&b, p.DetectionLimit)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

// UnmarshalJSON reads a point back (for clients of the contract).
func (p *Point) UnmarshalJSON(data []byte) error {
	var v struct {
		Date                     *string
		Day, Value, Lower, Upper *float64
		Label, Sample, Run       string
		Timepoint, File          string
		Line                     int
		DetectionLimit           *float64 `json:"detection_limit"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*p = Point{Date: v.Date, Day: v.Day, Value: v.Value, Lower: v.Lower, Upper: v.Upper, Label: v.Label, Sample: v.Sample, Run: v.Run, Timepoint: v.Timepoint,
		File: v.File, Line: v.Line, DetectionLimit: v.DetectionLimit}
	return nil
}

func writeStr(b *strings.Builder, s *string) {
	if s == nil {
		b.WriteString("null")
		return
	}
	j, _ := json.Marshal(*s)
	b.Write(j)
}

func writeNum(b *strings.Builder, v *float64) {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		b.WriteString("null") // JSON has no NaN or Inf
		return
	}
	b.WriteString(fnum(*v))
}

// Timeline returns a patient's events and series. Days are counted from the
// patient's day-0 event (diagnosis unless the sheet says otherwise; without a
// dated diagnosis, the first therapy start). Points are sorted by day (date),
// undated samples placed by their timepoint label.
func (c *core) Timeline(ctx context.Context, study, patient string) (*Timeline, error) {
	if study == "" {
		study = DefaultStudy
	}
	t := &Timeline{Patient: patient, Events: []Event{}, Series: []Series{}}
	pid, events, err := c.patientEvents(ctx, study, patient, &t.Day0Event)
	if err != nil {
		return nil, err
	}
	t.Day0, t.Day0Event = dayZero(events, t.Day0Event)
	for _, e := range events {
		e.Day = dayOf(t.Day0, e.Date, e.Day)
		t.Events = append(t.Events, e)
	}
	sort.SliceStable(t.Events, func(i, j int) bool { return eventLess(t.Events[i], t.Events[j]) })
	rows, err := c.cachedQuery(ctx, `SELECT r.assay, r.metric, r.fraction, r.target, r.unit, r.scenario,
			COALESCE(s.date, r.date), r.day, r.value, r.lower, r.upper, r.label, COALESCE(s.name, ''), r.run_id, COALESCE(s.timepoint, ''),
			r.file, r.line, r.detection_limit
		FROM results r LEFT JOIN samples s ON s.id = r.sample_id
		WHERE r.patient_id = ? AND r.assay <> 'model'`, pid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	index := map[string]int{}
	undated := map[string]bool{}
	day0, day0OK := parseDay(t.Day0)        // once, not per point
	var day, v, lo, hi, lim sql.NullFloat64 // copied out by nullF: reused across rows
	for rows.Next() {
		var s Series
		var p Point
		var d sql.NullString
		if err := rows.Scan(&s.Assay, &s.Metric, &s.Fraction, &s.Target, &s.Unit, &s.Scenario, &d, &day, &v, &lo, &hi, &p.Label, &p.Sample, &p.Run, &p.Timepoint,
			&p.File, &p.Line, &lim); err != nil {
			return nil, err
		}
		p.DetectionLimit = nullF(lim)
		if d.Valid {
			p.Date = &d.String
		}
		p.Value, p.Lower, p.Upper = nullF(v), nullF(lo), nullF(hi)
		p.Day = dayFrom(day0, day0OK, p.Date, nullF(day))
		p.order = placeOf(p, t.Day0Event)
		if p.Date == nil && p.Sample != "" {
			undated[p.Sample] = true
			if p.Day == nil && p.Timepoint != "" {
				if f := placeOf(p, t.Day0Event); f == 0 {
					p.Day = fp(0) // a diagnosis sample is day 0 when day 0 is the diagnosis
				}
			}
		}
		if s.Assay == "projection" {
			s.Kind = "projection"
		}
		key := strings.Join([]string{s.Kind, s.Assay, s.Metric, s.Fraction, s.Target, s.Unit, s.Scenario}, "\x1f")
		i, ok := index[key]
		if !ok {
			i = len(t.Series)
			index[key] = i
			t.Series = append(t.Series, s)
		}
		t.Series[i].Points = append(t.Series[i].Points, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(t.Series, func(i, j int) bool {
		a, b := t.Series[i], t.Series[j]
		for _, c := range [][2]string{{a.Kind, b.Kind}, {a.Assay, b.Assay}, {a.Metric, b.Metric}, {a.Fraction, b.Fraction}, {a.Target, b.Target}, {a.Scenario, b.Scenario}, {a.Unit, b.Unit}} {
			if c[0] != c[1] {
				return c[0] < c[1]
			}
		}
		return false
	})
	for _, s := range t.Series {
		sort.Slice(s.Points, func(i, j int) bool { return pointLess(s.Points[i], s.Points[j]) })
	}
	for s := range undated {
		t.Undated = append(t.Undated, s)
	}
	sort.Strings(t.Undated)
	return t, nil
}

// patientEvents finds the patient and its events (in the order they were
// stored) in one query: the patient's row joined to its events, one row
// with no event when it has none.
func (c *core) patientEvents(ctx context.Context, study, patient string, day0Event *string) (int64, []Event, error) {
	rows, err := c.cachedQuery(ctx, `SELECT p.id, p.day0_event, e.date, e.day, e.kind, e.detail
		FROM patients p JOIN studies s ON s.id = p.study_id LEFT JOIN events e ON e.patient_id = p.id
		WHERE s.name = ? AND p.pseudonym = ? ORDER BY e.id`, study, patient)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	var pid int64
	found := false
	var out []Event
	for rows.Next() {
		var d, kind, detail sql.NullString
		var day sql.NullFloat64
		if err := rows.Scan(&pid, day0Event, &d, &day, &kind, &detail); err != nil {
			return 0, nil, err
		}
		found = true
		if !kind.Valid {
			continue // the patient has no events
		}
		e := Event{Kind: kind.String, Detail: detail.String, Day: nullF(day)}
		if d.Valid {
			e.Date = &d.String
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	if !found {
		return 0, nil, fmt.Errorf("patient %s in study %s: %w", patient, study, ErrNotFound)
	}
	return pid, out, nil
}

// dayZero finds the date of the earliest event of the day-0 kind; without a
// dated diagnosis it falls back to the first dated therapy start.
func dayZero(events []Event, kind string) (*string, string) {
	first := func(k string) *string {
		var best *string
		for _, e := range events {
			if e.Kind == k && e.Date != nil && (best == nil || *e.Date < *best) {
				best = e.Date
			}
		}
		return best
	}
	if d := first(kind); d != nil {
		return d, kind
	}
	if kind == "diagnosis" {
		if d := first("therapy_start"); d != nil {
			return d, "therapy_start"
		}
	}
	return nil, kind
}

// parseDay parses a day-0 date for dayFrom.
func parseDay(day0 *string) (time.Time, bool) {
	if day0 == nil {
		return time.Time{}, false
	}
	a, err := time.Parse("2006-01-02", *day0)
	return a, err == nil
}

// dayFrom is dayOf with day 0 parsed once (parseDay).
func dayFrom(day0 time.Time, ok bool, date *string, stored *float64) *float64 {
	if !ok || date == nil {
		return stored
	}
	b, err := time.Parse("2006-01-02", *date)
	if err != nil {
		return stored
	}
	d := math.Round(b.Sub(day0).Hours() / 24)
	return &d
}

// dayOf counts days from day 0 when both dates are known, else keeps the
// stored day.
func dayOf(day0, date *string, stored *float64) *float64 {
	t, ok := parseDay(day0)
	return dayFrom(t, ok, date, stored)
}

// placeOf is a point's sort key: its day, else its timepoint label's place
// (diagnosis first, dayN at N, remission and relapse last).
func placeOf(p Point, day0Event string) float64 {
	if p.Day != nil {
		return *p.Day
	}
	l := strings.ToLower(strings.TrimSpace(p.Timepoint))
	switch l {
	case "diagnosis", "dx", "d0", "day0", "baseline", "diag":
		if day0Event == "diagnosis" {
			return 0
		}
		return -1e9
	case "remission", "cr", "rem":
		return 1e9
	case "relapse", "rel", "r", "relapsed":
		return 2e9
	}
	var n float64
	if _, err := fmt.Sscanf(strings.TrimPrefix(strings.TrimPrefix(l, "day"), "d"), "%g", &n); err == nil && strings.HasPrefix(l, "d") {
		return n
	}
	return 5e8
}

func pointLess(a, b Point) bool {
	if a.order != b.order {
		return a.order < b.order
	}
	if optS(a.Date) != optS(b.Date) {
		return optS(a.Date) < optS(b.Date)
	}
	if a.Sample != b.Sample {
		return a.Sample < b.Sample
	}
	if a.Run != b.Run {
		return a.Run < b.Run
	}
	if optF(a.Value) != optF(b.Value) {
		return optF(a.Value) < optF(b.Value)
	}
	if a.File != b.File {
		return a.File < b.File
	}
	return a.Line < b.Line // replicate rows of one sample: in input order
}

func eventLess(a, b Event) bool {
	// Undated events: a diagnosis first, anything else last.
	place := func(e Event) float64 {
		switch {
		case e.Day != nil:
			return *e.Day
		case e.Kind == "diagnosis":
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	da, db := place(a), place(b)
	if da != db {
		return da < db
	}
	if optS(a.Date) != optS(b.Date) {
		return optS(a.Date) < optS(b.Date)
	}
	return false // stable: the sheet's order
}
