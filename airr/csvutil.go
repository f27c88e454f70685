package airr

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/lsc-bio/lsc/formats"
)

// ErrColumn is wrapped by errors about a missing required column.
var ErrColumn = errors.New("missing column")

// table reads a delimited file with a header row, by column name.
type table struct {
	name   string
	r      *csv.Reader
	cols   map[string]int
	header []string
	rec    []string
	line   int
}

func newTable(r io.Reader, name string, sep rune, comment rune) (*table, error) {
	cr := csv.NewReader(r)
	cr.Comma = sep
	cr.Comment = comment
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = sep == '\t'
	cr.ReuseRecord = false
	t := &table{name: name, r: cr, cols: map[string]int{}}
	h, err := cr.Read()
	if err == io.EOF {
		return nil, formats.Errorf(name, 1, "", "give a table with a header row", "empty file")
	}
	if err != nil {
		return nil, t.wrap(err)
	}
	line, _ := cr.FieldPos(0)
	t.line = line
	for i, c := range h {
		c = strings.TrimSpace(strings.TrimPrefix(c, "\ufeff"))
		h[i] = c
		if _, dup := t.cols[c]; !dup {
			t.cols[c] = i
		}
	}
	t.header = h
	return t, nil
}

func (t *table) wrap(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &formats.ParseError{File: t.name, Line: pe.Line, Where: fmt.Sprintf("column %d", pe.Column), Reason: "malformed row", Hint: "check quoting and delimiters", Err: err}
	}
	return &formats.ParseError{File: t.name, Reason: "cannot read", Err: err}
}

// require returns an error naming every missing column.
func (t *table) require(kind string, names ...string) error {
	var miss []string
	for _, n := range names {
		if _, ok := t.cols[n]; !ok {
			miss = append(miss, n)
		}
	}
	if len(miss) > 0 {
		return &formats.ParseError{File: t.name, Line: t.line, Where: "header",
			Reason: fmt.Sprintf("%s: required column(s) %s missing", kind, strings.Join(miss, ", ")),
			Hint:   "give the file as the tool wrote it (header row first)", Err: ErrColumn}
	}
	return nil
}

func (t *table) has(name string) bool { _, ok := t.cols[name]; return ok }

// next reads the next row; io.EOF at the end.
func (t *table) next() error {
	rec, err := t.r.Read()
	if err != nil {
		if err == io.EOF {
			return err
		}
		return t.wrap(err)
	}
	t.line, _ = t.r.FieldPos(0)
	if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
		return t.next()
	}
	if len(rec) > len(t.header) {
		return formats.Errorf(t.name, t.line, "", "every row needs at most as many fields as the header", "%d fields, header has %d", len(rec), len(t.header))
	}
	for len(rec) < len(t.header) {
		rec = append(rec, "") // trailing fields left out are nulls (as pandas and the airr library read them)
	}
	t.rec = rec
	return nil
}

// get returns the field in column name ("" when the file has no such column).
func (t *table) get(name string) string {
	i, ok := t.cols[name]
	if !ok {
		return ""
	}
	return strings.TrimSpace(t.rec[i])
}

func (t *table) str(name string) string { return nullable(t.get(name)) }

func (t *table) boolean(name string, missing bool) (bool, error) {
	if !t.has(name) {
		return missing, nil
	}
	v, ok := parseBool(t.get(name))
	if !ok {
		return false, formats.Errorf(t.name, t.line, "column "+name, "use True/False (or T/F)", "not a boolean: %q", t.get(name))
	}
	return v, nil
}

// count reads a non-negative number; -1 when null or absent.
func (t *table) count(name string) (float64, error) {
	s := t.get(name)
	if !t.has(name) || isNull(s) {
		return -1, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, formats.Errorf(t.name, t.line, "column "+name, "counts are numbers >= 0", "not a count: %q", s)
	}
	return v, nil
}
