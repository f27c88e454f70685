package store

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/formats/sheet"
)

// PatientOptions say how to read a patient sheet.
//
// The sheet (CSV/TSV) has one or more rows per patient, read by column name:
//
//	patient                 the lab's pseudonym (required; --id names another column)
//	sex, birth_year         optional
//	diagnosis, diagnosis_date   subtype and date of diagnosis
//	therapy, therapy_start, therapy_stop, line, reason
//	                        a line of therapy per row (as lsc mrd assess's sheet)
//	event, date, day, detail    any event, one per row (kinds: diagnosis, therapy_start,
//	                        therapy_stop, transplant, car_t_infusion, response_assessment,
//	                        relapse, last_followup, death)
//	day0                    the event kind counted as day 0 for this patient
//
// Every other column is kept as a patient attribute, except columns that look
// like names or dates of birth: those are dropped with a warning.
type PatientOptions struct {
	ID      string // patient column (default "patient")
	Subtype string // diagnosis subtype column (default "diagnosis")
	Time    string // follow-up time in days from diagnosis (e.g. os)
	Event   string // with Time: 1/yes/dead = death at Time, else last follow-up
	Day0    string // default day-0 event kind (default diagnosis)
}

// EventKinds are the kinds of events the store knows, in the schema's check.
var EventKinds = []string{"diagnosis", "therapy_start", "therapy_stop", "transplant", "car_t_infusion",
	"response_assessment", "relapse", "last_followup", "death"}

var kindAlias = map[string]string{
	"dx": "diagnosis", "therapy": "therapy_start", "start": "therapy_start", "stop": "therapy_stop",
	"sct": "transplant", "hsct": "transplant", "allo-sct": "transplant", "car-t": "car_t_infusion", "cart": "car_t_infusion",
	"infusion": "car_t_infusion", "car_t": "car_t_infusion", "response": "response_assessment", "follow_up": "last_followup",
	"followup": "last_followup", "last_follow_up": "last_followup", "last_follow-up": "last_followup", "dead": "death",
}

func eventKind(s string) (string, bool) {
	k := strings.ToLower(strings.TrimSpace(s))
	for _, e := range EventKinds {
		if k == e {
			return e, true
		}
	}
	if a, ok := kindAlias[k]; ok {
		return a, true
	}
	return "", false
}

var (
	identifying = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(name|names|firstname|lastname|surname|fullname|patientname|givenname|familyname|forename|nom|prenom|vorname|nachname|dob|dateofbirth|birthdate|birthday|daystobirth|geburtsdatum|initials)$`)
	})
	nameLike = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\p{Lu}\p{Ll}+,? +\p{Lu}\p{Ll}+$`) })
)

