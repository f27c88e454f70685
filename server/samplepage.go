package server

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/http"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/plot"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/stemcell"
	"github.com/lsc-bio/lsc/store"
)

// registerSamplePages adds the sample page, the stored files of a run and
// the PNG timeline (same role checks as every study page).
func (s *Server) registerSamplePages() {
	read := access{scoped: true, action: auth.Read}
	s.handle(route{method: "GET", pattern: "/studies/{study}/samples/{sample}", summary: "sample page: scores, flow compartments and density plots, MRD rows, provenance, files (?patient= when the name is in several patients)", access: read}, s.samplePage)
	s.handle(route{method: "GET", pattern: "/studies/{study}/samples/{sample}/density/{run}/{n}", summary: "the n-th flow density plot (SVG) of a sample's stored flow page", access: read}, s.densitySVG)
	s.handle(route{method: "GET", pattern: "/studies/{study}/patients/{patient}/timeline.png", summary: "patient timeline figure as PNG (?scale=1|2|3)", access: read}, s.patientPNG)
	s.handle(route{method: "GET", pattern: "/studies/{study}/runs/{run}/files/{name...}", summary: "a stored file of a run, as an attachment", access: read, stream: true}, s.runFile)
}

// mrdShown are the columns of lsc mrd assess's measurements.tsv the sample
// page lists: the measurement as given, then every column lsc derived.
var mrdShown = []string{"input_line", "assay", "target", "transcript", "target_copies", "control_gene", "control_copies", "conversion_factor", "replicate",
	"probe", "abnormal_nuclei", "scored_nuclei",
	"ratio_percent", "is_percent", "log_reduction", "response", "detectable", "sample_percent", "detection_limit", "clone_percent", "clone_lower95", "clone_upper95", "notes"}

// flowCols are the columns of lsc flow compartments' compartments.tsv listed.
var flowCols = []string{"compartment", "population", "count", "pct_of_parent", "pct_of_parent_lower95", "pct_of_parent_upper95",
	"pct_of_cd34", "pct_of_cd34_lower95", "pct_of_cd34_upper95", "pct_of_blasts", "pct_of_blasts_lower95", "pct_of_blasts_upper95",
	"pct_of_all", "pct_of_all_lower95", "pct_of_all_upper95"}

// fieldTable is one output file's rows of a sample, shown transposed: a
// row per column of the file, a column per output line.
type fieldTable struct {
	Title, File, Run string
	Lines            []string // output lines (the measurement sheet's line for MRD)
	Fields           []fieldRow
}

type fieldRow struct {
	Name   string
	Values []string
}

type scoreFigure struct {
	Run, Signature, Threshold string
	SVG                       template.HTML
	Note                      string
}

type densityFigure struct {
	Run, File string
	N         []int
	Note      string
}

type sampleView struct {
	D         store.SampleDetail
	Others    []store.SampleDetail // samples of the same name in other patients
	Tables    []fieldTable         // MRD rows, flow compartments, stem-like burden
	Results   []store.SampleResult // every result, as stored
	Scores    []scoreFigure
	Densities []densityFigure
	Runs      []*store.Run
	Inputs    map[string][]inputRow // run id -> this sample's inputs
}

type inputRow struct{ Path, SHA256 string }

func (s *Server) samplePage(w http.ResponseWriter, r *http.Request, idn *identity) {
	study, name := r.PathValue("study"), r.PathValue("sample")
	ds, err := s.cfg.Data.SampleDetails(r.Context(), study, r.URL.Query().Get("patient"), name)
	if err != nil {
		s.pageErr(w, r, err)
		return
	}
	d := ds[0]
	s.audit(r, idn.User.Name, "view-sample", study, d.Patient+"/"+name, "ok")
	v := &sampleView{D: d, Others: ds[1:], Results: d.Results, Inputs: map[string][]inputRow{}}
	runs := map[string]*store.Run{}
	for _, res := range d.Results {
		if runs[res.Run] != nil {
			continue
		}
		run, err := s.cfg.Data.Run(r.Context(), res.Run)
		if err != nil {
			s.pageErr(w, r, err)
			return
		}
		runs[res.Run] = run
		v.Runs = append(v.Runs, run)
		v.Inputs[run.ID] = sampleInputs(run, name)
	}
	v.Tables = resultTables(d.Results)
	for _, run := range v.Runs {
		if f, ok := runFileNamed(run, "cells.tsv"); ok {
			v.Scores = append(v.Scores, s.scoreFigure(run, f, name))
		}
		if strings.Contains(run.Kind, "flow_compartments") {
			v.Densities = append(v.Densities, s.densityFigure(run, name))
		}
	}
	p := s.pageFor(idn, "Sample "+name)
	p.Study, p.Sample = study, v
	s.render(w, http.StatusOK, "sample.html", p)
}

