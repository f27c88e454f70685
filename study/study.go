// Package study reads the sample sheet that describes a study: one row per
// sample with its patient, timepoint and data file, and optional outcome,
// treatment and per-cell annotation. Everything a run needs is checked here,
// before any work starts, and every problem names its row.
package study

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/formats/sheet"
)

// Sample is one row of the sheet. Paths are resolved against the sheet's
// directory when relative.
type Sample struct {
	Line       int
	ID         string
	Patient    string
	Timepoint  Timepoint
	Path       string
	Annotation string // per-cell annotation table (optional)
	CellColumn string // its barcode column (default: the first)
	TypeColumn string // cell-type column of the annotation, or without one an obs column of the h5ad (optional)
	Outcome    string // raw value, "" when absent
	Treatment  string
	Date       string            // sampling date YYYY-MM-DD (optional "date" column), "" when undated
	Fields     map[string]string // every column, as given
}

// Timepoint orders samples within a patient: diagnosis first, then days or
// dates in order, remission, relapse.
type Timepoint struct {
	Label string
	Kind  string  // "diagnosis", "remission", "relapse", "day", "date", "other"
	Order float64 // sort key within the kind ordering
}

func parseTimepoint(s string) Timepoint {
	l := strings.ToLower(strings.TrimSpace(s))
	switch l {
	case "diagnosis", "dx", "d0", "day0", "baseline", "diag":
		return Timepoint{s, "diagnosis", 0}
	case "remission", "cr", "rem":
		return Timepoint{s, "remission", 1e9}
	case "relapse", "rel", "r", "relapsed":
		return Timepoint{s, "relapse", 2e9}
	}
	if d, err := strconv.ParseFloat(strings.TrimPrefix(strings.TrimPrefix(l, "day"), "d"), 64); err == nil {
		return Timepoint{s, "day", d}
	}
	if t, err := time.Parse("2006-01-02", l); err == nil {
		return Timepoint{s, "date", float64(t.Unix()) / 86400}
	}
	return Timepoint{s, "other", 5e8}
}

// IsDiagnosis reports a diagnosis timepoint.
func (t Timepoint) IsDiagnosis() bool { return t.Kind == "diagnosis" }

// IsRelapse reports a relapse timepoint.
func (t Timepoint) IsRelapse() bool { return t.Kind == "relapse" }

// Sheet is a parsed study sheet.
type Sheet struct {
	Path       string
	Samples    []Sample
	HasOutcome bool
}

// Read reads and checks a sample sheet. requireDiagnosis makes a patient
// without a diagnosis sample an error.
func Read(path string, requireDiagnosis bool) (*Sheet, error) {
	sh, err := sheet.Read(path)
	if err != nil {
		return nil, err
	}
	req, err := sh.Require("a sample sheet", "sample", "patient", "timepoint", "path")
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	resolve := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	cAnn, cCell, cType, cOut, cTreat := sh.Col("annotation"), sh.Col("cell_column"), sh.Col("celltype_column"), sh.Col("outcome"), sh.Col("treatment")
	cDate := sh.Col("date")
	st := &Sheet{Path: path, HasOutcome: cOut >= 0}
	seen := map[string]int{}
	for _, r := range sh.Rows {
		s := Sample{Line: r.Line, ID: r.Get(req[0]), Patient: r.Get(req[1]), Timepoint: parseTimepoint(r.Get(req[2])),
			Path: resolve(r.Get(req[3])), Annotation: resolve(r.Get(cAnn)), CellColumn: r.Get(cCell), TypeColumn: r.Get(cType),
			Outcome: r.Get(cOut), Treatment: r.Get(cTreat), Date: r.Get(cDate), Fields: map[string]string{}}
		for i, h := range sh.Header {
			s.Fields[h] = r.Get(i)
		}
		bad := func(col, hint, format string, a ...any) error {
			return formats.Errorf(path, r.Line, "column "+col, hint, format, a...)
		}
		switch {
		case s.ID == "":
			return nil, bad("sample", "give every row a sample id", "empty sample id")
		case s.Patient == "":
			return nil, bad("patient", "give every row a patient id", "empty patient")
		case r.Get(req[2]) == "":
			return nil, bad("timepoint", "write diagnosis, remission, relapse, a day (e.g. day29) or a date", "empty timepoint")
		case r.Get(req[3]) == "":
			return nil, bad("path", "give the data file of this sample", "empty path")
		}
		if s.Date != "" {
			if _, err := time.Parse("2006-01-02", s.Date); err != nil {
				return nil, bad("date", "write the sampling date as YYYY-MM-DD, or leave it empty (the sample is then placed by its timepoint)", "%q is not a date", s.Date)
			}
		}
		if prev, dup := seen[s.ID]; dup {
			return nil, bad("sample", "sample ids must be unique", "sample %q is also on line %d", s.ID, prev)
		}
		seen[s.ID] = r.Line
		if _, err := os.Stat(s.Path); err != nil {
			return nil, bad("path", "check the path (relative paths are read from the sheet's folder)", "%s does not exist", s.Path)
		}
		if s.Annotation != "" {
			if _, err := os.Stat(s.Annotation); err != nil {
				return nil, bad("annotation", "check the path (relative paths are read from the sheet's folder)", "%s does not exist", s.Annotation)
			}
		}
		st.Samples = append(st.Samples, s)
	}
	if len(st.Samples) == 0 {
		return nil, formats.Errorf(path, 0, "", "add one row per sample", "no samples")
	}
	if requireDiagnosis {
		first := map[string]int{}
		hasDx := map[string]bool{}
		for _, s := range st.Samples {
			if _, ok := first[s.Patient]; !ok {
				first[s.Patient] = s.Line
			}
			hasDx[s.Patient] = hasDx[s.Patient] || s.Timepoint.IsDiagnosis()
		}
		var missing []string
		for p := range first {
			if !hasDx[p] {
				missing = append(missing, p)
			}
		}
		sort.Slice(missing, func(a, b int) bool { return first[missing[a]] < first[missing[b]] })
		if len(missing) > 0 {
			return nil, formats.Errorf(path, first[missing[0]], "column timepoint", "add the patient's diagnosis sample (timepoint diagnosis), or drop the patient",
				"patient %s has no diagnosis sample", missing[0])
		}
	}
	return st, nil
}

// DefaultTypeColumn sets the cell-type column of every sample whose row
// names none (a --celltype-column flag); "" leaves the sheet as it is.
func (s *Sheet) DefaultTypeColumn(col string) {
	if col == "" {
		return
	}
	for i := range s.Samples {
		if s.Samples[i].TypeColumn == "" {
			s.Samples[i].TypeColumn = col
		}
	}
}

// Less orders timepoints: diagnosis, days and dates (in order), other,
// remission, relapse.
func Less(a, b Timepoint) bool {
	if a.Order != b.Order {
		return a.Order < b.Order
	}
	return a.Label < b.Label
}
