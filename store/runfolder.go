package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/formats/sheet"
)

// The outputs of lsc commands the import reads, recognised by file name and
// checked by their columns (read by name; extra columns are kept in each
// result's fields, never an error):
//
//	lsc stemcells         samples.tsv       stem_like_fraction per sample
//	lsc mrd assess        measurements.tsv  is_percent or ratio_percent, clone_fraction
//	lsc flow compartments compartments.tsv  percent_parent, percent_total per population
//	lsc cohort            scores.tsv        score per signature (bulk)
//	lsc cart              samples.tsv       car_fraction, shannon, top_share per sample
//	                      states.tsv        tcell_state:NAME fraction among CD4/CD8 T cells
//	                      plasma.tsv        plasma_clr:PROTEIN mean CLR on plasma cells
//	lsc twin fit          fits.tsv, projections.tsv
type reader struct {
	file string
	kind string
	need []string // columns that identify the output
	read func(b *bundle, sh *sheet.Sheet, meta sampleMeta) error
}

var readers = []reader{
	{"samples.tsv", "stemcells", []string{"sample", "patient", "timepoint", "n_cells", "n_stem_like", "fraction", "lower95", "upper95"}, readStemSamples},
	{"samples.tsv", "cart", cartColumns, readCartSamples},
	{"states.tsv", "cart", cartStateColumns, readCartStates},
	{"plasma.tsv", "cart", cartPlasmaColumns, readCartPlasma},
	{"measurements.tsv", "mrd", []string{"patient", "date", "fraction", "assay", "input_line", "ratio_percent", "is_percent", "response"}, readMRD},
	{"compartments.tsv", "flow_compartments", []string{"sample", "patient", "timepoint", "population", "measured", "count", "pct_of_parent", "pct_of_all"}, readCompartments},
	{"scores.tsv", "cohort", []string{"sample"}, readCohortScores},
	{"projections.tsv", "twin", []string{"patient", "series", "day", "value", "scenario"}, readProjections},
	{"fits.tsv", "twin", []string{"patient", "model", "parameter", "estimate"}, readFits},
}

// pageFolders are the sub-folders of a run whose HTML pages are kept.
var pageFolders = []string{"samples", "patients"}

// sampleMeta is what run.json says about each sample (date, tissue, sorted
// fraction, timepoint), by sample id.
type sampleMeta map[string]map[string]string

// readRun reads an lsc output folder into a bundle.
func readRun(dir string) (*bundle, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s: %w: give the folder an lsc command wrote with --out", dir, ErrNotRun)
	}
	b := newBundle()
	meta := sampleMeta{}
	if err := readRunJSON(b, filepath.Join(dir, "run.json"), meta); err != nil {
		return nil, err
	}
	var kinds []string
	for _, r := range readers {
		path := filepath.Join(dir, r.file)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		sh, err := sheet.Read(path)
		if err != nil {
			return nil, err
		}
		if r.kind == "cohort" && !isCohortScores(sh) {
			continue
		}
		if r.file == "samples.tsv" && ((r.kind == "stemcells" && isCartSamples(sh)) || (r.kind == "cart" && !isCartSamples(sh))) {
			continue
		}
		if _, err := sh.Require("an lsc "+r.kind+" "+r.file, r.need...); err != nil {
			return nil, err
		}
		if err := r.read(b, sh, meta); err != nil {
			return nil, err
		}
		if err := b.addFile(path); err != nil {
			return nil, err
		}
		if len(kinds) == 0 || kinds[len(kinds)-1] != r.kind {
			kinds = append(kinds, r.kind)
		}
	}
	if len(kinds) == 0 {
		return nil, fmt.Errorf("%s: %w: no samples.tsv (lsc stemcells), measurements.tsv (lsc mrd assess), compartments.tsv (lsc flow compartments), scores.tsv (lsc cohort) or projections.tsv/fits.tsv (lsc twin fit)", dir, ErrNotRun)
	}
	// Every other top-level file (cells.tsv, report.html ...) is kept by
	// checksum with the run.
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, f := range b.files {
		have[f.Name] = true
	}
	for _, e := range ents {
		if e.Type().IsRegular() && !have[e.Name()] && !strings.HasPrefix(e.Name(), ".") {
			if err := b.addFile(filepath.Join(dir, e.Name())); err != nil {
				return nil, err
			}
		}
	}
	// The per-sample and per-patient pages (lsc flow compartments'
	// samples/ID.html with the density plots and gates drawn from the
	// events, lsc mrd assess's patients/ID.html) are kept as "DIR/NAME".
	for _, sub := range pageFolders {
		ents, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			continue
		}
		for _, e := range ents {
			if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".html") && !strings.HasPrefix(e.Name(), ".") {
				if err := b.addFileAs(filepath.Join(dir, sub, e.Name()), sub+"/"+e.Name()); err != nil {
					return nil, err
				}
			}
		}
	}
	abs, _ := filepath.Abs(dir)
	b.run.Source = abs
	b.finish(strings.Join(kinds, "+"))
	return b, nil
}