// sampleInputs lists the run's inputs of this sample (run.json inputs with
// a "sample" key) with their checksums; all inputs when none names it.
func sampleInputs(run *store.Run, sample string) []inputRow {
	var list []map[string]any
	if json.Unmarshal([]byte(run.Inputs), &list) != nil {
		return nil
	}
	var mine, all []inputRow
	for _, it := range list {
		p, _ := it["path"].(string)
		sum, _ := it["sha256"].(string)
		if p == "" && sum == "" {
			continue
		}
		row := inputRow{path.Base(p), sum}
		all = append(all, row)
		if sm, _ := it["sample"].(string); sm == sample {
			mine = append(mine, row)
		}
	}
	if len(mine) > 0 {
		return mine
	}
	return all
}

// resultTables groups the sample's results by output file, one row per
// output line, with that file's columns.
func resultTables(rs []store.SampleResult) []fieldTable {
	var out []fieldTable
	seen := map[string]bool{}
	add := func(title, file string, cols []string) {
		t := fieldTable{Title: title, File: file}
		for _, r := range rs {
			key := r.Run + "\x00" + r.File + "\x00" + strconv.Itoa(r.Line) + "\x00" + r.Fields["input_line"]
			if r.File != file || seen[key] {
				continue
			}
			seen[key] = true
			t.Run = r.Run
			t.Lines = append(t.Lines, strconv.Itoa(r.Line))
			if len(t.Fields) == 0 {
				for _, c := range cols {
					t.Fields = append(t.Fields, fieldRow{Name: c})
				}
			}
			for i, c := range cols {
				t.Fields[i].Values = append(t.Fields[i].Values, r.Fields[c])
			}
		}
		if len(t.Lines) > 0 {
			out = append(out, t)
		}
	}
	add("MRD measurements (lsc mrd assess)", "measurements.tsv", mrdShown)
	add("Flow compartments (lsc flow compartments)", "compartments.tsv", flowCols)
	add("Stem-like burden (lsc stemcells)", "samples.tsv", []string{"n_cells", "n_stem_like", "fraction", "lower95", "upper95", "risk_group"})
	return out
}

func runFileNamed(run *store.Run, name string) (store.RunFile, bool) {
	for _, f := range run.Files {
		if f.Name == name {
			return f, true
		}
	}
	return store.RunFile{}, false
}

// scoreFigure draws the per-cell score histogram of one sample from the
// stored cells.tsv of a stemcells run, with the run's study-wide threshold
// (run.json "threshold") as the dashed line (report.ScoreHistograms).
func (s *Server) scoreFigure(run *store.Run, f store.RunFile, sample string) scoreFigure {
	fig := scoreFigure{Run: run.ID}
	var par struct {
		Threshold struct {
			Value  *float64 `json:"value"`
			Method string   `json:"method"`
		} `json:"threshold"`
		Parameters struct {
			Signature string   `json:"signature"`
			Method    string   `json:"method"`
			Keep      []string `json:"keep"`
		} `json:"parameters"`
	}
	json.Unmarshal([]byte(run.Parameters), &par)
	fig.Signature = par.Parameters.Signature
	if par.Threshold.Value == nil {
		fig.Note = "run.json of this run gives no threshold: no score histogram"
		return fig
	}
	fig.Threshold = report.Num(*par.Threshold.Value)
	// The figure depends only on the run (its parameters never change once
	// stored), the file's bytes (named by their SHA-256) and the sample, so
	// it is cached under those, not under a study version: a second view
	// does not scan the whole cells.tsv again. Only drawn figures are kept.
	key := partKey{patient: sample, part: "score-figure\x1f" + run.ID + "\x1f" + f.SHA256}
	if e, ok := s.cache.get(key); ok {
		fig.SVG = template.HTML(e.body)
		return fig
	}
	p := s.cfg.Data.FilePath(f.SHA256)
	if p == "" {
		fig.Note = "this store keeps no copies of run files (PostgreSQL without --files): cells.tsv is known by checksum only"
		return fig
	}
	cells, err := readCells(p, sample)
	if err != nil {
		fig.Note = "cells.tsv of this run could not be read: " + err.Error()
		return fig
	}
	if len(cells) == 0 {
		fig.Note = "cells.tsv of this run has no cells of this sample"
		return fig
	}
	res := &stemcell.Result{Threshold: stemcell.Threshold{Value: *par.Threshold.Value, Method: par.Threshold.Method}, Cells: cells}
	n := 0
	for _, c := range cells {
		if c.Kept {
			n++
		}
	}
	if n == 0 {
		res.Burdens = []stemcell.Burden{{Sample: sample}}
	}
	svg := report.ScoreHistograms(res, report.StemMeta{Signature: par.Parameters.Signature, Method: par.Parameters.Method, Keep: par.Parameters.Keep})
	s.cache.put(&partEntry{key: key, body: []byte(svg)})
	fig.SVG = template.HTML(svg)
	return fig
}

