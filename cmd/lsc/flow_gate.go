package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/report"
)

type flowGateFlags struct {
	gating, out, membership, sample string
	dataset                         int
	force                           bool
}

func flowGateCmd() *cobra.Command {
	var f flowGateFlags
	c := &cobra.Command{
		Use:   "gate FILE.fcs --gating GATES.xml|WORKSPACE.wsp --out COUNTS.tsv",
		Short: "apply Gating-ML 2.0 gates or a FlowJo workspace and count each population",
		Long: `Applies a Gating-ML 2.0 file or a FlowJo 10 workspace (recognised by content) to the events and
writes population (path of gate names from the root), gate_id, count, parent_count, percent_parent,
percent_total; for a workspace also flowjo_count (the count FlowJo stored) and the difference.
The workspace sample is the one FlowJo would match to the file: by file name, sample name or $FIL,
with the same number of events; a file no sample matches is an error unless --sample NAME picks
the sample whose gates to apply (FlowJo's counts are then reported only when the event counts
agree). FlowJo bins events on its display grid before testing polygon and ellipse gates, so events
on a gate boundary can make counts differ by a few events. --membership writes one 0/1 column per
population and one row per event. FlowJo 9 workspaces (ISO-8859-1 XML) are read when their gates
use FlowJo 10's elements and otherwise refused with the reason.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runFlowGate(cmd, args[0], f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.gating, "gating", "", "Gating-ML 2.0 file or FlowJo workspace (.wsp)")
	fl.StringVar(&f.sample, "sample", "", "workspace sample whose gates to apply (default: matched by file name, $FIL and event count)")
	fl.StringVarP(&f.out, "out", "o", "-", "counts TSV (- for stdout)")
	fl.StringVar(&f.membership, "membership", "", "per-event membership TSV")
	fl.IntVar(&f.dataset, "dataset", 1, "data set number")
	fl.BoolVar(&f.force, "force", false, "replace existing outputs")
	c.MarkFlagRequired("gating")
	return c
}

func runFlowGate(cmd *cobra.Command, path string, f flowGateFlags) error {
	for _, p := range []string{f.out, f.membership} {
		if p != "" && p != "-" {
			if err := refuseOverwrite(p, f.force); err != nil {
				return err
			}
		}
	}
	d, err := readDataset(path, f.dataset)
	if err != nil {
		return err
	}
	g, err := loadGating(f.gating, path, d, f.sample)
	if err != nil {
		return err
	}
	ev := flow.NewEvaluator(g.Strategy, d)
	pops, err := ev.Apply()
	if err != nil {
		return err
	}
	warnAll(notes(cmd), d, append(g.Notes, ev.Warnings...))
	counts := flow.Counts(pops, d.Events, g.Reference)
	if err := writeAtomic(f.out, cmd.OutOrStdout(), func(w io.Writer) error {
		return report.GateCountsTSV(w, counts, g.Reference != nil)
	}); err != nil {
		return err
	}
	if f.membership == "" {
		return nil
	}
	return writeAtomic(f.membership, nil, func(w io.Writer) error { return report.MembershipTSV(w, pops, d.Events) })
}
