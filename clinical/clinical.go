// Package clinical turns a clinical table (one row per patient; comma, tab
// or semicolon separated, as its header line shows)
// into the inputs of the outcome statistics: survival times and event
// flags, groups, and covariate design matrices coded as R codes them.
//
// Coding follows R's model.matrix with treatment contrasts: a column whose
// non-missing values are all numbers is numeric; any other column is a
// factor whose levels are sorted (numerically when all are numbers, else as
// strings), the first level is the reference unless another is chosen, and
// each other level becomes a 0/1 term named <column><level>. Missing values
// ("", NA, NaN, N/A, NULL, ".") are dropped per analysis and counted, never
// turned into zeros (R's na.omit), except a time column missing for most
// rows of one event value (ErrMissingTimes): dropping those would bias every
// estimate, so it is refused.
package clinical

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/formats/sheet"
	"github.com/lsc-bio/lsc/stats"
)

// Table is a clinical table.
type Table struct{ *sheet.Sheet }

// Errors callers can branch on (errors.Is); each arrives wrapped in a
// *formats.ParseError naming the file, the place and the fix.
var (
	// ErrNoColumn: a named column is not in the table.
	ErrNoColumn = errors.New("no such column")
	// ErrMissingTimes: the time column is empty for (most of) the rows of
	// one event value, typically every censored patient, so dropping those
	// rows as missing would bias every estimate.
	ErrMissingTimes = errors.New("time missing for one kind of outcome")
	// ErrNoRows: no row has every value an analysis needs.
	ErrNoRows = errors.New("no complete rows")
)

// Read reads a clinical table (plain or gzip). The delimiter, tab, comma or
// semicolon, is taken from the header line whatever the file is called
// (formats/sheet), so a tab-separated export named .csv reads as it is.
func Read(path string) (*Table, error) {
	sh, err := sheet.Read(path)
	if err != nil {
		return nil, err
	}
	return &Table{sh}, nil
}

// IsMissing reports whether a field is a missing value.
func IsMissing(s string) bool {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", "NA", "NAN", "N/A", "NULL", ".", "#N/A":
		return true
	}
	return false
}

func (t *Table) col(name string) (int, error) {
	i := t.Col(name)
	if i < 0 {
		return 0, &formats.ParseError{File: t.Path, Line: 1, Where: "header", Hint: "name one of: " + strings.Join(t.Header, ", "),
			Reason: fmt.Sprintf("no column %q", name), Err: ErrNoColumn}
	}
	return i, nil
}

// Survival holds the outcome columns of the rows where both are present.
type Survival struct {
	Time  []float64
	Event []bool
}

// Outcome parses a time column and an event column. Event values may be
// 0/1, 1/2 (2 = event, R's Surv convention when all values are 1 or 2),
// true/false, yes/no or dead/alive. ok[i] is false where either is missing.
func (t *Table) Outcome(timeCol, eventCol string) (time []float64, event []bool, ok []bool, err error) {
	ti, err := t.col(timeCol)
	if err != nil {
		return nil, nil, nil, err
	}
	ei, err := t.col(eventCol)
	if err != nil {
		return nil, nil, nil, err
	}
	n := len(t.Rows)
	time, event, ok = make([]float64, n), make([]bool, n), make([]bool, n)
	// R's Surv: numeric status coded 1/2 (2 = event) when every value is 1
	// or 2 and at least one is 2; otherwise 0/1.
	oneTwo, has2 := true, false
	for _, r := range t.Rows {
		v := r.Get(ei)
		if !IsMissing(v) && v != "1" && v != "2" {
			oneTwo = false
		}
		has2 = has2 || v == "2"
	}
	oneTwo = oneTwo && has2
	var noTime [2][]int // rows with an event value but no time: [censored, event]
	for i, r := range t.Rows {
		ts, es := r.Get(ti), r.Get(ei)
		if IsMissing(es) {
			continue
		}
		e, eerr := parseEvent(es, oneTwo)
		if eerr != nil {
			return nil, nil, nil, &formats.ParseError{File: t.Path, Line: r.Line, Where: "column " + eventCol, Reason: eerr.Error(), Err: eerr,
				Hint: "code events as 1 (event) / 0 (censored), or 2 / 1, true/false, yes/no, dead/alive"}
		}
		if IsMissing(ts) {
			noTime[b2i(e)] = append(noTime[b2i(e)], i)
			continue
		}
		v, perr := strconv.ParseFloat(ts, 64)
		if perr != nil || math.IsInf(v, 0) {
			return nil, nil, nil, formats.Errorf(t.Path, r.Line, "column "+timeCol, "times must be numbers (e.g. days); leave missing ones empty or NA", "time %q is not a number", ts)
		}
		if v < 0 {
			return nil, nil, nil, formats.Errorf(t.Path, r.Line, "column "+timeCol, "survival times cannot be negative: check the dates", "negative time %s", ts)
		}
		time[i], event[i], ok[i] = v, e, true
	}
	if err := t.checkCensoring(timeCol, eventCol, event, ok, noTime); err != nil {
		return nil, nil, nil, err
	}
	return time, event, ok, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// checkCensoring refuses a time column that is missing for most rows of one
// event value (more than half of them) while most rows of the other value
// have one: a days_to_death column is empty for every patient alive at last
// contact, and dropping those rows as missing would leave only deaths (a
// median far too short, survival falling to zero). A few rows without a
// time are ordinary missing values.
func (t *Table) checkCensoring(timeCol, eventCol string, event, ok []bool, noTime [2][]int) error {
	var kept [2]int
	for i := range ok {
		if ok[i] {
			kept[b2i(event[i])]++
		}
	}
	for v, kind := range []string{"censored", "event"} {
		other := 1 - v
		if len(noTime[v]) <= kept[v] || len(noTime[other]) >= kept[other] {
			continue
		}
		ex := t.Rows[noTime[v][0]]
		return &formats.ParseError{File: t.Path, Line: ex.Line, Where: "column " + timeCol, Err: ErrMissingTimes,
			Reason: fmt.Sprintf("%s is empty for %d of the %d %s rows (%s %s, e.g. this line) while %d %s rows have one: %s",
				timeCol, len(noTime[v]), len(noTime[v])+kept[v], kind, eventCol, ex.Get(t.Col(eventCol)), kept[other], otherKind(kind), ErrMissingTimes),
			Hint: "survival needs a time for every patient: the time to the event for events and the time to last contact for censored " +
				"patients; leaving them out as missing biases every estimate. Build one time column (e.g. days_to_death when dead, " +
				"else days_to_last_follow_up)" + t.followUpHint()}
	}
	return nil
}

func otherKind(k string) string {
	if k == "event" {
		return "censored"
	}
	return "event"
}

// followUpHint names the table's columns that look like follow-up times.
func (t *Table) followUpHint() string {
	var c []string
	for _, h := range t.Header {
		l := strings.ToLower(h)
		if strings.Contains(l, "follow") || strings.Contains(l, "last_contact") || strings.Contains(l, "censor") {
			c = append(c, h)
		}
	}
	if len(c) == 0 {
		return ""
	}
	return "; this table has " + strings.Join(c, ", ")
}

func parseEvent(s string, oneTwo bool) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1":
		return !oneTwo, nil
	case "2":
		return true, nil
	case "0", "false", "no", "alive", "censored":
		return false, nil
	case "true", "yes", "dead", "deceased", "event":
		return true, nil
	}
	return false, fmt.Errorf("event value %q not recognised", s)
}

