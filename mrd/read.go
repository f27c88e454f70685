package mrd

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/formats/sheet"
)

// Assay is the measurement technique of a row.
type Assay string

const (
	QPCR Assay = "qpcr"
	FISH Assay = "fish"
)

// Target names lsc recognises as BCR::ABL1 (HGVS fusion notation is the
// canonical spelling).
const BCRABL1 = "BCR::ABL1"

// Measurement is one input row, parsed. Fields holds the row exactly as
// given, so outputs can echo it.
type Measurement struct {
	Line     int
	Fields   []string
	Patient  string
	Date     time.Time
	Fraction string
	Assay    Assay

	Target        string // canonical for BCR::ABL1, else as given
	Transcript    string
	TargetCopies  float64
	ControlGene   string // ABL1, GUSB or BCR
	ControlCopies float64
	CF            float64 // conversion factor, 1 when not given
	CFGiven       bool
	Replicate     string

	Abnormal, Scored int
	Probe            string
}

// Data is a parsed measurement sheet.
type Data struct {
	Path   string
	Header []string
	Rows   []Measurement
}

// ReadMeasurements reads and checks a measurement sheet (CSV or TSV).
func ReadMeasurements(path string) (*Data, error) {
	sh, err := sheet.Read(path)
	if err != nil {
		return nil, err
	}
	return ParseMeasurements(sh)
}

// ParseMeasurements checks a sheet already read. Rows are kept in input
// order; any row that cannot be used is an error naming its line.
func ParseMeasurements(sh *sheet.Sheet) (*Data, error) {
	req, err := sh.Require("an MRD measurement sheet", "patient", "date", "fraction", "assay")
	if err != nil {
		return nil, err
	}
	col := sh.Col
	p := rowParser{path: sh.Path, target: col("target"), transcript: col("transcript"), tc: col("target_copies"), cg: col("control_gene"),
		cc: col("control_copies"), cf: col("conversion_factor"), rep: col("replicate"), ab: col("abnormal_nuclei"), sc: col("scored_nuclei"), probe: col("probe")}
	d := &Data{Path: sh.Path, Header: sh.Header, Rows: make([]Measurement, 0, len(sh.Rows))}
	for _, r := range sh.Rows {
		m := Measurement{Line: r.Line, Fields: r.Fields, Patient: r.Get(req[0]), Fraction: r.Get(req[2])}
		if m.Patient == "" {
			return nil, p.bad(r, ErrMissing, "column patient", "give every row a patient identifier", "empty patient")
		}
		if m.Fraction == "" {
			return nil, p.bad(r, ErrMissing, "column fraction", "name what was measured, e.g. PB, BM-MNC, CD34+CD38-", "empty fraction")
		}
		if m.Date, err = ParseDate(r.Get(req[1])); err != nil {
			return nil, p.bad(r, ErrDate, "column date", "write dates as YYYY-MM-DD (ISO 8601); other forms are ambiguous between day and month", "%v", err)
		}
		switch a := strings.ToLower(strings.ReplaceAll(r.Get(req[3]), " ", "")); a {
		case "qpcr", "rq-pcr", "rt-qpcr", "rqpcr", "pcr", "q-pcr":
			m.Assay = QPCR
			err = p.qpcr(r, &m)
		case "fish":
			m.Assay = FISH
			err = p.fish(r, &m)
		default:
			err = p.bad(r, ErrAssay, "column assay", "use qpcr or fish", "unknown assay %q", r.Get(req[3]))
		}
		if err != nil {
			return nil, err
		}
		d.Rows = append(d.Rows, m)
	}
	if len(d.Rows) == 0 {
		return nil, inputErr(ErrNoRows, formats.Errorf(sh.Path, 0, "", "add one row per measurement", "no measurement rows"))
	}
	return d, nil
}

// rowParser holds the optional columns of a measurement sheet (-1 when
// absent).
type rowParser struct {
	path                                    string
	target, transcript, tc, cg, cc, cf, rep int
	ab, sc, probe                           int
}

// bad builds the error of a row: a ParseError of the given kind; an error
// among the format arguments becomes its cause.
func (p *rowParser) bad(r sheet.Row, kind error, column, hint, format string, args ...any) error {
	pe := formats.Errorf(p.path, r.Line, column, hint, format, args...)
	for _, a := range args {
		if e, ok := a.(error); ok {
			pe.Err = e
		}
	}
	return inputErr(kind, pe)
}

