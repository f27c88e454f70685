package main

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
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/atomicfile"
	"github.com/lsc-bio/lsc/flow/compartment"
	"github.com/lsc-bio/lsc/flow/fcs"
	"github.com/lsc-bio/lsc/flow/gatingml"
	"github.com/lsc-bio/lsc/internal/par"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/study"
)

func flowTemplateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "template",
		Short: "print the built-in compartment gating template (JSON) for editing",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := cmd.OutOrStdout().Write(compartment.DefaultJSON())
			return err
		},
	}
}

type flowCompartmentsFlags struct {
	samples, tmplPath, control, comp, out string
	only                                  string // one sample into DIR/cache (a per-sample job of lsc workflow)
	quantile                              float64
	force, quiet                          bool
	jobs                                  int
}

// compartmentFiles are the outputs besides the sample pages (in samples/).
var compartmentFiles = []string{"compartments.tsv", "report.html", "run.json", "gates.xml", "samples"}

func flowCompartmentsCmd() *cobra.Command {
	var f flowCompartmentsFlags
	c := &cobra.Command{
		Use:   "compartments [FILE.fcs ...] [--samples SHEET] --out DIR",
		Short: "count the stem-cell compartments (blasts, CD34+, CD34+CD38-, CD90+, HSC, MPP, CMP, GMP, MEP)",
		Long: `Counts the leukemia stem-cell compartments in each sample with a gating template that names markers,
not channels (matched by $PnS across panels; compartments whose markers a panel lacks are reported
as not measured, with the reason, and every missing marker is named on stderr). The built-in
template (lsc flow template) gates blasts by CD45dim/SSC-low, then CD34+, CD34+CD38- vs CD38+,
CD90, CD45RA and CD123; --template uses an edited copy, and --control sets every marker threshold
to the --quantile (default 0.995) of a control sample (FMO or isotype). The report cautions when the
built-in default cuts are used. Samples are FCS files given as arguments or a sample sheet
(sample, patient, timepoint, path).

Writes DIR/compartments.tsv (counts; % of parent, of CD34+, of blasts and of all events with
Clopper-Pearson 95% intervals; reason when not measured), DIR/report.html (a summary: one row per
sample, linking to DIR/samples/ID.html, its density plots with the gates), DIR/gates.xml (the template on the first sample's panel as Gating-ML 2.0) and
DIR/run.json (parameters, thresholds, inputs with their SHA-256). DIR is checked before any work.

--only SAMPLE (with --samples) measures that one sample into DIR/cache/ and stops: a per-sample job
of lsc workflow. A later run with the same --out reuses every sample found there (keyed by the
input's checksum, the sample's sheet fields and every parameter) instead of measuring it again;
the files it writes are the same bytes.`,
		RunE: func(cmd *cobra.Command, args []string) error { return runFlowCompartments(cmd, args, f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.samples, "samples", "", "sample sheet with FCS paths")
	fl.StringVar(&f.tmplPath, "template", "", "gating template (JSON; default built-in)")
	fl.StringVar(&f.control, "control", "", "control sample (FMO/isotype) to set marker thresholds from")
	fl.Float64Var(&f.quantile, "quantile", 0.995, "control quantile for thresholds")
	fl.StringVar(&f.comp, "comp", "spill", "spill (the file's matrix) or none")
	fl.StringVarP(&f.out, "out", "o", "", "output directory")
	fl.BoolVar(&f.force, "force", false, "replace existing files in --out")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress line with --only")
	fl.StringVar(&f.only, "only", "", "measure this one sample of --samples into DIR/cache and stop (a per-sample job of lsc workflow)")
	fl.IntVarP(&f.jobs, "jobs", "j", runtime.NumCPU(), "files measured at once (output is the same for any value)")
	c.MarkFlagRequired("out")
	return c
}

func runFlowCompartments(cmd *cobra.Command, args []string, f flowCompartmentsFlags) error {
	if f.jobs < 1 {
		return usageError{fmt.Errorf("--jobs %d: give 1 or more", f.jobs)}
	}
	items, err := compartmentSamples(args, f.samples)
	if err != nil {
		return err
	}
	if f.only != "" {
		return flowOnly(cmd, items, f)
	}
	if err := asUsage(atomicfile.CheckDir(f.out, f.force, compartmentFiles...)); err != nil {
		return err
	}
	tp, name, thresholds, err := compartmentTemplate(f)
	if err != nil {
		return err
	}
	rep := report.CompartmentReport{Template: name, Version: version, Cautions: tp.Cautions(f.tmplPath == "", f.control != "")}
	var rows []report.CompartmentSample
	var pages [][]byte           // each sample's page, rendered as it is measured
	var gates []byte             // the template on the first sample's panel
	inputs := []map[string]any{} // per sample, for lsc study import
	partName := compartmentPartName(f, name)
	// Files are checksummed and measured --jobs at a time; everything is
	// then gathered in sample order, so the output does not depend on it.
	ins := make([]map[string]any, len(items))
	parts := make([]report.CompartmentPart, len(items))
	cached := make([]bool, len(items))
	if err := par.Each(len(items), f.jobs, func(i int) error {
		ins[i] = compartmentInput(items[i])
		var err error
		parts[i], cached[i], err = report.ReadCompartmentPart(filepath.Join(f.out, "cache", partName(ins[i])))
		return err
	}); err != nil {
		return err
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
	if err := par.Each(len(items), f.jobs, func(i int) error {
		if cached[i] {
			return nil
		}
		var err error
		parts[i], err = measureCompartments(items[i], ins[i]["sha256"].(string), tp, rep, f.comp, wantGates[i])
		return err
	}); err != nil {
		return err
	}
	for i, it := range items {
		in, part := ins[i], parts[i]
		if gates == nil {
			gates = part.Gates
		}
		rows = append(rows, part.Row)
		pages = append(pages, part.Page)
		for _, w := range part.Notes {
			fmt.Fprintf(notes(cmd), "lsc: warning: %s: %s\n", it.ID, w)
		}
		in["sha256"] = part.SHA256
		inputs = append(inputs, in)
	}
	run := map[string]any{"lsc_version": version, "template": name, "template_sha256": sha(f.tmplPath), "control": f.control, "control_sha256": sha(f.control),
		"quantile": f.quantile, "thresholds_from_control": thresholds, "compensation": f.comp, "inputs": inputs, "cautions": report.NonNil(rep.Cautions)}
	files := []outFile{
		{Name: "compartments.tsv", Fill: func(w io.Writer) error { return report.CompartmentTSV(w, rows) }},
		{Name: "report.html", Fill: func(w io.Writer) error { return report.CompartmentHTML(w, rows, rep) }},
		{Name: "run.json", Fill: func(w io.Writer) error { return report.JSON(w, run) }},
		{Name: "gates.xml", Fill: func(w io.Writer) error { _, err := w.Write(gates); return err }},
	}
	for i, name := range report.CompartmentSampleFiles(rows) {
		files = append(files, outFile{Name: filepath.FromSlash(name), Fill: func(w io.Writer) error { _, err := w.Write(pages[i]); return err }})
	}
	return writeDir(f.out, f.force, files)
}

// measureCompartments reads one FCS file, counts its compartments and
// renders its page (and, when gates, the template on its panel).
func measureCompartments(it study.Sample, sum string, tp *compartment.Template, rep report.CompartmentReport, comp string, gates bool) (report.CompartmentPart, error) {
	var p report.CompartmentPart
	ds, err := fcs.ReadFile(it.Path)
	if err != nil {
		return p, err
	}
	d := ds[0]
	compRef := map[bool]string{true: "uncompensated", false: "FCS"}[comp == "none"]
	res, err := tp.Run(d, compRef)
	if err != nil {
		return p, fmt.Errorf("%s: %w", it.Path, err)
	}
	warns := append(append([]string{}, d.Warnings...), res.Warnings...)
	rows := []report.CompartmentSample{{Sample: it.ID, Patient: it.Patient, Timepoint: it.Timepoint.Label, Path: it.Path, Events: d.Events,
		Counts: res.Counts, Plots: res.Plots, Missing: res.Compiled.Missing, Warnings: warns, Channels: res.Compiled.Channels}}
	if p.Page, err = compartmentPage(rows, rep); err != nil {
		return p, err
	}
	if gates {
		var b bytes.Buffer
		if err := gatingml.Write(&b, res.Compiled.Strategy); err != nil {
			return p, err
		}
		p.Gates = b.Bytes()
	}
	p.Row, p.Notes, p.SHA256 = rows[0], append(res.Notes, warns...), sum
	return p, nil
}

// compartmentInput is a sample's entry in run.json's inputs (its checksum
// is added from the measurement).
func compartmentInput(it study.Sample) map[string]any {
	return map[string]any{"sample": it.ID, "patient": it.Patient, "timepoint": it.Timepoint.Label, "date": it.Date,
		"tissue": it.Fields["tissue"], "fraction": it.Fields["fraction"], "path": it.Path, "sha256": sha(it.Path)}
}

// compartmentPartName returns the name of the file in DIR/cache that holds
// a sample's measurement: keyed by the lsc version, its sheet fields and
// input checksum (in) and every parameter, so a change to any gives another
// file. The template and control files are checksummed once.
func compartmentPartName(f flowCompartmentsFlags, tmplName string) func(in map[string]any) string {
	params := map[string]any{"lsc_version": version, "template": tmplName, "template_sha256": sha(f.tmplPath),
		"control": f.control, "control_sha256": sha(f.control), "quantile": f.quantile, "compensation": f.comp}
	return func(in map[string]any) string { // called from several goroutines: params is only read
		p := maps.Clone(params)
		p["input"] = in
		key, _ := json.Marshal(p)
		h := sha256.Sum256(key)
		return report.PartName(in["sample"].(string), hex.EncodeToString(h[:]), ".json")
	}
}

// compartmentPartPaths are the cache files lsc flow compartments --only
// writes for each sample, relative to the output folder (for lsc workflow).
func compartmentPartPaths(f flowCompartmentsFlags, items []study.Sample) []string {
	name := "built-in"
	if f.tmplPath != "" {
		name = f.tmplPath
	}
	partName := compartmentPartName(f, name)
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = filepath.Join("cache", partName(compartmentInput(it)))
	}
	return out
}

// flowOnly measures the sample --only names into DIR/cache.
func flowOnly(cmd *cobra.Command, items []study.Sample, f flowCompartmentsFlags) error {
	var it *study.Sample
	var ids []string
	for i := range items {
		ids = append(ids, items[i].ID)
		if items[i].ID == f.only && it == nil {
			it = &items[i]
		}
	}
	if f.samples == "" || it == nil {
		return usageError{fmt.Errorf("--only %q: no such sample in --samples %q (samples: %s)", f.only, f.samples, strings.Join(ids, ", "))}
	}
	tp, name, _, err := compartmentTemplate(f)
	if err != nil {
		return err
	}
	rep := report.CompartmentReport{Template: name, Version: version, Cautions: tp.Cautions(f.tmplPath == "", f.control != "")}
	in := compartmentInput(*it)
	part, err := measureCompartments(*it, in["sha256"].(string), tp, rep, f.comp, true)
	if err != nil {
		return err
	}
	p := filepath.Join(f.out, "cache", compartmentPartName(f, name)(in))
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		return err
	}
	if err := atomicfile.Write(p, func(w io.Writer) error { return report.WriteCompartmentPart(w, part) }); err != nil {
		return err
	}
	if !f.quiet {
		fmt.Fprintf(cmd.ErrOrStderr(), "lsc: %s: %d events measured into %s\n", it.ID, part.Row.Events, p)
	}
	return nil
}

// compartmentPage renders the page of the last sample of rows and drops
// its plot points, so memory holds pages, not every sample's events.
func compartmentPage(rows []report.CompartmentSample, rep report.CompartmentReport) ([]byte, error) {
	var b bytes.Buffer
	if err := report.CompartmentSampleHTML(&b, rows, len(rows)-1, rep); err != nil {
		return nil, fmt.Errorf("%s: page: %w", rows[len(rows)-1].Sample, err)
	}
	rows[len(rows)-1].Plots = nil
	return b.Bytes(), nil
}

// compartmentSamples lists the samples of --samples and the arguments.
func compartmentSamples(args []string, sheet string) ([]study.Sample, error) {
	var items []study.Sample
	if sheet != "" {
		sh, err := study.Read(sheet, false)
		if err != nil {
			return nil, err
		}
		items = sh.Samples
	}
	for _, a := range args {
		items = append(items, study.Sample{ID: filepath.Base(a), Path: a})
	}
	if len(items) == 0 {
		return nil, usageError{fmt.Errorf("give FCS files or --samples SHEET")}
	}
	return items, nil
}

// compartmentTemplate reads --template (or the built-in one) and sets its
// thresholds from --control.
func compartmentTemplate(f flowCompartmentsFlags) (*compartment.Template, string, map[string]float64, error) {
	tp, name := compartment.Default(), "built-in"
	if f.tmplPath != "" {
		var err error
		if tp, err = compartment.ReadFile(f.tmplPath); err != nil {
			return nil, "", nil, err
		}
		name = f.tmplPath
	}
	thresholds := map[string]float64{}
	if f.control == "" {
		return tp, name, thresholds, nil
	}
	ds, err := fcs.ReadFile(f.control)
	if err != nil {
		return nil, "", nil, err
	}
	comp := map[bool]string{true: "uncompensated", false: "FCS"}[f.comp == "none"]
	if thresholds, err = tp.SetThresholds(ds[0], comp, f.quantile); err != nil {
		return nil, "", nil, fmt.Errorf("control %s: %w", f.control, err)
	}
	return tp, name, thresholds, nil
}
