// Package sheet reads the small delimited tables users write by hand or export
// from a spreadsheet: sample sheets, clinical tables, measurement logs. A sheet
// is tab-, comma- or semicolon-separated (told from the header line, never
// from the file name), plain or gzip, with one header row. Every row keeps its line number so that errors
// downstream can name it.
package sheet

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/lsc-bio/lsc/formats"
)

// Sheet is a parsed table. Header names are kept as written; lookups by name
// ignore case and surrounding spaces.
type Sheet struct {
	Path   string
	Comma  rune
	Header []string
	Rows   []Row
	index  map[string]int
}

// Row is one data row: its 1-based line in the file and its fields, one per
// header column (missing trailing fields of a short row are an error, not
// padding).
type Row struct {
	Line   int
	Fields []string
}

// Read reads a whole sheet from a file (plain or gzip) with Parse.
func Read(path string) (*Sheet, error) {
	rc, err := formats.OpenText(path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return Parse(rc, path)
}

// Parse reads a sheet from r, the shape of every lsc reader (r, name);
// path is the name errors give. Leading lines starting with '#' are
// comments; rows whose fields are all empty (spreadsheet exports) are
// skipped.
func Parse(r io.Reader, path string) (*Sheet, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<30))
	if err != nil {
		return nil, err
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	// Leading comment lines.
	skipped := 0
	for strings.HasPrefix(text, "#") {
		nl := strings.IndexByte(text, '\n')
		if nl < 0 {
			text = ""
		} else {
			text = text[nl+1:]
		}
		skipped++
	}
	if strings.TrimSpace(text) == "" {
		return nil, formats.Errorf(path, 0, "", "write a header line (e.g. 'patient,date,...') and one row per record", "the file has no header and no rows")
	}
	comma := delimiter(text)
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	sh := &Sheet{Path: path, Comma: comma, index: map[string]int{}}
	first := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.Line + skipped
			}
			return nil, &formats.ParseError{File: path, Line: line, Reason: "malformed " + delimName(comma) + " row", Err: err,
				Hint: "check the quotes on this line: a field containing the delimiter or a quote must be quoted, and quotes inside it doubled"}
		}
		line, _ := cr.FieldPos(0)
		line += skipped
		if first {
			first = false
			for i, h := range rec {
				key := norm(h)
				if key == "" {
					return nil, formats.Errorf(path, line, "column "+strconv.Itoa(i+1), "give every column a name", "empty column name in the header")
				}
				if j, dup := sh.index[key]; dup {
					return nil, formats.Errorf(path, line, "", "rename one of them", "column %q appears twice (columns %d and %d)", h, j+1, i+1)
				}
				sh.index[key] = i
				sh.Header = append(sh.Header, strings.TrimSpace(h))
			}
			continue
		}
		if allEmpty(rec) {
			continue
		}
		if len(rec) != len(sh.Header) {
			// Trailing empty fields beyond the header are harmless (spreadsheet exports).
			for len(rec) > len(sh.Header) && strings.TrimSpace(rec[len(rec)-1]) == "" {
				rec = rec[:len(rec)-1]
			}
			if len(rec) != len(sh.Header) {
				return nil, formats.Errorf(path, line, "", "every row needs one field per header column (leave a field empty rather than out)",
					"%d fields, but the header has %d columns", len(rec), len(sh.Header))
			}
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		sh.Rows = append(sh.Rows, Row{Line: line, Fields: rec})
	}
	if sh.Header == nil {
		return nil, formats.Errorf(path, 0, "", "write a header line and one row per record", "the file has no header")
	}
	return sh, nil
}

// Col returns the index of the named column, or -1.
func (s *Sheet) Col(name string) int {
	if i, ok := s.index[norm(name)]; ok {
		return i
	}
	return -1
}

// Require returns the indices of the named columns, or an error naming the
// missing ones and the columns the sheet has.
func (s *Sheet) Require(what string, names ...string) ([]int, error) {
	idx := make([]int, len(names))
	var missing []string
	for i, n := range names {
		idx[i] = s.Col(n)
		if idx[i] < 0 {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, formats.Errorf(s.Path, 1, "header", "add the column(s) or rename yours; the sheet has: "+strings.Join(s.Header, ", "),
			"%s needs column(s) %s", what, strings.Join(missing, ", "))
	}
	return idx, nil
}

// Get returns row r's field in column i, or "" when i < 0.
func (r Row) Get(i int) string {
	if i < 0 || i >= len(r.Fields) {
		return ""
	}
	return r.Fields[i]
}

func delimiter(text string) rune {
	header := text
	if nl := strings.IndexByte(text, '\n'); nl >= 0 {
		header = text[:nl]
	}
	return rune(formats.Delimiter([]byte(header)))
}

func delimName(c rune) string {
	switch c {
	case '\t':
		return "TSV"
	case ';':
		return "semicolon-separated"
	}
	return "CSV"
}

func norm(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func allEmpty(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// New builds a sheet in memory (e.g. a clinical table joined with scores).
// Header names must be unique ignoring case.
func New(path string, header []string, rows []Row) (*Sheet, error) {
	sh := &Sheet{Path: path, Comma: ',', index: map[string]int{}}
	for i, h := range header {
		k := norm(h)
		if _, dup := sh.index[k]; dup {
			return nil, formats.Errorf(path, 1, "", "rename one of them", "column %q appears twice", h)
		}
		sh.index[k] = i
	}
	sh.Header = append([]string(nil), header...)
	for _, r := range rows {
		if len(r.Fields) != len(header) {
			return nil, formats.Errorf(path, r.Line, "", "", "%d fields, header has %d", len(r.Fields), len(header))
		}
	}
	sh.Rows = rows
	return sh, nil
}