func readRunJSON(b *bundle, path string, meta sampleMeta) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // folders of lsc mrd assess before run.json: the TSVs carry the run
	}
	if err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return &formats.ParseError{File: path, Reason: "not a JSON object", Err: err, Hint: "give the run.json an lsc command wrote"}
	}
	str := func(keys ...string) string {
		for _, k := range keys {
			var s string
			if json.Unmarshal(m[k], &s) == nil && s != "" {
				return s
			}
		}
		return ""
	}
	b.run.Version = str("lsc_version", "version")
	b.run.CreatedAt = str("created_at", "created", "started", "time")
	b.run.ImportedBy = str("user")
	b.run.Inputs = compactJSON(m["inputs"])
	rest := map[string]json.RawMessage{}
	for k, v := range m {
		if k != "inputs" {
			rest[k] = v
		}
	}
	raw, _ := json.Marshal(rest)
	b.run.Parameters = compactJSON(raw)
	for _, key := range []string{"inputs", "samples"} {
		var list []map[string]any
		if json.Unmarshal(m[key], &list) != nil {
			continue
		}
		for _, it := range list {
			id, _ := it["sample"].(string)
			if id == "" {
				continue
			}
			if meta[id] == nil {
				meta[id] = map[string]string{}
			}
			for _, f := range []string{"date", "tissue", "fraction", "sorted_fraction", "timepoint", "patient"} {
				if s, ok := it[f].(string); ok && s != "" {
					meta[id][f] = s
				}
			}
		}
	}
	var params map[string]any
	if json.Unmarshal(m["parameters"], &params) == nil {
		if s, ok := params["signature"].(string); ok {
			meta["\x00signature"] = map[string]string{"signature": s}
		}
	}
	return nil
}

// rowFields keeps every non-empty column of a row, as written (the whole
// file is also kept by checksum with the run, and each result names its
// file and line).
func rowFields(sh *sheet.Sheet, r sheet.Row) map[string]string {
	m := make(map[string]string, len(sh.Header))
	for i, h := range sh.Header {
		if v := r.Get(i); v != "" {
			m[h] = v
		}
	}
	return m
}

// sampleOf builds a sample record from the row's own columns, then run.json.
func sampleOf(sh *sheet.Sheet, r sheet.Row, meta sampleMeta, patient, name, timepoint string) (sampleRec, error) {
	s := sampleRec{patient: patient, name: name, timepoint: timepoint}
	m := meta[name]
	get := func(col string) string {
		if v := r.Get(sh.Col(col)); v != "" {
			return v
		}
		return m[col]
	}
	s.tissue = get("tissue")
	s.fraction = get("sorted_fraction")
	if s.fraction == "" {
		s.fraction = m["fraction"] // a sample's sorted fraction from the sheet, never the stem-like fraction column
	}
	if s.timepoint == "" {
		s.timepoint = m["timepoint"]
	}
	d, err := date(get("date"), sh.Path, r.Line, "date")
	s.date = d
	return s, err
}

func readStemSamples(b *bundle, sh *sheet.Sheet, meta sampleMeta) error {
	sig := meta["\x00signature"]["signature"]
	c := colsOf(sh, "sample", "patient", "timepoint", "n_cells", "n_stem_like", "fraction", "lower95", "upper95", "risk_group")
	for _, r := range sh.Rows {
		g := func(i int) string { return r.Get(c[i]) }
		if g(0) == "" || g(1) == "" {
			return formats.Errorf(sh.Path, r.Line, "", "every row needs a sample and a patient", "empty sample or patient")
		}
		s, err := sampleOf(sh, r, meta, g(1), g(0), g(2))
		if err != nil {
			return err
		}
		if err := b.sample(s, fmt.Sprintf("%s line %d", sh.Path, r.Line)); err != nil {
			return err
		}
		res := resultRec{patient: g(1), sample: g(0), assay: "single_cell", metric: "stem_like_fraction", fraction: s.fraction, target: sig,
			unit: "fraction", label: g(8), file: "samples.tsv", line: r.Line, fields: rowFields(sh, r)}
		if res.n, err = integer(g(3), sh.Path, r.Line, "n_cells"); err != nil {
			return err
		}
		if res.k, err = integer(g(4), sh.Path, r.Line, "n_stem_like"); err != nil {
			return err
		}
		if err := nums(&res, sh.Path, r.Line, g(5), g(6), g(7), "fraction", "lower95", "upper95"); err != nil {
			return err
		}
		b.results = append(b.results, res)
	}
	return nil
}