func (p *rowParser) qpcr(r sheet.Row, m *Measurement) error {
	var err error
	for _, c := range []struct {
		idx  int
		name string
	}{{p.target, "target"}, {p.tc, "target_copies"}, {p.cg, "control_gene"}, {p.cc, "control_copies"}} {
		if c.idx < 0 {
			return p.bad(r, ErrMissing, "header", "add the column: qPCR rows need target, target_copies, control_gene and control_copies", "qPCR row but no %s column", c.name)
		}
		if r.Get(c.idx) == "" {
			return p.bad(r, ErrMissing, "column "+c.name, "fill it in (0 target copies means undetectable)", "empty %s on a qPCR row", c.name)
		}
	}
	m.Target = canonicalTarget(r.Get(p.target))
	m.Transcript = r.Get(p.transcript)
	m.Replicate = r.Get(p.rep)
	if m.TargetCopies, err = copies(r.Get(p.tc)); err != nil {
		return p.bad(r, ErrNumber, "column target_copies", "write the copy number as a plain non-negative number (0 = undetectable)", "%v", err)
	}
	if m.ControlCopies, err = copies(r.Get(p.cc)); err != nil {
		return p.bad(r, ErrNumber, "column control_copies", "write the copy number as a plain positive number", "%v", err)
	}
	if m.ControlCopies == 0 {
		return p.bad(r, ErrNumber, "column control_copies", "a sample without control-gene copies failed and cannot be scored: repeat it or remove the row", "control copies are 0")
	}
	cg, ok := canonicalControl(r.Get(p.cg))
	if !ok {
		return p.bad(r, ErrControlGene, "column control_gene", "use ABL1, GUSB or BCR", "unknown control gene %q", r.Get(p.cg))
	}
	m.ControlGene = cg
	m.CF = 1
	if s := r.Get(p.cf); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return p.bad(r, ErrNumber, "column conversion_factor", "give the laboratory's IS conversion factor as a positive number, or leave it empty for 1", "conversion factor %q is not a positive number", s)
		}
		m.CF, m.CFGiven = v, true
	}
	return nil
}

func (p *rowParser) fish(r sheet.Row, m *Measurement) error {
	var err error
	if p.ab < 0 || p.sc < 0 {
		return p.bad(r, ErrMissing, "header", "add abnormal_nuclei and scored_nuclei columns for FISH rows", "FISH row but no abnormal_nuclei/scored_nuclei column")
	}
	if m.Abnormal, err = count(r.Get(p.ab)); err != nil {
		return p.bad(r, ErrNumber, "column abnormal_nuclei", "write a whole number of nuclei", "%v", err)
	}
	if m.Scored, err = count(r.Get(p.sc)); err != nil {
		return p.bad(r, ErrNumber, "column scored_nuclei", "write a whole number of nuclei", "%v", err)
	}
	if m.Scored == 0 {
		return p.bad(r, ErrNumber, "column scored_nuclei", "a FISH result needs at least one scored nucleus", "no nuclei scored")
	}
	if m.Abnormal > m.Scored {
		return p.bad(r, ErrNumber, "column abnormal_nuclei", "abnormal nuclei are a subset of the scored ones: check the two columns", "%d abnormal of %d scored", m.Abnormal, m.Scored)
	}
	m.Probe = r.Get(p.probe)
	return nil
}

const dateLayout = "2006-01-02"

// ParseDate reads an ISO 8601 calendar date, YYYY-MM-DD, also with one-digit
// month or day (2020-4-1: the year first leaves no doubt which is the
// month), optionally followed by a time part after T or a space, which is
// ignored. Errors match ErrDate.
func ParseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, dateError("empty date")
	}
	d := s
	if i := strings.IndexAny(d, "T "); i >= 0 {
		d = d[:i]
	}
	if t, err := time.Parse(dateLayout, d); err == nil {
		return t, nil
	}
	p := strings.Split(d, "-")
	if len(p) == 3 && len(p[0]) == 4 && len(p[1]) >= 1 && len(p[1]) <= 2 && len(p[2]) >= 1 && len(p[2]) <= 2 {
		y, e1 := strconv.Atoi(p[0])
		mo, e2 := strconv.Atoi(p[1])
		da, e3 := strconv.Atoi(p[2])
		if e1 == nil && e2 == nil && e3 == nil && digits(d) {
			t := time.Date(y, time.Month(mo), da, 0, 0, 0, 0, time.UTC)
			if t.Year() == y && int(t.Month()) == mo && t.Day() == da {
				return t, nil
			}
		}
	}
	return time.Time{}, dateError(fmt.Sprintf("date %q is not YYYY-MM-DD", s))
}

