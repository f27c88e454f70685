package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

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

func flowCompartmentsCmd() *cobra.Command {
	var samples, tmplPath, control, comp, out string
	var quantile float64
	var force bool
	c := &cobra.Command{
		Use:   "compartments [FILE.fcs ...] [--samples SHEET] --out DIR",
		Short: "count the stem-cell compartments (blasts, CD34+, CD34+CD38-, CD90+, HSC, MPP, CMP, GMP, MEP)",
		Long: `Counts the leukemia stem-cell compartments in each sample with a gating template that names markers,
not channels (matched by $PnS across panels; compartments whose markers a panel lacks are reported
as not measured). The built-in template (lsc flow template) gates blasts by CD45dim/SSC-low, then
CD34+, CD34+CD38- vs CD38+, CD90, CD45RA and CD123; --template uses an edited copy, and --control
sets every marker threshold to the --quantile (default 0.995) of a control sample (FMO or isotype).
Samples are FCS files given as arguments or a sample sheet (sample, patient, timepoint, path).

Writes DIR/compartments.tsv (counts; % of parent, of CD34+, of blasts and of all events with
Clopper-Pearson 95% intervals), DIR/report.html (density plots with the gates, per sample),
DIR/gates.xml (the template on the first sample's panel as Gating-ML 2.0) and DIR/run.json.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			var items []study.Sample
			if samples != "" {
				sh, err := study.Read(samples, false)
				if err != nil {
					return err
				}
				items = sh.Samples
			}
			for _, a := range args {
				items = append(items, study.Sample{ID: filepath.Base(a), Path: a})
			}
			if len(items) == 0 {
				return usageError{fmt.Errorf("give FCS files or --samples SHEET")}
			}
			tp := compartment.Default()
			name := "built-in"
			if tmplPath != "" {
				var err error
				if tp, err = compartment.Load(tmplPath); err != nil {
					return err
				}
				name = tmplPath
			}
			compRef := "FCS"
			if comp == "none" {
				compRef = "uncompensated"
			}
			thresholds := map[string]float64{}
			if control != "" {
				ds, err := fcs.ReadFile(control)
				if err != nil {
					return err
				}
				if thresholds, err = tp.SetThresholds(ds[0], compRef, quantile); err != nil {
					return fmt.Errorf("control %s: %w", control, err)
				}
			}
			var rows []report.CompartmentSample
			var inputs []map[string]any // per sample, for lsc study import
			var first *compartment.Compiled
			for _, it := range items {
				ds, err := fcs.ReadFile(it.Path)
				if err != nil {
					return err
				}
				d := ds[0]
				cref := compRef // a file without a matrix is read uncompensated, with a warning
				cmp, err := tp.Compile(d, cref)
				if err != nil {
					return err
				}
				if len(cmp.Strategy.Gates) == 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), "lsc: warning: %s: no compartment can be gated on this panel (markers missing: %v)\n", it.ID, cmp.Missing)
				}
				counts, pops, warns, err := compartment.Measure(tp, cmp, d)
				if err != nil {
					return fmt.Errorf("%s: %w", it.Path, err)
				}
				if first == nil {
					first = cmp
				}
				inputs = append(inputs, map[string]any{"sample": it.ID, "patient": it.Patient, "timepoint": it.Timepoint.Label, "date": it.Date,
					"tissue": it.Fields["tissue"], "fraction": it.Fields["fraction"], "path": it.Path})
				rows = append(rows, report.CompartmentSample{Sample: it.ID, Patient: it.Patient, Timepoint: it.Timepoint.Label, Path: it.Path, Events: d.Events,
					Counts: counts, Plots: compartment.Plots(tp, cmp, d, cref, pops), Missing: cmp.Missing, Warnings: append(d.Warnings, warns...), Channels: cmp.Channels})
				for _, wmsg := range append(d.Warnings, warns...) {
					fmt.Fprintf(cmd.ErrOrStderr(), "lsc: warning: %s: %s\n", it.ID, wmsg)
				}
			}
			run := map[string]any{"lsc_version": version, "template": name, "control": control, "quantile": quantile, "thresholds_from_control": thresholds, "compensation": comp, "inputs": inputs}
			var files []outFile
			files = append(files,
				outFile{Name: "compartments.tsv", Fill: func(w io.Writer) error { return report.CompartmentTSV(w, rows) }},
				outFile{Name: "report.html", Fill: func(w io.Writer) error { return report.CompartmentHTML(w, rows, name, version) }},
				outFile{Name: "run.json", Fill: func(w io.Writer) error { return writeJSON(w, run) }},
			)
			files = append(files, outFile{Name: "gates.xml", Fill: func(w io.Writer) error { return gatingml.Write(w, first.Strategy) }})
			return writeDir(out, force, files)
		},
	}
	fl := c.Flags()
	fl.StringVar(&samples, "samples", "", "sample sheet with FCS paths")
	fl.StringVar(&tmplPath, "template", "", "gating template (JSON; default built-in)")
	fl.StringVar(&control, "control", "", "control sample (FMO/isotype) to set marker thresholds from")
	fl.Float64Var(&quantile, "quantile", 0.995, "control quantile for thresholds")
	fl.StringVar(&comp, "comp", "spill", "spill (the file's matrix) or none")
	fl.StringVarP(&out, "out", "o", "", "output directory")
	fl.BoolVar(&force, "force", false, "replace existing files in --out")
	c.MarkFlagRequired("out")
	return c
}
