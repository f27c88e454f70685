package flowstudy

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"

	"github.com/lsc-bio/lsc/atomicfile"
	"github.com/lsc-bio/lsc/flow/compartment"
	"github.com/lsc-bio/lsc/flow/fcs"
	"github.com/lsc-bio/lsc/flow/gatingml"
	"github.com/lsc-bio/lsc/internal/par"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/study"
)

// Options are a run's parameters; all of them key the cache.
type Options struct {
	Template string  // gating template (JSON); "" for the built-in one
	Control  string  // control sample (FMO/isotype) whose Quantile sets every marker threshold; "" for none
	Quantile float64 // control quantile
	Comp     string  // "spill" (the file's matrix) or "none"
	Jobs     int     // files measured at once (1 or more; the result does not depend on it)
	Version  string  // lsc's version: in run.json and the cache key
}

// Setup is the template a run gates with, read and thresholded once.
type Setup struct {
	Template   *compartment.Template
	Name       string             // "built-in" or the template's path
	Thresholds map[string]float64 // set from the control (empty without one)
	Report     report.CompartmentReport
	sums       fileSums
}

// fileSums are the template's and the control's SHA-256 ("" without one),
// read once: in run.json and every cache key.
type fileSums struct{ template, control string }

func sums(opt Options) fileSums {
	return fileSums{study.Checksum(opt.Template), study.Checksum(opt.Control)}
}

// templateName is how run.json and the cache name the template.
func templateName(opt Options) string {
	if opt.Template == "" {
		return "built-in"
	}
	return opt.Template
}

// Prepare reads the template (or takes the built-in one) and sets its
// thresholds from the control.
func Prepare(opt Options) (*Setup, error) {
	s := &Setup{Template: compartment.Default(), Name: templateName(opt), Thresholds: map[string]float64{}, sums: sums(opt)}
	if opt.Template != "" {
		var err error
		if s.Template, err = compartment.ReadFile(opt.Template); err != nil {
			return nil, err
		}
	}
	if opt.Control != "" {
		ds, err := fcs.ReadFile(opt.Control)
		if err != nil {
			return nil, err
		}
		if s.Thresholds, err = s.Template.SetThresholds(ds[0], compRef(opt.Comp), opt.Quantile); err != nil {
			return nil, fmt.Errorf("control %s: %w", opt.Control, err)
		}
	}
	s.Report = report.CompartmentReport{Template: s.Name, Version: opt.Version, Cautions: s.Template.Cautions(opt.Template == "", opt.Control != "")}
	return s, nil
}

func compRef(comp string) string {
	if comp == "none" {
		return "uncompensated"
	}
	return "FCS"
}

// Result is what a run's files are written from, in sample order.
type Result struct {
	Rows     []report.CompartmentSample // compartments.tsv and report.html
	Pages    [][]byte                   // each sample's page (report.CompartmentSampleFiles names them)
	Gates    []byte                     // gates.xml: the template on the first measured sample's panel
	Run      map[string]any             // run.json
	Report   report.CompartmentReport   // the report's template, version and cautions
	Warnings []string                   // "SAMPLE: warning", for stderr
}

// Run measures every sample, or takes it from dir's cache, and gathers
// the result.
func Run(items []study.Sample, dir string, opt Options) (*Result, error) {
	if opt.Jobs < 1 {
		return nil, fmt.Errorf("flowstudy: %d jobs: give 1 or more", opt.Jobs)
	}
	s, err := Prepare(opt)
	if err != nil {
		return nil, err
	}
	partName := partNamer(opt, s.Name, s.sums)
	// Files are checksummed and measured Jobs at a time; everything is
	// then gathered in sample order, so the output does not depend on it.
	ins := make([]map[string]any, len(items))
	parts := make([]report.CompartmentPart, len(items))
	cached := make([]bool, len(items))
	if err := par.Each(len(items), opt.Jobs, func(i int) error {
		ins[i] = input(items[i])
		var err error
		parts[i], cached[i], err = report.ReadCompartmentPart(filepath.Join(dir, "cache", partName(ins[i])))
		return err
	}); err != nil {
		return nil, err
	}
	// The first sample draws the template on its panel (gates.xml), or the
	// first after cached ones that kept none.
	wantGates := make([]bool, len(items))
	for i, have := 0, false; i < len(items); i++ {
		if cached[i] {
			have = have || parts[i].Gates != nil
		} else {
			wantGates[i], have = !have, true
		}
	}
	if err := par.Each(len(items), opt.Jobs, func(i int) error {
		if cached[i] {
			return nil
		}
		var err error
		parts[i], err = measure(items[i], ins[i]["sha256"].(string), s, opt.Comp, wantGates[i])
		return err
	}); err != nil {
		return nil, err
	}
	res := &Result{Report: s.Report}
	inputs := []map[string]any{} // per sample, for lsc study import
	for i, it := range items {
		in, part := ins[i], parts[i]
		if res.Gates == nil {
			res.Gates = part.Gates
		}
		res.Rows = append(res.Rows, part.Row)
		res.Pages = append(res.Pages, part.Page)
		for _, w := range part.Notes {
			res.Warnings = append(res.Warnings, it.ID+": "+w)
		}
		in["sha256"] = part.SHA256
		inputs = append(inputs, in)
	}
	res.Run = map[string]any{"lsc_version": opt.Version, "template": s.Name, "template_sha256": s.sums.template, "control": opt.Control,
		"control_sha256": s.sums.control, "quantile": opt.Quantile, "thresholds_from_control": s.Thresholds, "compensation": opt.Comp,
		"inputs": inputs, "cautions": report.NonNil(s.Report.Cautions)}
	return res, nil
}