// Labels returns a column's values with ok = false where missing.
func (t *Table) Labels(name string) ([]string, []bool, error) {
	c, err := t.col(name)
	if err != nil {
		return nil, nil, err
	}
	v, ok := make([]string, len(t.Rows)), make([]bool, len(t.Rows))
	for i, r := range t.Rows {
		v[i] = r.Get(c)
		ok[i] = !IsMissing(v[i])
	}
	return v, ok, nil
}

// Design is a covariate matrix coded as R's model.matrix (without the
// intercept column).
type Design struct {
	Names  []string    // term names, e.g. "age", "sexmale"
	X      [][]float64 // one row per table row (rows with OK false are zero)
	OK     []bool
	Levels map[string][]string // factor columns: levels, reference first
}

// Design builds the covariates; ref maps a factor column to its reference
// level (default: the first level in sorted order).
func (t *Table) Design(covariates []string, ref map[string]string) (*Design, error) {
	n := len(t.Rows)
	d := &Design{X: make([][]float64, n), OK: make([]bool, n), Levels: map[string][]string{}}
	for i := range d.OK {
		d.OK[i] = true
	}
	type coder struct {
		col    int
		levels []string // nil for numeric
	}
	var coders []coder
	for _, name := range covariates {
		c, err := t.col(name)
		if err != nil {
			return nil, err
		}
		numeric := true
		seen := map[string]bool{}
		var levels []string
		for _, r := range t.Rows {
			v := r.Get(c)
			if IsMissing(v) {
				continue
			}
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				numeric = false
			}
			if !seen[v] {
				seen[v] = true
				levels = append(levels, v)
			}
		}
		if _, forced := ref[name]; forced {
			numeric = false
		}
		if numeric {
			coders = append(coders, coder{col: c})
			d.Names = append(d.Names, t.Header[c])
			continue
		}
		stats.SortLevels(levels)
		if r, ok := ref[name]; ok {
			k := -1
			for i, l := range levels {
				if l == r {
					k = i
				}
			}
			if k < 0 {
				return nil, formats.Errorf(t.Path, 0, "column "+name, "choose one of: "+strings.Join(levels, ", "), "reference level %q does not occur", r)
			}
			levels = append([]string{r}, append(append([]string(nil), levels[:k]...), levels[k+1:]...)...)
		}
		if len(levels) < 2 {
			return nil, formats.Errorf(t.Path, 0, "column "+name, "drop this covariate: a variable with one level carries no information", "covariate %s has a single level (%s)", name, strings.Join(levels, ""))
		}
		d.Levels[name] = levels
		coders = append(coders, coder{col: c, levels: levels})
		for _, l := range levels[1:] {
			d.Names = append(d.Names, t.Header[c]+l)
		}
	}
	for i, r := range t.Rows {
		row := make([]float64, 0, len(d.Names))
		for _, cd := range coders {
			v := r.Get(cd.col)
			if IsMissing(v) {
				d.OK[i] = false
			}
			if cd.levels == nil {
				f, _ := strconv.ParseFloat(v, 64)
				if IsMissing(v) {
					f = 0
				}
				row = append(row, f)
				continue
			}
			for _, l := range cd.levels[1:] {
				if v == l {
					row = append(row, 1)
				} else {
					row = append(row, 0)
				}
			}
		}
		d.X[i] = row
	}
	return d, nil
}

// Keep returns the rows where every mask is true, and how many were dropped.
func Keep(masks ...[]bool) (rows []int, dropped int) {
	if len(masks) == 0 {
		return nil, 0
	}
	for i := range masks[0] {
		ok := true
		for _, m := range masks {
			ok = ok && m[i]
		}
		if ok {
			rows = append(rows, i)
		} else {
			dropped++
		}
	}
	return rows, dropped
}

// SortedKeys returns a map's keys in order (for deterministic output).
func SortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}
