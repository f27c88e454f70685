package main

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/atomicfile"
	"github.com/lsc-bio/lsc/flow/compartment"
	"github.com/lsc-bio/lsc/flowstudy"
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
	res, err := flowstudy.Run(items, f.out, f.options())
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(notes(cmd), "lsc: warning: %s\n", w)
	}
	files := []outFile{
		{Name: "compartments.tsv", Fill: func(w io.Writer) error { return report.CompartmentTSV(w, res.Rows) }},
		{Name: "report.html", Fill: func(w io.Writer) error { return report.CompartmentHTML(w, res.Rows, res.Report) }},
		{Name: "run.json", Fill: func(w io.Writer) error { return report.JSON(w, res.Run) }},
		{Name: "gates.xml", Fill: func(w io.Writer) error { _, err := w.Write(res.Gates); return err }},
	}
	for i, name := range report.CompartmentSampleFiles(res.Rows) {
		files = append(files, outFile{Name: filepath.FromSlash(name), Fill: func(w io.Writer) error { _, err := w.Write(res.Pages[i]); return err }})
	}
	return writeDir(f.out, f.force, files)
}

// options are the flags as flowstudy's parameters.
func (f flowCompartmentsFlags) options() flowstudy.Options {
	return flowstudy.Options{Template: f.tmplPath, Control: f.control, Quantile: f.quantile, Comp: f.comp, Jobs: f.jobs, Version: version}
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
	p, part, err := flowstudy.MeasureInto(*it, f.out, f.options())
	if err != nil {
		return err
	}
	if !f.quiet {
		fmt.Fprintf(cmd.ErrOrStderr(), "lsc: %s: %d events measured into %s\n", it.ID, part.Row.Events, p)
	}
	return nil
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