// MeasureInto measures one sample into dir's cache (a per-sample job of
// lsc workflow) and returns the file written and its measurement.
func MeasureInto(it study.Sample, dir string, opt Options) (string, report.CompartmentPart, error) {
	s, err := Prepare(opt)
	if err != nil {
		return "", report.CompartmentPart{}, err
	}
	in := input(it)
	part, err := measure(it, in["sha256"].(string), s, opt.Comp, true)
	if err != nil {
		return "", part, err
	}
	p := filepath.Join(dir, "cache", partNamer(opt, s.Name, s.sums)(in))
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		return "", part, err
	}
	if err := atomicfile.Write(p, func(w io.Writer) error { return report.WriteCompartmentPart(w, part) }); err != nil {
		return "", part, err
	}
	return p, part, nil
}

// PartPaths are the cache files MeasureInto writes for each sample,
// relative to the output folder (the workflow's per-sample outputs).
func PartPaths(items []study.Sample, opt Options) []string {
	partName := partNamer(opt, templateName(opt), sums(opt))
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = filepath.Join("cache", partName(input(it)))
	}
	return out
}

// measure reads one FCS file, counts its compartments and renders its page
// (and, when gates, the template on its panel).
func measure(it study.Sample, sum string, s *Setup, comp string, gates bool) (report.CompartmentPart, error) {
	var p report.CompartmentPart
	ds, err := fcs.ReadFile(it.Path)
	if err != nil {
		return p, err
	}
	d := ds[0]
	res, err := s.Template.Run(d, compRef(comp))
	if err != nil {
		return p, fmt.Errorf("%s: %w", it.Path, err)
	}
	warns := append(append([]string{}, d.Warnings...), res.Warnings...)
	rows := []report.CompartmentSample{{Sample: it.ID, Patient: it.Patient, Timepoint: it.Timepoint.Label, Path: it.Path, Events: d.Events,
		Counts: res.Counts, Plots: res.Plots, Missing: res.Compiled.Missing, Warnings: warns, Channels: res.Compiled.Channels}}
	// The page is rendered now and the plot points dropped, so memory
	// holds pages, not every sample's events.
	var b bytes.Buffer
	if err := report.CompartmentSampleHTML(&b, rows, 0, s.Report); err != nil {
		return p, fmt.Errorf("%s: page: %w", it.ID, err)
	}
	rows[0].Plots = nil
	p.Page = b.Bytes()
	if gates {
		var g bytes.Buffer
		if err := gatingml.Write(&g, res.Compiled.Strategy); err != nil {
			return p, err
		}
		p.Gates = g.Bytes()
	}
	p.Row, p.Notes, p.SHA256 = rows[0], append(res.Notes, warns...), sum
	return p, nil
}

// input is a sample's entry in run.json's inputs (its checksum is replaced
// by the measurement's).
func input(it study.Sample) map[string]any {
	return map[string]any{"sample": it.ID, "patient": it.Patient, "timepoint": it.Timepoint.Label, "date": it.Date,
		"tissue": it.Fields["tissue"], "fraction": it.Fields["fraction"], "path": it.Path, "sha256": study.Checksum(it.Path)}
}

// partNamer returns the name of the file in DIR/cache that holds a sample's
// measurement: keyed by the lsc version, its sheet fields and input
// checksum (in) and every parameter, so a change to any gives another file.
func partNamer(opt Options, tmplName string, sum fileSums) func(in map[string]any) string {
	params := map[string]any{"lsc_version": opt.Version, "template": tmplName, "template_sha256": sum.template,
		"control": opt.Control, "control_sha256": sum.control, "quantile": opt.Quantile, "compensation": opt.Comp}
	return func(in map[string]any) string { // called from several goroutines: params is only read
		p := maps.Clone(params)
		p["input"] = in
		key, _ := json.Marshal(p)
		h := sha256.Sum256(key)
		return report.PartName(in["sample"].(string), hex.EncodeToString(h[:]), ".json")
	}
}