func squash(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// readPatients reads a patient sheet into a bundle.
func readPatients(path string, opt PatientOptions) (*bundle, error) {
	sh, err := sheet.Read(path)
	if err != nil {
		return nil, err
	}
	if opt.ID == "" {
		opt.ID = "patient"
	}
	if opt.Subtype == "" {
		opt.Subtype = "diagnosis"
	}
	if opt.Day0 == "" {
		opt.Day0 = "diagnosis"
	}
	d0, ok := eventKind(opt.Day0)
	if !ok {
		return nil, fmt.Errorf("day 0 %q: %w", opt.Day0, errKind)
	}
	opt.Day0 = d0
	need := []string{opt.ID}
	if opt.Time != "" {
		need = append(need, opt.Time)
		if opt.Event != "" {
			need = append(need, opt.Event)
		}
	}
	if _, err := sh.Require("a patient sheet", need...); err != nil {
		return nil, err
	}
	b := newBundle()
	known := map[string]bool{}
	for _, n := range []string{opt.ID, "sex", "birth_year", opt.Subtype, "diagnosis_date", "therapy", "therapy_start", "therapy_stop",
		"line", "reason", "event", "date", "day", "detail", "day0", opt.Time, opt.Event} {
		if n != "" {
			known[strings.ToLower(n)] = true
		}
	}
	drop := map[int]bool{}
	for i, h := range sh.Header {
		if identifying().MatchString(squash(h)) {
			drop[i] = true
			b.warnings = append(b.warnings, fmt.Sprintf("%s: column %q looks like a name or a date of birth: not stored (the store keeps pseudonyms only; remove the column from the sheet)", path, h))
		}
	}
	c := colsOf(sh, opt.ID, "sex", "birth_year", opt.Subtype, "diagnosis_date", "therapy", "therapy_start", "therapy_stop", "line", "reason",
		"event", "date", "day", "detail", "day0", opt.Time, opt.Event)
	lines := map[string]int{}
	warnedName := false
	missing := 0
	for _, r := range sh.Rows {
		g := func(i int) string { return r.Get(c[i]) }
		id := g(0)
		if id == "" {
			return nil, formats.Errorf(path, r.Line, "column "+opt.ID, "give every row the patient's pseudonym", "empty patient")
		}
		if nameLike().MatchString(id) && !warnedName {
			warnedName = true
			b.warnings = append(b.warnings, fmt.Sprintf("%s line %d: patient %q looks like a person's name: use the lab's pseudonyms", path, r.Line, id))
		}
		p := b.patient(id)
		p.full = true
		p.day0Event = opt.Day0
		where := func(col string) string { return "column " + col }
		setOnce := func(dst *string, v, col string) error {
			if v == "" {
				return nil
			}
			if *dst != "" && *dst != v {
				return formats.Errorf(path, r.Line, where(col), "give one value per patient", "patient %s has %s %q here and %q on an earlier row", id, col, v, *dst)
			}
			*dst = v
			return nil
		}
		if err := setOnce(&p.sex, g(1), "sex"); err != nil {
			return nil, err
		}
		if v := g(2); v != "" {
			y, err := strconv.Atoi(v)
			if err != nil || y < 1850 || y > 2200 {
				return nil, formats.Errorf(path, r.Line, where("birth_year"), "write a year such as 1961 (never a date of birth)", "%q is not a year", v)
			}
			if p.birthYear != nil && *p.birthYear != y {
				return nil, formats.Errorf(path, r.Line, where("birth_year"), "give one value per patient", "patient %s has two birth years", id)
			}
			p.birthYear = &y
		}
		if v := g(14); v != "" {
			k, ok := eventKind(v)
			if !ok {
				return nil, formats.Errorf(path, r.Line, where("day0"), "use one of "+strings.Join(EventKinds, ", "), "unknown event kind %q", v)
			}
			p.day0Event = k
		}
		for i, h := range sh.Header {
			if !known[strings.ToLower(h)] && !drop[i] && r.Get(i) != "" {
				if old, ok := p.attrs[h]; ok && old != r.Get(i) {
					return nil, formats.Errorf(path, r.Line, where(h), "give one value per patient", "patient %s has %s %q here and %q on an earlier row", id, h, r.Get(i), old)
				}
				p.attrs[h] = r.Get(i)
			}
		}
		src := fmt.Sprintf("%s:%d", filepath.Base(path), r.Line)
		add := func(kind, dateCol, detail string, day *float64, line *int) error {
			d, err := date(r.Get(sh.Col(dateCol)), path, r.Line, dateCol)
			if err != nil {
				return err
			}
			b.events = append(b.events, eventRec{patient: id, kind: kind, detail: detail, source: src, date: d, day: day, line: line})
			return nil
		}
		// Diagnosis: dated, or day 0 of a follow-up time counted from it.
		if dx, dxd := g(3), g(4); dx != "" || dxd != "" || opt.Time != "" {
			var day *float64
			if dxd == "" && opt.Time != "" {
				day = fp(0)
			}
			if err := add("diagnosis", "diagnosis_date", dx, day, nil); err != nil {
				return nil, err
			}
		}
		// A line of therapy per row.
		if g(6) != "" || g(7) != "" {
			lines[id]++
			ln := lines[id]
			if v := g(8); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 {
					return nil, formats.Errorf(path, r.Line, where("line"), "number therapy lines 1, 2, 3 ...", "%q is not a line number", v)
				}
				ln = n
			}
			if g(6) != "" {
				if err := add("therapy_start", "therapy_start", g(5), nil, &ln); err != nil {
					return nil, err
				}
			}
			if g(7) != "" {
				detail := g(5)
				if g(9) != "" {
					detail += " (" + g(9) + ")"
				}
				if err := add("therapy_stop", "therapy_stop", detail, nil, &ln); err != nil {
					return nil, err
				}
			}
		}
		// Any event, one per row.
		if v := g(10); v != "" {
			k, ok := eventKind(v)
			if !ok {
				return nil, formats.Errorf(path, r.Line, where("event"), "use one of "+strings.Join(EventKinds, ", "), "unknown event kind %q", v)
			}
			day, err := num(g(12), path, r.Line, "day")
			if err != nil {
				return nil, err
			}
			if g(11) == "" && day == nil {
				return nil, formats.Errorf(path, r.Line, where("date"), "give the event's date (YYYY-MM-DD) or its day", "event %s without a date or day", k)
			}
			if err := add(k, "date", g(13), day, nil); err != nil {
				return nil, err
			}
		}
		// Follow-up: death or last follow-up at the time column.
		if opt.Time != "" {
			t, err := num(g(15), path, r.Line, opt.Time)
			if err != nil {
				return nil, err
			}
			kind := "last_followup"
			if opt.Event != "" {
				switch v := strings.ToLower(g(16)); v {
				case "1", "2", "yes", "true", "dead", "death", "deceased":
					// R's Surv also codes 2 = event, 1 = censored
					if v != "1" || !twoOne(sh, c[16]) {
						kind = "death"
					}
				case "0", "no", "false", "alive", "censored":
				case "", "na", "nan":
					t = nil // status unknown: no follow-up event
					missing++
				default:
					return nil, formats.Errorf(path, r.Line, where(opt.Event), "write 1/0, yes/no, dead/alive (or leave it empty when unknown)", "%q is not an event status", g(16))
				}
			}
			// A death without a time is still a death (its day unknown); a
			// follow-up without a time says nothing.
			if t != nil || (kind == "death" && !strings.EqualFold(g(16), "")) {
				b.events = append(b.events, eventRec{patient: id, kind: kind, day: t, source: src})
			}
		}
	}
	if missing > 0 {
		b.warnings = append(b.warnings, fmt.Sprintf("%s: %d rows without a %s status: no follow-up event recorded for them", path, missing, opt.Event))
	}
	if len(b.order) == 0 {
		return nil, formats.Errorf(path, 0, "", "add one row per patient", "no patients")
	}
	if err := b.addFile(path); err != nil {
		return nil, err
	}
	params, _ := json.Marshal(opt)
	b.run.Parameters = string(params)
	abs, _ := filepath.Abs(path)
	b.run.Source = abs
	b.finish("patients")
	return b, nil
}

// twoOne reports whether an event column uses R's 2 = event, 1 = censored.
func twoOne(sh *sheet.Sheet, col int) bool {
	for _, r := range sh.Rows {
		if r.Get(col) == "2" {
			return true
		}
	}
	return false
}

func fp(v float64) *float64 { return &v }

var errKind = fmt.Errorf("unknown event kind: use one of %s", strings.Join(EventKinds, ", "))