func nums(res *resultRec, file string, line int, v, lo, hi, cv, clo, chi string) error {
	var err error
	if res.value, err = num(v, file, line, cv); err != nil {
		return err
	}
	if res.lower, err = num(lo, file, line, clo); err != nil {
		return err
	}
	res.upper, err = num(hi, file, line, chi)
	return err
}

func colsOf(sh *sheet.Sheet, names ...string) []int {
	c := make([]int, len(names))
	for i, n := range names {
		c[i] = sh.Col(n)
	}
	return c
}

func readMRD(b *bundle, sh *sheet.Sheet, meta sampleMeta) error {
	c := colsOf(sh, "patient", "date", "fraction", "assay", "target", "ratio_percent", "is_percent", "response", "probe",
		"clone_percent", "clone_lower95", "clone_upper95", "abnormal_nuclei", "scored_nuclei", "input_line", "sample_percent", "detection_limit")
	for _, r := range sh.Rows {
		g := func(i int) string { return r.Get(c[i]) }
		d, err := date(g(1), sh.Path, r.Line, "date")
		if err != nil {
			return err
		}
		if g(0) == "" || d == nil {
			return formats.Errorf(sh.Path, r.Line, "", "every measurement needs a patient and a date", "empty patient or date")
		}
		name := *d + " " + g(2) // one sample per patient, date and sorted fraction
		s := sampleRec{patient: g(0), name: name, date: d, fraction: g(2), tissue: r.Get(sh.Col("tissue"))}
		if err := b.sample(s, fmt.Sprintf("%s line %d", sh.Path, r.Line)); err != nil {
			return err
		}
		line := r.Line
		if v, err := integer(g(14), sh.Path, r.Line, "input_line"); err == nil && v != nil {
			line = int(*v) // the line of the user's measurement sheet
		}
		res := resultRec{patient: g(0), sample: name, fraction: g(2), unit: "%", label: g(7), file: "measurements.tsv", line: line, fields: rowFields(sh, r)}
		switch strings.ToLower(g(3)) {
		case "fish":
			res.assay, res.metric, res.target = "fish", "clone_fraction", g(8)
			if err := nums(&res, sh.Path, r.Line, g(9), g(10), g(11), "clone_percent", "clone_lower95", "clone_upper95"); err != nil {
				return err
			}
			if res.k, err = integer(g(12), sh.Path, r.Line, "abnormal_nuclei"); err != nil {
				return err
			}
			if res.n, err = integer(g(13), sh.Path, r.Line, "scored_nuclei"); err != nil {
				return err
			}
		default:
			res.assay, res.metric, res.target = strings.ToLower(g(3)), "is_percent", g(4)
			v := g(6)
			if v == "" {
				res.metric, v = "ratio_percent", g(5)
			}
			if res.value, err = num(v, sh.Path, r.Line, res.metric); err != nil {
				return err
			}
			// The sample as the milestones grade it (written by lsc mrd
			// assess since migration 0003; absent in older outputs).
			if res.sampleValue, err = num(g(15), sh.Path, r.Line, "sample_percent"); err != nil {
				return err
			}
			if res.detectionLimit, err = num(g(16), sh.Path, r.Line, "detection_limit"); err != nil {
				return err
			}
		}
		b.results = append(b.results, res)
	}
	return nil
}

func readCompartments(b *bundle, sh *sheet.Sheet, meta sampleMeta) error {
	c := colsOf(sh, "sample", "patient", "timepoint", "compartment", "population", "measured", "count",
		"pct_of_parent", "pct_of_parent_lower95", "pct_of_parent_upper95", "pct_of_all", "pct_of_all_lower95", "pct_of_all_upper95")
	for _, r := range sh.Rows {
		g := func(i int) string { return r.Get(c[i]) }
		if g(5) != "yes" {
			b.skipped++ // the panel lacks a marker: not measured, no number
			continue
		}
		if g(1) == "" {
			return formats.Errorf(sh.Path, r.Line, "column patient", "run lsc flow compartments with --samples SHEET (sample, patient, timepoint, path) so each sample has its patient",
				"sample %s has no patient", g(0))
		}
		s, err := sampleOf(sh, r, meta, g(1), g(0), g(2))
		if err != nil {
			return err
		}
		if err := b.sample(s, fmt.Sprintf("%s line %d", sh.Path, r.Line)); err != nil {
			return err
		}
		count, err := integer(g(6), sh.Path, r.Line, "count")
		if err != nil {
			return err
		}
		fields := rowFields(sh, r)
		for _, m := range []struct {
			metric string
			v      int
		}{{"percent_parent", 7}, {"percent_total", 10}} {
			res := resultRec{patient: g(1), sample: g(0), assay: "flow", metric: m.metric, fraction: s.fraction, target: g(4), unit: "%",
				label: g(3), k: count, file: "compartments.tsv", line: r.Line, fields: fields}
			if err := nums(&res, sh.Path, r.Line, g(m.v), g(m.v+1), g(m.v+2), sh.Header[c[m.v]], "lower95", "upper95"); err != nil {
				return err
			}
			b.results = append(b.results, res)
		}
	}
	return nil
}

