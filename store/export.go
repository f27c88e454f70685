package store

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lsc-bio/lsc/atomicfile"
)

// ExportOptions configure Export.
type ExportOptions struct {
	// Redact shifts every date of a patient by a secret offset (the same
	// for all of that patient's dates, so days between them are kept),
	// drops free text (event details, attributes, source rows, paths) and
	// the stored files, and hashes internal keys.
	Redact bool
	// Secret keys the offsets; empty draws a random one that is not kept.
	Secret []byte
	// MaxShift bounds the offsets in days (default 365).
	MaxShift int
	// Force replaces an existing archive.
	Force bool
}

// archiveTables are the archive's tables in the order they are restored.
var archiveTables = []struct {
	name string
	cols []string
}{
	{"patients", []string{"patient", "sex", "birth_year", "day0_event", "attributes"}},
	{"events", []string{"patient", "kind", "date", "day", "detail", "line", "source", "ekey"}},
	{"samples", []string{"patient", "sample", "date", "timepoint", "tissue", "fraction"}},
	{"runs", []string{"id", "kind", "lsc_version", "parameters", "inputs", "created_at", "imported_at", "imported_by", "source"}},
	{"run_files", []string{"run_id", "name", "sha256", "size"}},
	{"results", []string{"run_id", "patient", "sample", "assay", "metric", "fraction", "target", "unit", "scenario", "date", "day",
		"value", "lower", "upper", "label", "n", "k", "file", "line", "fields", "rkey", "detection_limit", "sample_value"}},
}

var archiveSelect = map[string]string{
	"patients": `SELECT p.pseudonym, p.sex, p.birth_year, p.day0_event, p.attributes FROM patients p WHERE p.study_id = ? ORDER BY p.pseudonym`,
	"events": `SELECT p.pseudonym, e.kind, e.date, e.day, e.detail, e.line, e.source, e.ekey FROM events e JOIN patients p ON p.id = e.patient_id
		WHERE p.study_id = ? ORDER BY p.pseudonym, e.id`,
	"samples": `SELECT p.pseudonym, s.name, s.date, s.timepoint, s.tissue, s.fraction FROM samples s JOIN patients p ON p.id = s.patient_id
		WHERE p.study_id = ? ORDER BY p.pseudonym, s.name`,
	"runs":      `SELECT id, kind, lsc_version, parameters, inputs, created_at, imported_at, imported_by, source FROM runs WHERE study_id = ? ORDER BY id`,
	"run_files": `SELECT f.run_id, f.name, f.sha256, f.size FROM run_files f JOIN runs r ON r.id = f.run_id WHERE r.study_id = ? ORDER BY f.run_id, f.name`,
	"results": `SELECT r.run_id, p.pseudonym, COALESCE(s.name, ''), r.assay, r.metric, r.fraction, r.target, r.unit, r.scenario, r.date, r.day,
		r.value, r.lower, r.upper, r.label, r.n, r.k, r.file, r.line, r.fields, r.rkey, r.detection_limit, r.sample_value
		FROM results r JOIN patients p ON p.id = r.patient_id LEFT JOIN samples s ON s.id = r.sample_id WHERE p.study_id = ? ORDER BY r.run_id, r.rkey`,
}

// Manifest describes an archive.
type Manifest struct {
	Format        string `json:"format"`
	Version       int    `json:"version"`
	SchemaVersion int    `json:"schema_version"`
	Study         string `json:"study"`
	Redacted      bool   `json:"redacted"`
	MaxShiftDays  int    `json:"max_shift_days,omitempty"`
}

const archiveFormat = "lsc-study-archive"

