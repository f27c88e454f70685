package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lsc-bio/lsc/formats"
)

// bundle is one import read into memory before any SQL: a run, the patients,
// samples, events and results it brings.
type bundle struct {
	run      Run
	files    []bundleFile
	patients map[string]*patientRec
	order    []string // patients in first-seen order
	samples  []*sampleRec
	sampleAt map[string]*sampleRec // patient \x00 name
	events   []eventRec
	results  []resultRec
	warnings []string
	skipped  int
}

type bundleFile struct {
	RunFile
	path string
}

type patientRec struct {
	pseudonym string
	sex       string
	birthYear *int
	day0Event string
	attrs     map[string]string
	full      bool // from a patient sheet: update the stored attributes
}

type sampleRec struct {
	patient, name, timepoint, tissue, fraction string
	date                                       *string
}

type eventRec struct {
	patient, kind, detail, source string
	date                          *string
	day                           *float64
	line                          *int
}

type resultRec struct {
	patient, sample                                 string
	assay, metric, fraction, target, unit, scenario string
	date                                            *string
	day, value, lower, upper                        *float64
	detectionLimit, sampleValue                     *float64 // lsc mrd assess: the sample's sensitivity and level
	label                                           string
	n, k                                            *int64
	file                                            string
	line                                            int
	fields                                          map[string]string
}

func newBundle() *bundle {
	return &bundle{patients: map[string]*patientRec{}, sampleAt: map[string]*sampleRec{}}
}

func (b *bundle) patient(p string) *patientRec {
	if r, ok := b.patients[p]; ok {
		return r
	}
	r := &patientRec{pseudonym: p, day0Event: "diagnosis", attrs: map[string]string{}}
	b.patients[p] = r
	b.order = append(b.order, p)
	return r
}

// sample adds (or returns) a sample; metadata given later fills empty fields
// and a disagreement is an error naming both.
func (b *bundle) sample(s sampleRec, where string) error {
	b.patient(s.patient)
	key := s.patient + "\x00" + s.name
	if old, ok := b.sampleAt[key]; ok {
		if s.date != nil && old.date != nil && *s.date != *old.date {
			return fmt.Errorf("%s: sample %s has date %s here and %s on an earlier row", where, s.name, *s.date, *old.date)
		}
		if old.date == nil {
			old.date = s.date
		}
		fill(&old.timepoint, s.timepoint)
		fill(&old.tissue, s.tissue)
		fill(&old.fraction, s.fraction)
		return nil
	}
	c := s
	b.sampleAt[key] = &c
	b.samples = append(b.samples, &c)
	return nil
}

func fill(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// addFile records a file of the run folder with its checksum.
func (b *bundle) addFile(path string) error { return b.addFileAs(path, filepath.Base(path)) }

// addFileAs records a file under a name relative to the run folder.
func (b *bundle) addFileAs(path, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	b.files = append(b.files, bundleFile{RunFile{Name: name, SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}, path})
	return nil
}

// finish sets the run id from the kind and the checksums of the files read:
// the same folder always gets the same id, so a second import is a no-op.
func (b *bundle) finish(kind string) {
	sort.Slice(b.files, func(i, j int) bool { return b.files[i].Name < b.files[j].Name })
	h := sha256.New()
	fmt.Fprintf(h, "lsc-run-v1\n%s\n%s\n", kind, b.run.Parameters)
	for _, f := range b.files {
		if strings.Contains(f.Name, "/") {
			continue // sub-folder pages do not change the run's id (as before they were kept)
		}
		fmt.Fprintf(h, "%s %s\n", f.SHA256, f.Name)
	}
	b.run.Kind = kind
	b.run.ID = kind + "-" + hex.EncodeToString(h.Sum(nil))[:16]
	if b.run.Parameters == "" {
		b.run.Parameters = "{}"
	}
	if b.run.Inputs == "" {
		b.run.Inputs = "[]"
	}
}

// num parses a TSV number: "" is nil (no value), anything else must parse.
func num(s, file string, line int, col string) (*float64, error) {
	if s == "" || strings.EqualFold(s, "NA") {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		switch s {
		case "Inf":
			v, err = strconv.ParseFloat("+Inf", 64)
		case "-Inf":
			v, err = strconv.ParseFloat("-Inf", 64)
		}
	}
	if err != nil {
		return nil, formats.Errorf(file, line, "column "+col, "write a number, or leave the field empty", "%q is not a number", s)
	}
	return &v, nil
}

func integer(s, file string, line int, col string) (*int64, error) {
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, formats.Errorf(file, line, "column "+col, "write a whole number, or leave the field empty", "%q is not a whole number", s)
	}
	return &v, nil
}

// date checks a YYYY-MM-DD date; "" is nil.
func date(s, file string, line int, col string) (*string, error) {
	if s == "" {
		return nil, nil
	}
	if _, err := time.Parse("2006-01-02", s); err != nil {
		return nil, formats.Errorf(file, line, "column "+col, "write dates as YYYY-MM-DD", "%q is not a date", s)
	}
	return &s, nil
}

func strp(s string) *string { return &s }

func compactJSON(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	b, _ := json.Marshal(v) // sorted keys: the same bytes for the same content
	return string(b)
}

// fnum writes a float in shortest round-trip form (as report.Num): parsing
// it gives the same float64 back.
func fnum(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
