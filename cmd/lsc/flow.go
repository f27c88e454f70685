package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/fcs"
	"github.com/lsc-bio/lsc/flow/gatingml"
	"github.com/lsc-bio/lsc/flow/wsp"
	"github.com/lsc-bio/lsc/report"
)

func flowCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "flow",
		Short: "flow cytometry: read FCS files, compensate, transform and gate (Gating-ML 2.0, FlowJo workspaces)",
		Long: `Flow cytometry in the field's standards: FCS 2.0-3.2 files (all data types; recoveries from common
writer errors are reported as warnings), compensation from the file's $SPILLOVER/SPILL/$DFC keywords or
a matrix file, Gating-ML 2.0 transforms (linear, log, asinh, logicle, hyperlog) and gates (rectangle,
polygon, ellipsoid, quadrant, boolean, in a hierarchy), FlowJo 10 workspaces. The gate engine
reproduces the ISAC Gating-ML 2.0 compliance suite event for event.

  lsc flow info FILE.fcs [--json] [--dataset N]
  lsc flow events FILE.fcs --out EVENTS.tsv|SUBSET.fcs [--stage raw|scaled|compensated|transformed] [--comp spill|none|FILE]
                 [--transform logicle:T=262144,W=0.5,M=4.5,A=0] [--gating GATES.xml|WORKSPACE.wsp --population ID]
  lsc flow gate FILE.fcs --gating GATES.xml|WORKSPACE.wsp [--sample NAME] --out COUNTS.tsv [--membership EVENTS.tsv]
  lsc flow compartments FILE.fcs ... | --samples SHEET --out DIR [--template T.json] [--control FMO.fcs]
  lsc flow spillover --unstained U.fcs --control CHANNEL=FILE.fcs ... --out MATRIX.csv
  lsc flow template > my_template.json

Every flow command takes --quiet (-q): no warnings or notes on stderr.`,
	}
	c.PersistentFlags().BoolP("quiet", "q", false, "no warnings or notes on stderr")
	c.AddCommand(flowInfoCmd(), flowEventsCmd(), flowGateCmd(), withStudy(flowCompartmentsCmd()), flowTemplateCmd(), flowSpilloverCmd())
	return c
}

// notes is where a flow command's warnings go: stderr, or nowhere with --quiet.
func notes(cmd *cobra.Command) io.Writer {
	if q, _ := cmd.Flags().GetBool("quiet"); q {
		return io.Discard
	}
	return cmd.ErrOrStderr()
}

func readDataset(path string, n int) (*fcs.Dataset, error) {
	ds, err := fcs.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if n < 1 || n > len(ds) {
		return nil, usageError{fmt.Errorf("--dataset %d: %s has %d data set(s)", n, path, len(ds))}
	}
	return ds[n-1], nil
}

func warnAll(w io.Writer, d *fcs.Dataset, extra []string) {
	for _, s := range append(append([]string{}, d.Warnings...), extra...) {
		fmt.Fprintf(w, "lsc: warning: %s: %s\n", filepath.Base(d.Path), s)
	}
}

func flowInfoCmd() *cobra.Command {
	var asJSON bool
	var dataset int
	c := &cobra.Command{
		Use:   "info FILE.fcs",
		Short: "version, events, parameters, keywords and spillover of an FCS file",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, nsets, err := readInfo(args[0], dataset)
			if err != nil {
				return err
			}
			sp, spErr := flow.SpilloverFromFCS(d)
			if spErr != nil {
				d.Warnings = append(d.Warnings, spErr.Error())
			}
			warnAll(notes(cmd), d, nil)
			if asJSON {
				return report.FCSInfoJSON(cmd.OutOrStdout(), report.NewFCSInfo(d, nsets, sp))
			}
			return report.FCSInfoText(cmd.OutOrStdout(), d, nsets, sp)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().IntVar(&dataset, "dataset", 1, "data set number for files with several ($NEXTDATA)")
	return c
}

// readInfo reads data set n of an FCS file, or, when its events cannot be
// read (header-only files), its keywords with a warning saying why.
func readInfo(path string, n int) (*fcs.Dataset, int, error) {
	ds, err := fcs.ReadFile(path)
	if err != nil {
		meta, merr := fcs.ReadMeta(path)
		if merr != nil {
			return nil, 0, err
		}
		meta.Warnings = append(meta.Warnings, "events not readable: "+err.Error())
		return meta, 1, nil
	}
	if n < 1 || n > len(ds) {
		return nil, 0, usageError{fmt.Errorf("--dataset %d: %s has %d data set(s)", n, path, len(ds))}
	}
	return ds[n-1], len(ds), nil
}

// gating is a strategy read from Gating-ML or a FlowJo workspace, with the
// counts FlowJo stored (nil for Gating-ML) and notes on the reading.
type gating struct {
	Strategy  *flow.Strategy
	Reference map[string]int
	Notes     []string
}

// loadGating reads a Gating-ML 2.0 file or a FlowJo workspace (recognised
// by content) for data set d of fcsPath; sample is --sample.
func loadGating(path, fcsPath string, d *fcs.Dataset, sample string) (*gating, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if !isWorkspace(b) {
		if sample != "" {
			return nil, usageError{fmt.Errorf("--sample %q: %s is Gating-ML, which has no samples; --sample is for FlowJo workspaces", sample, path)}
		}
		s, err := gatingml.Read(bytes.NewReader(b), path)
		return &gating{Strategy: s}, err
	}
	w, err := wsp.Read(bytes.NewReader(b), path)
	if err != nil {
		return nil, err
	}
	fil, _ := d.Keyword("$FIL")
	smp, err := w.Find(fcsPath, fil, d.Events, sample)
	if err != nil {
		if sample != "" && errors.Is(err, wsp.ErrNoSample) {
			return nil, usageError{err}
		}
		return nil, err
	}
	g := &gating{Strategy: smp.Strategy, Reference: map[string]int{}, Notes: append(append([]string{}, w.Notes...), smp.Notes...)}
	if smp.Count != d.Events {
		g.Notes = append(g.Notes, fmt.Sprintf("--sample %s: FlowJo counted %d events in it, the file has %d: its gates are applied, its counts are not reported", smp.Name, smp.Count, d.Events))
		return g, nil
	}
	for _, p := range smp.Populations {
		g.Reference[p.ID] = p.FlowJoCount
	}
	return g, nil
}

// isWorkspace reports whether an XML document's root element is a FlowJo
// <Workspace> (rather than Gating-ML).
func isWorkspace(b []byte) bool {
	head := b[:min(len(b), 1<<16)]
	ws := bytes.Index(head, []byte("<Workspace"))
	gml := bytes.Index(head, []byte("Gating-ML"))
	return ws >= 0 && (gml < 0 || ws < gml)
}

// population returns the events of one population, named by id or path.
func population(g *gating, d *fcs.Dataset, name string) ([]bool, []string, error) {
	ev := flow.NewEvaluator(g.Strategy, d)
	pops, err := ev.Apply()
	if err != nil {
		return nil, nil, err
	}
	var ids []string
	for _, p := range pops {
		if p.ID == name || p.Path == name {
			return p.In, ev.Warnings, nil
		}
		ids = append(ids, p.ID)
	}
	return nil, nil, usageError{fmt.Errorf("--population %q: the gating defines no such population (it has %s)", name, strings.Join(ids, ", "))}
}
