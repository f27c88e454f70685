package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/atomicfile"
	"github.com/lsc-bio/lsc/flow/compartment"
	"github.com/lsc-bio/lsc/flow/fcs"
	"github.com/lsc-bio/lsc/flow/gatingml"
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
	quantile                              float64
	force                                 bool
}

var compartmentFiles = []string{"compartments.tsv", "report.html", "run.json", "gates.xml"}

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
Clopper-Pearson 95% intervals; reason when not measured), DIR/report.html (density plots with the
gates, per sample), DIR/gates.xml (the template on the first sample's panel as Gating-ML 2.0) and
DIR/run.json (parameters, thresholds, inputs with their SHA-256). DIR is checked before any work.`,
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
	c.MarkFlagRequired("out")
	return c
}

func runFlowCompartments(cmd *cobra.Command, args []string, f flowCompartmentsFlags) error {
	items, err := compartmentSamples(args, f.samples)
	if err != nil {
		return err
	}
	if err := asUsage(atomicfile.CheckDir(f.out, f.force, compartmentFiles...)); err != nil {
		return err
	}
	tp, name, thresholds, err := compartmentTemplate(f)
	if err != nil {
		return err
	}
	compRef := map[bool]string{true: "uncompensated", false: "FCS"}[f.comp == "none"]
	var rows []report.CompartmentSample
	var first *compartment.Compiled
	inputs := []map[string]any{} // per sample, for lsc study import
	for _, it := range items {
		ds, err := fcs.ReadFile(it.Path)
		if err != nil {
			return err
		}
		d := ds[0]
		res, err := tp.Run(d, compRef)
		if err != nil {
			return fmt.Errorf("%s: %w", it.Path, err)
		}
		if first == nil {
			first = res.Compiled
		}
		warns := append(append([]string{}, d.Warnings...), res.Warnings...)
		rows = append(rows, report.CompartmentSample{Sample: it.ID, Patient: it.Patient, Timepoint: it.Timepoint.Label, Path: it.Path, Events: d.Events,
			Counts: res.Counts, Plots: res.Plots, Missing: res.Compiled.Missing, Warnings: warns, Channels: res.Compiled.Channels})
		for _, w := range append(res.Notes, warns...) {
			fmt.Fprintf(notes(cmd), "lsc: warning: %s: %s\n", it.ID, w)
		}
		inputs = append(inputs, map[string]any{"sample": it.ID, "patient": it.Patient, "timepoint": it.Timepoint.Label, "date": it.Date,
			"tissue": it.Fields["tissue"], "fraction": it.Fields["fraction"], "path": it.Path, "sha256": sha(it.Path)})
	}
	rep := report.CompartmentReport{Template: name, Version: version, Cautions: tp.Cautions(f.tmplPath == "", f.control != "")}
	run := map[string]any{"lsc_version": version, "template": name, "template_sha256": sha(f.tmplPath), "control": f.control, "control_sha256": sha(f.control),
		"quantile": f.quantile, "thresholds_from_control": thresholds, "compensation": f.comp, "inputs": inputs, "cautions": report.NonNil(rep.Cautions)}
	return writeDir(f.out, f.force, []outFile{
		{Name: "compartments.tsv", Fill: func(w io.Writer) error { return report.CompartmentTSV(w, rows) }},
		{Name: "report.html", Fill: func(w io.Writer) error { return report.CompartmentHTML(w, rows, rep) }},
		{Name: "run.json", Fill: func(w io.Writer) error { return report.JSON(w, run) }},
		{Name: "gates.xml", Fill: func(w io.Writer) error { return gatingml.Write(w, first.Strategy) }},
	})
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