// readCells reads one sample's rows of lsc stemcells' cells.tsv (sample,
// cell, score, stem_like, cell_type, counted).
func readCells(p, sample string) ([]stemcell.Cell, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	col := map[string]int{}
	var out []stemcell.Cell
	line := 0
	for sc.Scan() {
		line++
		parts := strings.Split(sc.Text(), "\t")
		if line == 1 {
			for i, h := range parts {
				col[h] = i
			}
			for _, need := range []string{"sample", "cell", "score"} {
				if _, ok := col[need]; !ok {
					return nil, fmt.Errorf("cells.tsv line 1: no column %s", need)
				}
			}
			continue
		}
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(parts) {
				return parts[i]
			}
			return ""
		}
		if get("sample") != sample {
			continue
		}
		v := math.NaN()
		if x := get("score"); x != "" && x != "NA" {
			if v, err = strconv.ParseFloat(x, 64); err != nil {
				return nil, fmt.Errorf("cells.tsv line %d: score %q is not a number", line, x)
			}
		}
		kept := get("counted") != "no"
		out = append(out, stemcell.Cell{Sample: sample, Cell: get("cell"), Score: v, Type: get("cell_type"), Kept: kept, StemLike: get("stem_like") == "yes"})
	}
	return out, sc.Err()
}

// flowPage finds the sample's page among a flow run's stored files
// (report.CompartmentSampleFiles: samples/ID.html, or ID with unsafe
// characters replaced and a short hash of the identifier).
func flowPage(run *store.Run, sample string) (store.RunFile, bool) {
	if f, ok := runFileNamed(run, "samples/"+sample+".html"); ok {
		return f, true
	}
	h := sha256.Sum256([]byte(sample))
	tag := "-" + hex.EncodeToString(h[:4])
	for _, f := range run.Files {
		base := strings.TrimSuffix(strings.TrimPrefix(f.Name, "samples/"), ".html")
		if i := strings.LastIndex(base, "~"); i > 0 {
			base = base[:i]
		}
		if strings.HasPrefix(f.Name, "samples/") && strings.HasSuffix(base, tag) {
			return f, true
		}
	}
	return store.RunFile{}, false
}

var svgRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)<svg[ >].*?</svg>`) })

// flowSVGs returns the SVG figures of a stored flow sample page.
func (s *Server) flowSVGs(run *store.Run, sample string) ([]string, string) {
	f, ok := flowPage(run, sample)
	if !ok {
		return nil, "the run keeps no page of this sample (runs imported before lsc kept samples/ID.html, or made without density plots): only the compartment table is shown"
	}
	p := s.cfg.Data.FilePath(f.SHA256)
	if p == "" {
		return nil, "this store keeps no copies of run files (PostgreSQL without --files)"
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, "the stored page could not be read"
	}
	return svgRe().FindAllString(string(b), -1), ""
}

func (s *Server) densityFigure(run *store.Run, sample string) densityFigure {
	fig := densityFigure{Run: run.ID}
	svgs, note := s.flowSVGs(run, sample)
	fig.Note = note
	if f, ok := flowPage(run, sample); ok {
		fig.File = f.Name
	}
	for i := range svgs {
		fig.N = append(fig.N, i)
	}
	if note == "" && len(svgs) == 0 {
		fig.Note = "the stored page of this sample has no density plot"
	}
	return fig
}

// densitySVG serves one density plot of a sample's stored flow page as an
// image (an SVG shown through <img> runs no script).
func (s *Server) densitySVG(w http.ResponseWriter, r *http.Request, idn *identity) {
	study, sample := r.PathValue("study"), r.PathValue("sample")
	if _, err := s.cfg.Data.SampleDetails(r.Context(), study, "", sample); err != nil {
		s.fail(w, r, err)
		return
	}
	run, err := s.studyRun(r.Context(), study, r.PathValue("run"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	svgs, _ := s.flowSVGs(run, sample)
	if err != nil || n < 0 || n >= len(svgs) {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	svg := svgs[n]
	if !strings.Contains(svg[:min(len(svg), 200)], "xmlns=") {
		svg = strings.Replace(svg, "<svg", `<svg xmlns="http://www.w3.org/2000/svg"`, 1)
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, no-cache")
	io.WriteString(w, svg)
}

// contentTypes are the types of the files lsc writes, by extension.
var contentTypes = map[string]string{
	".tsv": "text/tab-separated-values; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".html": "text/html; charset=utf-8",
	".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
	".gz": "application/gzip", ".png": "image/png", ".pdf": "application/pdf", ".zip": "application/zip",
}

// runFile sends a stored file of a run of the study as an attachment (never
// rendered in the page's origin: stored HTML could hold anything).
func (s *Server) runFile(w http.ResponseWriter, r *http.Request, idn *identity) {
	study, name := r.PathValue("study"), r.PathValue("name")
	run, err := s.studyRun(r.Context(), study, r.PathValue("run"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, ok := runFileNamed(run, name)
	if !ok {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	p := s.cfg.Data.FilePath(f.SHA256)
	if p == "" {
		writeError(w, http.StatusNotFound, "this store keeps no copies of run files (only their checksums): open the run folder "+path.Base(run.Source))
		return
	}
	fh, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		writeError(w, http.StatusNotFound, "the stored copy of this file is missing from the store's files folder")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer fh.Close()
	s.audit(r, idn.User.Name, "download-file", study, run.ID+"/"+name, "ok")
	ct := contentTypes[strings.ToLower(path.Ext(name))]
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="`+attachmentName(name)+`"`)
	w.Header().Set("Content-Length", strconv.FormatInt(f.Size, 10))
	w.Header().Set("Cache-Control", "private, no-cache")
	sendBlocks(w, fh, s.cfg.RequestTimeout)
}

// sendBlocks writes r to w in blocks of 256 KiB, each with a write deadline
// of timeout from when it is sent: a client that keeps reading gets the
// whole file however long it takes, one that stops is cut off. (Where the
// writer has no deadlines, as in tests, the blocks are written without.)
func sendBlocks(w http.ResponseWriter, r io.Reader, timeout time.Duration) {
	rc := http.NewResponseController(w)
	buf := make([]byte, 256<<10)
	for {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			_ = rc.SetWriteDeadline(time.Now().Add(timeout))
			if _, werr := w.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// attachmentName is a file's base name with characters that could break
// the header replaced.
func attachmentName(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '/' {
			return '_'
		}
		return r
	}, name)
}

// sortedFieldNames lists a result's fields in name order (the generic
// table of the sample page).
func sortedFieldNames(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// patientPNG sends the patient's timeline figure as a PNG (the SVG drawn by
// plot.PNG; ?scale=1, 2 or 3 pixels per SVG unit, default 2 for print).
func (s *Server) patientPNG(w http.ResponseWriter, r *http.Request, idn *identity) {
	study, patient := r.PathValue("study"), r.PathValue("patient")
	scale := 2.0
	if v := r.URL.Query().Get("scale"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3 {
			writeError(w, http.StatusBadRequest, "scale must be 1, 2 or 3 (pixels per SVG unit)")
			return
		}
		scale = float64(n)
	}
	t, err := s.cfg.Data.Timeline(r.Context(), study, patient)
	if err != nil {
		s.pageErr(w, r, err)
		return
	}
	svg, _, _ := s.patientFigure(r, t, false)
	var b bytes.Buffer
	if err := plot.PNG(&b, svg, scale); err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r, idn.User.Name, "download-figure", study, patient, "ok")
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Disposition", `attachment; filename="timeline.png"`)
	w.Write(b.Bytes())
}