// isCohortScores: lsc cohort's scores.tsv has sample, NAME_score, NAME_group.
func isCohortScores(sh *sheet.Sheet) bool {
	for _, h := range sh.Header {
		if strings.HasSuffix(h, "_score") {
			return true
		}
	}
	return false
}

func readCohortScores(b *bundle, sh *sheet.Sheet, meta sampleMeta) error {
	type sig struct{ name, col, group string }
	var sigs []sig
	for _, h := range sh.Header {
		if name, ok := strings.CutSuffix(h, "_score"); ok {
			sigs = append(sigs, sig{name, h, name + "_group"})
		}
	}
	cs := sh.Col("sample")
	for _, r := range sh.Rows {
		id := r.Get(cs)
		if id == "" {
			return formats.Errorf(sh.Path, r.Line, "column sample", "every row needs a sample", "empty sample")
		}
		// A bulk cohort has one sample per patient, named as the patient
		// in the clinical table.
		s, err := sampleOf(sh, r, meta, id, id, "")
		if err != nil {
			return err
		}
		if err := b.sample(s, fmt.Sprintf("%s line %d", sh.Path, r.Line)); err != nil {
			return err
		}
		for _, g := range sigs {
			res := resultRec{patient: id, sample: id, assay: "bulk", metric: "score", fraction: s.fraction, target: g.name,
				label: r.Get(sh.Col(g.group)), file: "scores.tsv", line: r.Line, fields: rowFields(sh, r)}
			if res.value, err = num(r.Get(sh.Col(g.col)), sh.Path, r.Line, g.col); err != nil {
				return err
			}
			b.results = append(b.results, res)
		}
	}
	return nil
}

// readProjections reads lsc twin's projections.tsv (issue 16): patient,
// series, day, date, value, lower, upper, scenario. Model projections are
// patient-level points without a sample.
func readProjections(b *bundle, sh *sheet.Sheet, meta sampleMeta) error {
	c := colsOf(sh, "patient", "series", "day", "date", "value", "lower", "upper", "scenario", "fraction", "target", "unit")
	for _, r := range sh.Rows {
		g := func(i int) string { return r.Get(c[i]) }
		if g(0) == "" || g(1) == "" {
			return formats.Errorf(sh.Path, r.Line, "", "every row needs a patient and a series", "empty patient or series")
		}
		b.patient(g(0))
		res := resultRec{patient: g(0), assay: "projection", metric: g(1), scenario: g(7), fraction: g(8), target: g(9), unit: g(10),
			file: "projections.tsv", line: r.Line, fields: rowFields(sh, r)}
		var err error
		if res.day, err = num(g(2), sh.Path, r.Line, "day"); err != nil {
			return err
		}
		if res.date, err = date(g(3), sh.Path, r.Line, "date"); err != nil {
			return err
		}
		if res.day == nil && res.date == nil {
			return formats.Errorf(sh.Path, r.Line, "column day", "give the day or the date of each projected point", "no day and no date")
		}
		if err := nums(&res, sh.Path, r.Line, g(4), g(5), g(6), "value", "lower", "upper"); err != nil {
			return err
		}
		b.results = append(b.results, res)
	}
	return nil
}

// readFits reads lsc twin's fits.tsv: patient, fraction/target, model,
// parameter, estimate, lower, upper, method. Fitted parameters are kept as
// results of assay "model" (not timeline points).
func readFits(b *bundle, sh *sheet.Sheet, meta sampleMeta) error {
	c := colsOf(sh, "patient", "model", "parameter", "estimate", "lower", "upper", "method", "fraction", "target", "fraction/target")
	for _, r := range sh.Rows {
		g := func(i int) string { return r.Get(c[i]) }
		if g(0) == "" || g(2) == "" {
			return formats.Errorf(sh.Path, r.Line, "", "every row needs a patient and a parameter", "empty patient or parameter")
		}
		b.patient(g(0))
		frac, target := g(7), g(8)
		if ft := g(9); ft != "" && frac == "" && target == "" {
			target = ft // as lsc twin writes it (e.g. "PB BCR::ABL1/ABL1"): not split, the name holds a ratio's slash
		}
		res := resultRec{patient: g(0), assay: "model", metric: g(2), fraction: frac, target: target, scenario: g(1), label: g(6),
			file: "fits.tsv", line: r.Line, fields: rowFields(sh, r)}
		if err := nums(&res, sh.Path, r.Line, g(3), g(4), g(5), "estimate", "lower", "upper"); err != nil {
			return err
		}
		b.results = append(b.results, res)
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