// Export writes every table of a study as TSV (PostgreSQL COPY text
// escaping: \N is NULL, \t \n \r \\ escaped), the stored files, a
// manifest.json and SHA256SUMS. Each file is written atomically.
func (c *core) Export(ctx context.Context, study, dir string, opt ExportOptions) error {
	if study == "" {
		study = DefaultStudy
	}
	sid, err := c.studyKey(ctx, study)
	if err != nil {
		return err
	}
	if err := atomicfile.CheckDir(dir, opt.Force, "manifest.json", "SHA256SUMS"); err != nil {
		return err
	}
	ms, err := c.Migrations(ctx)
	if err != nil {
		return err
	}
	man := Manifest{Format: archiveFormat, Version: 1, SchemaVersion: len(ms), Study: study, Redacted: opt.Redact}
	var red *redactor
	if opt.Redact {
		if red, err = newRedactor(opt); err != nil {
			return err
		}
		man.MaxShiftDays = red.max
	}
	sums := map[string]string{}
	// One read transaction: the archive is a consistent snapshot. Read-only
	// on both backends: SQLite then begins a deferred transaction (a WAL
	// snapshot at its first read) instead of the store's default BEGIN
	// IMMEDIATE, so an export does not hold the write lock and imports and
	// audit rows go on while it runs.
	tx, err := c.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var shas []string
	for _, t := range archiveTables {
		rows, err := tx.QueryContext(ctx, c.d.q(archiveSelect[t.name]), sid)
		if err != nil {
			return err
		}
		var lines [][]*string
		for rows.Next() {
			vals := make([]any, len(t.cols))
			cells := make([]sql.NullString, len(t.cols))
			for i := range vals {
				vals[i] = &cells[i]
			}
			if err := rows.Scan(vals...); err != nil {
				rows.Close()
				return err
			}
			rec := make([]*string, len(t.cols))
			for i, c := range cells {
				if c.Valid {
					s := c.String
					rec[i] = &s
				}
			}
			if red != nil {
				red.row(t.name, t.cols, rec)
			}
			if t.name == "run_files" {
				shas = append(shas, *rec[2])
			}
			lines = append(lines, rec)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		name := t.name + ".tsv"
		h := sha256.New()
		err = atomicfile.Write(filepath.Join(dir, name), func(w io.Writer) error {
			bw := bufio.NewWriter(io.MultiWriter(w, h))
			writeTSVRow(bw, cellsOf(t.cols))
			for _, l := range lines {
				writeTSVRow(bw, l)
			}
			return bw.Flush()
		})
		if err != nil {
			return err
		}
		sums[name] = hex.EncodeToString(h.Sum(nil))
	}
	if !opt.Redact && c.files != "" {
		sort.Strings(shas)
		for i, sha := range shas {
			if i > 0 && shas[i-1] == sha {
				continue
			}
			src, err := os.Open(c.filePath(sha))
			if errors.Is(err, os.ErrNotExist) {
				continue // checksummed only (e.g. imported without a files folder)
			}
			if err != nil {
				return err
			}
			err = atomicfile.Write(filepath.Join(dir, "files", sha), func(w io.Writer) error { _, err := io.Copy(w, src); return err })
			src.Close()
			if err != nil {
				return err
			}
			sums["files/"+sha] = sha
		}
	}
	mj, _ := json.MarshalIndent(man, "", "  ")
	mj = append(mj, '\n')
	if err := atomicfile.Write(filepath.Join(dir, "manifest.json"), func(w io.Writer) error { _, err := w.Write(mj); return err }); err != nil {
		return err
	}
	ms256 := sha256.Sum256(mj)
	sums["manifest.json"] = hex.EncodeToString(ms256[:])
	names := make([]string, 0, len(sums))
	for n := range sums {
		names = append(names, n)
	}
	sort.Strings(names)
	return atomicfile.Write(filepath.Join(dir, "SHA256SUMS"), func(w io.Writer) error {
		for _, n := range names {
			if _, err := fmt.Fprintf(w, "%s  %s\n", sums[n], n); err != nil {
				return err
			}
		}
		return nil
	})
}

func cellsOf(s []string) []*string {
	out := make([]*string, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

var tsvEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)

func writeTSVRow(w *bufio.Writer, rec []*string) {
	for i, c := range rec {
		if i > 0 {
			w.WriteByte('\t')
		}
		if c == nil {
			w.WriteString(`\N`)
		} else {
			w.WriteString(tsvEscaper.Replace(*c))
		}
	}
	w.WriteByte('\n')
}

func unescapeTSV(s string) *string {
	if s == `\N` {
		return nil
	}
	if !strings.Contains(s, `\`) {
		return &s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	out := b.String()
	return &out
}

// redactor shifts dates per patient and drops free text.
type redactor struct {
	secret []byte
	max    int
	shift  map[string]int
}

func newRedactor(opt ExportOptions) (*redactor, error) {
	r := &redactor{secret: opt.Secret, max: opt.MaxShift, shift: map[string]int{}}
	if r.max <= 0 {
		r.max = 365
	}
	if len(r.secret) == 0 {
		r.secret = make([]byte, 32)
		if _, err := rand.Read(r.secret); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// offset is a patient's shift in days: HMAC-SHA256(secret, pseudonym)
// mapped to [-max, max] without 0.
func (r *redactor) offset(patient string) int {
	if v, ok := r.shift[patient]; ok {
		return v
	}
	m := hmac.New(sha256.New, r.secret)
	m.Write([]byte(patient))
	x := binary.BigEndian.Uint64(m.Sum(nil))
	v := int(x%uint64(2*r.max)) - r.max
	if v >= 0 {
		v++
	}
	r.shift[patient] = v
	return v
}

var dateRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b(\d{4}-\d{2}-\d{2})\b`) })

func (r *redactor) shiftText(s *string, days int) {
	if s == nil {
		return
	}
	out := dateRe().ReplaceAllStringFunc(*s, func(d string) string {
		t, err := time.Parse("2006-01-02", d)
		if err != nil {
			return d
		}
		return t.AddDate(0, 0, days).Format("2006-01-02")
	})
	*s = out
}

func hashKey(s *string) {
	if s != nil {
		h := sha256.Sum256([]byte(*s))
		*s = hex.EncodeToString(h[:16])
	}
}

func (r *redactor) row(table string, cols []string, rec []*string) {
	col := func(n string) int {
		for i, c := range cols {
			if c == n {
				return i
			}
		}
		return -1
	}
	empty := func(n, v string) {
		if i := col(n); i >= 0 && rec[i] != nil {
			s := v
			rec[i] = &s
		}
	}
	days := 0
	if i := col("patient"); i >= 0 && rec[i] != nil {
		days = r.offset(*rec[i])
	}
	for _, n := range []string{"date", "sample", "timepoint"} {
		if i := col(n); i >= 0 {
			r.shiftText(rec[i], days)
		}
	}
	switch table {
	case "patients":
		empty("attributes", "{}")
	case "events":
		empty("detail", "")
		empty("source", "")
		hashKey(rec[col("ekey")])
	case "runs":
		empty("inputs", "[]")
		empty("source", "")
		empty("imported_by", "")
		if i := col("parameters"); rec[i] != nil {
			var v any
			if json.Unmarshal([]byte(*rec[i]), &v) == nil {
				b, _ := json.Marshal(scrubPaths(v))
				s := string(b)
				rec[i] = &s
			}
		}
	case "results":
		empty("fields", "{}")
		hashKey(rec[col("rkey")])
	}
}

// scrubPaths drops string values that look like file paths.
func scrubPaths(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && (strings.ContainsAny(s, `/\`)) {
				delete(x, k)
				continue
			}
			x[k] = scrubPaths(e)
		}
	case []any:
		for i := range x {
			x[i] = scrubPaths(x[i])
		}
	}
	return v
}

// ReadManifest reads an archive's manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil || m.Format != archiveFormat {
		return nil, fmt.Errorf("%s/manifest.json: not an lsc study archive", dir)
	}
	return &m, nil
}

// IsArchive reports whether dir holds an archive written by Export.
func IsArchive(dir string) bool {
	_, err := ReadManifest(dir)
	return err == nil
}

// ImportArchive restores an archive (checked against its SHA256SUMS) in
// one transaction. Rows already in the store are kept as they are.
func (c *core) ImportArchive(ctx context.Context, dir string) (*ImportResult, error) {
	if err := c.check(ctx); err != nil {
		return nil, err
	}
	man, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	if err := verifySums(dir); err != nil {
		return nil, err
	}
	tables := map[string][][]*string{}
	for _, t := range archiveTables {
		rows, err := readArchiveTable(filepath.Join(dir, t.name+".tsv"), t.cols)
		if err != nil {
			return nil, err
		}
		tables[t.name] = rows
	}
	// Stored files back into the files folder.
	if c.files != "" {
		ents, _ := os.ReadDir(filepath.Join(dir, "files"))
		for _, e := range ents {
			b := &bundle{}
			if err := b.addFile(filepath.Join(dir, "files", e.Name())); err != nil {
				return nil, err
			}
			if err := c.storeFiles(b); err != nil {
				return nil, err
			}
		}
	}
	res := &ImportResult{Kind: "archive"}
	err = c.inTx(ctx, func(tx *sql.Tx) error {
		sid, err := c.studyID(ctx, tx, man.Study)
		if err != nil {
			return err
		}
		if err := c.bumpVersion(ctx, tx, sid); err != nil {
			return err
		}
		var rows [][]any
		for _, r := range tables["patients"] {
			rows = append(rows, []any{sid, r[0], r[1], r[2], r[3], r[4]})
		}
		n, err := c.insertMany(ctx, tx, "patients", []string{"study_id", "pseudonym", "sex", "birth_year", "day0_event", "attributes"}, rows,
			" ON CONFLICT (study_id, pseudonym) DO NOTHING")
		if err != nil {
			return err
		}
		res.Patients = int(n)
		pid, err := c.patientIDs(ctx, tx, sid)
		if err != nil {
			return err
		}
		rows = rows[:0]
		for _, r := range tables["events"] {
			rows = append(rows, []any{pid[*r[0]], r[1], r[2], r[3], r[4], r[5], r[6], r[7]})
		}
		if n, err = c.insertMany(ctx, tx, "events", []string{"patient_id", "kind", "date", "day", "detail", "line", "source", "ekey"}, rows,
			" ON CONFLICT (patient_id, ekey) DO NOTHING"); err != nil {
			return err
		}
		res.Events = int(n)
		rows = rows[:0]
		for _, r := range tables["samples"] {
			rows = append(rows, []any{pid[*r[0]], r[1], r[2], r[3], r[4], r[5]})
		}
		if n, err = c.insertMany(ctx, tx, "samples", []string{"patient_id", "name", "date", "timepoint", "tissue", "fraction"}, rows,
			" ON CONFLICT (patient_id, name) DO NOTHING"); err != nil {
			return err
		}
		res.Samples = int(n)
		smp, err := c.sampleRows(ctx, tx, sid)
		if err != nil {
			return err
		}
		rows = rows[:0]
		for _, r := range tables["runs"] {
			rows = append(rows, []any{r[0], sid, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]})
		}
		if _, err = c.insertMany(ctx, tx, "runs", []string{"id", "study_id", "kind", "lsc_version", "parameters", "inputs", "created_at", "imported_at", "imported_by", "source"},
			rows, " ON CONFLICT (id) DO NOTHING"); err != nil {
			return err
		}
		rows = rows[:0]
		for _, r := range tables["run_files"] {
			rows = append(rows, []any{r[0], r[1], r[2], r[3]})
		}
		if _, err = c.insertMany(ctx, tx, "run_files", []string{"run_id", "name", "sha256", "size"}, rows, " ON CONFLICT (run_id, name) DO NOTHING"); err != nil {
			return err
		}
		rows = rows[:0]
		for _, r := range tables["results"] {
			var sample any
			if *r[2] != "" {
				s, ok := smp[*r[1]+"\x00"+*r[2]]
				if !ok {
					return fmt.Errorf("%s/results.tsv: sample %s is not in samples.tsv", dir, *r[2])
				}
				sample = s.id
			}
			rows = append(rows, []any{r[0], pid[*r[1]], sample, r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15], r[16], r[17], r[18], r[19], r[20], r[21], r[22]})
		}
		if n, err = c.insertMany(ctx, tx, "results", []string{"run_id", "patient_id", "sample_id", "assay", "metric", "fraction", "target", "unit", "scenario",
			"date", "day", "value", "lower", "upper", "label", "n", "k", "file", "line", "fields", "rkey", "detection_limit", "sample_value"}, rows, " ON CONFLICT (run_id, rkey) DO NOTHING"); err != nil {
			return err
		}
		res.Results = int(n)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("import of archive %s (nothing was written): %w", dir, err)
	}
	return res, nil
}

func verifySums(dir string) error {
	f, err := os.Open(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || strings.Contains(name, "..") || filepath.IsAbs(name) {
			return fmt.Errorf("%s/SHA256SUMS line %d: expected 'SHA256  NAME'", dir, line)
		}
		g, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("%s/SHA256SUMS line %d: %w", dir, line, err)
		}
		h := sha256.New()
		_, err = io.Copy(h, g)
		g.Close()
		if err != nil {
			return err
		}
		if hex.EncodeToString(h.Sum(nil)) != sum {
			return fmt.Errorf("%s/%s: checksum differs from SHA256SUMS: the archive was changed or damaged", dir, name)
		}
	}
	return sc.Err()
}

func readArchiveTable(path string, cols []string) ([][]*string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	var out [][]*string
	line := 0
	width := len(cols) // an archive from an older schema may lack trailing columns (read as NULL)
	for sc.Scan() {
		line++
		parts := strings.Split(sc.Text(), "\t")
		if line == 1 {
			width = len(parts)
			if len(parts) > len(cols) || strings.Join(parts, "\t") != strings.Join(cols[:len(parts)], "\t") || len(parts) < minArchiveCols(cols) {
				return nil, fmt.Errorf("%s line 1: header differs from %s", path, strings.Join(cols, ", "))
			}
			continue
		}
		if len(parts) != width {
			return nil, fmt.Errorf("%s line %d: %d fields, expected %d (%s)", path, line, len(parts), width, strings.Join(cols[:width], ", "))
		}
		rec := make([]*string, len(cols))
		for i, p := range parts {
			rec[i] = unescapeTSV(p)
		}
		out = append(out, rec)
	}
	return out, sc.Err()
}

// minArchiveCols is the width of a table in the first archive schema:
// results gained detection_limit and sample_value in migration 0003.
func minArchiveCols(cols []string) int {
	if len(cols) > 0 && cols[len(cols)-1] == "sample_value" {
		return len(cols) - 2
	}
	return len(cols)
}