// digits reports whether s holds only digits and dashes (no signs).
func digits(s string) bool {
	for _, c := range s {
		if (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

func copies(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if v < 0 {
		return 0, fmt.Errorf("negative copy number %s", s)
	}
	return v, nil
}

func count(s string) (int, error) {
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	if v < 0 {
		return 0, fmt.Errorf("negative count %d", v)
	}
	return v, nil
}

var targetPunct = strings.NewReplacer(" ", "", "-", "", ":", "", "/", "", "_", "")

func canonicalTarget(s string) string {
	k := strings.ToUpper(targetPunct.Replace(s))
	if k == "BCRABL1" || k == "BCRABL" {
		return BCRABL1
	}
	return s
}

func canonicalControl(s string) (string, bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "ABL1", "ABL":
		return "ABL1", true
	case "GUSB", "GUS":
		return "GUSB", true
	case "BCR":
		return "BCR", true
	}
	return "", false
}

// Patient is one patient's treatment record.
type Patient struct {
	ID         string
	Diagnosis  string
	Transcript string
	Lines      []TherapyLine // sorted by start
	Line       int           // first line in the sheet
}

// TherapyLine is one line of therapy; Start is zero when not given.
type TherapyLine struct {
	Therapy string
	Start   time.Time
	Stop    time.Time // zero while ongoing
	Reason  string    // why this line replaced the previous one
	Line    int
}

// ReadPatients reads a patient sheet: patient, therapy_start and optional
// diagnosis, therapy, therapy_stop, reason (for a change of therapy) and
// transcript. A patient with several rows has several lines of therapy.
func ReadPatients(path string) (map[string]*Patient, error) {
	sh, err := sheet.Read(path)
	if err != nil {
		return nil, err
	}
	return ParsePatients(sh)
}

// ParsePatients checks a patient sheet already read.
func ParsePatients(sh *sheet.Sheet) (map[string]*Patient, error) {
	req, err := sh.Require("a patient sheet", "patient", "therapy_start")
	if err != nil {
		return nil, err
	}
	cDx, cTh, cStop, cReason, cTr := sh.Col("diagnosis"), sh.Col("therapy"), sh.Col("therapy_stop"), sh.Col("reason"), sh.Col("transcript")
	out := map[string]*Patient{}
	for _, r := range sh.Rows {
		id := r.Get(req[0])
		if id == "" {
			return nil, inputErr(ErrMissing, formats.Errorf(sh.Path, r.Line, "column patient", "give every row a patient identifier", "empty patient"))
		}
		p := out[id]
		if p == nil {
			p = &Patient{ID: id, Line: r.Line}
			out[id] = p
		}
		if v := r.Get(cDx); v != "" {
			p.Diagnosis = v
		}
		if v := r.Get(cTr); v != "" {
			p.Transcript = v
		}
		tl := TherapyLine{Therapy: r.Get(cTh), Reason: r.Get(cReason), Line: r.Line}
		if s := r.Get(req[1]); s != "" {
			if tl.Start, err = ParseDate(s); err != nil {
				return nil, inputErr(ErrDate, formats.Errorf(sh.Path, r.Line, "column therapy_start", "write dates as YYYY-MM-DD", "%v", err))
			}
		}
		if s := r.Get(cStop); s != "" {
			if tl.Stop, err = ParseDate(s); err != nil {
				return nil, inputErr(ErrDate, formats.Errorf(sh.Path, r.Line, "column therapy_stop", "write dates as YYYY-MM-DD", "%v", err))
			}
			if !tl.Start.IsZero() && tl.Stop.Before(tl.Start) {
				return nil, inputErr(ErrTherapy, formats.Errorf(sh.Path, r.Line, "column therapy_stop", "correct one of the two dates", "therapy stops (%s) before it starts (%s)", s, r.Get(req[1])))
			}
		}
		if tl.Start.IsZero() && len(p.Lines) > 0 {
			return nil, inputErr(ErrTherapy, formats.Errorf(sh.Path, r.Line, "column therapy_start", "a change of therapy needs its start date", "patient %s has several therapy rows and this one has no start", id))
		}
		p.Lines = append(p.Lines, tl)
	}
	for _, p := range out {
		for _, l := range p.Lines {
			if l.Start.IsZero() && len(p.Lines) > 1 {
				return nil, inputErr(ErrTherapy, formats.Errorf(sh.Path, l.Line, "column therapy_start", "a line of therapy needs its start date when the patient has several", "patient %s: therapy row without a start", p.ID))
			}
		}
		sort.SliceStable(p.Lines, func(i, j int) bool { return p.Lines[i].Start.Before(p.Lines[j].Start) })
	}
	return out, nil
}
