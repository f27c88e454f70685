package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/fcs"
	"github.com/lsc-bio/lsc/report"
)

type flowEventsFlags struct {
	out, stage, comp, transform, gating, population, sample string
	dataset                                                 int
	force                                                   bool
}

func flowEventsCmd() *cobra.Command {
	var f flowEventsFlags
	c := &cobra.Command{
		Use:   "events FILE.fcs --out EVENTS.tsv",
		Short: "write the events as TSV or FCS, raw or scaled, compensated, transformed, of one population",
		Long: `Writes one column per channel (header = $PnN names; duplicate names get .2, .3 suffixes), or an
FCS 3.1 file (32-bit float) when --out ends in .fcs, which keeps the source file's keywords ($FIL,
$CYT, SPILL, $PnV, ...; $TIMESTEP and $PnG are dropped once values are scaled) and adds $SRC, LSC_STAGE and
LSC_POPULATION. --gating (Gating-ML 2.0 or a FlowJo workspace, with --sample as for lsc flow gate)
and --population (gate id or path) keep one population. Values from 32-bit float files print as
float32 (0.002, not 0.0020000000298023225).
Stages: raw (values as stored, integers masked), scaled ($PnE/$PnG applied, time x $TIMESTEP),
compensated (scaled, then the spillover applied to the channels it names), transformed (compensated,
then --transform applied to the fluorescence channels: those the spillover names, or without
compensation every channel except FSC/SSC/Time).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runFlowEvents(cmd, args[0], f) },
	}
	fl := c.Flags()
	fl.StringVarP(&f.out, "out", "o", "-", "output TSV (- for stdout), or FILE.fcs to write FCS 3.1 (float)")
	fl.StringVar(&f.gating, "gating", "", "Gating-ML 2.0 file or FlowJo workspace, with --population")
	fl.StringVar(&f.sample, "sample", "", "workspace sample whose gates to use (default: matched by $FIL, name and event count)")
	fl.StringVar(&f.population, "population", "", "write only the events of this population (gate id or path)")
	fl.StringVar(&f.stage, "stage", "scaled", "raw, scaled, compensated or transformed")
	fl.StringVar(&f.comp, "comp", "spill", "spill (the file's keywords), none, or a matrix file")
	fl.StringVar(&f.transform, "transform", "logicle:T=262144,W=0.5,M=4.5,A=0", "transform for --stage transformed")
	fl.IntVar(&f.dataset, "dataset", 1, "data set number")
	fl.BoolVar(&f.force, "force", false, "replace an existing --out")
	return c
}

func runFlowEvents(cmd *cobra.Command, path string, f flowEventsFlags) error {
	opt, err := eventOptions(f)
	if err != nil {
		return err
	}
	if f.population != "" && f.gating == "" {
		return usageError{fmt.Errorf("--population needs --gating")}
	}
	if f.out != "-" && f.out != "" {
		if err := refuseOverwrite(f.out, f.force); err != nil {
			return err
		}
	}
	d, err := readDataset(path, f.dataset)
	if err != nil {
		return err
	}
	var msgs []string
	if opt.Stage >= flow.Compensated {
		if opt.Spillover, msgs, err = flow.SpilloverFor(d, f.comp); err != nil {
			return err
		}
	}
	if f.population != "" {
		g, err := loadGating(f.gating, path, d, f.sample)
		if err != nil {
			return err
		}
		var warns []string
		if opt.Keep, warns, err = population(g, d, f.population); err != nil {
			return err
		}
		msgs = append(append(msgs, g.Notes...), warns...)
	}
	warnAll(notes(cmd), d, msgs)
	t, err := flow.Events(d, opt)
	if err != nil {
		return err
	}
	if strings.HasSuffix(strings.ToLower(f.out), ".fcs") {
		chans, kw := fcsOutput(d, t, opt.Stage, f.population)
		return writeAtomic(f.out, nil, func(w io.Writer) error { return fcs.Write(w, chans, t.Values, kw) })
	}
	return writeAtomic(f.out, cmd.OutOrStdout(), func(w io.Writer) error { return report.EventsTSV(w, t) })
}

// eventOptions checks --stage and --transform before any file is read.
func eventOptions(f flowEventsFlags) (flow.EventOptions, error) {
	st, err := flow.ParseStage(f.stage)
	if err != nil {
		return flow.EventOptions{}, usageError{fmt.Errorf("--stage: %w", err)}
	}
	opt := flow.EventOptions{Stage: st}
	if st == flow.Transformed {
		if opt.Transform, err = flow.ParseTransform(f.transform); err != nil {
			return opt, usageError{err}
		}
	}
	return opt, nil
}

// fcsOutput returns the channels and keywords of an FCS file written from
// events of d: the source's keywords (layout keywords are rewritten by
// fcs.Write; $TIMESTEP is dropped once time is scaled) and lsc's own.
func fcsOutput(d *fcs.Dataset, t *flow.EventTable, stage flow.Stage, population string) ([]fcs.Channel, map[string]string) {
	var chans []fcs.Channel
	for i := range t.Names {
		chans = append(chans, fcs.Channel{N: t.Names[i], S: t.Labels[i], Range: t.Ranges[i]})
	}
	kw := map[string]string{}
	for _, k := range d.Keywords {
		if stage != flow.Raw && strings.EqualFold(k.Key, "$TIMESTEP") {
			continue
		}
		kw[k.Key] = k.Value
	}
	kw["$SRC"] = filepath.Base(d.Path)
	kw["LSC_STAGE"] = stage.String()
	kw["LSC_POPULATION"] = population
	return chans, kw
}
