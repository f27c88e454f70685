package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/fcs"
	"github.com/lsc-bio/lsc/report"
)

func flowSpilloverCmd() *cobra.Command {
	var unstained, out string
	var controls []string
	var force bool
	c := &cobra.Command{
		Use:   "spillover --unstained U.fcs --control CHANNEL=FILE.fcs ... --out MATRIX.csv",
		Short: "build a spillover matrix from single-stain controls (flowCore's median method)",
		Long: `For each single-stain control: the median of every channel minus the unstained control's median
(negatives set to 0), divided by the control's largest value (its own channel), as flowCore's
spillover(method = "median"). The CSV (a header of channel names, one row per channel) is read by
lsc flow events --comp MATRIX.csv and by FlowJo, FlowKit and flowCore.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := fcs.ReadFile(unstained)
			if err != nil {
				return err
			}
			ctl := map[string]*fcs.Dataset{}
			var chans []string
			for _, c := range controls {
				ch, file, ok := strings.Cut(c, "=")
				if !ok || ch == "" || file == "" {
					return usageError{fmt.Errorf("--control %q: write CHANNEL=FILE.fcs", c)}
				}
				ds, err := fcs.ReadFile(file)
				if err != nil {
					return err
				}
				ctl[ch] = ds[0]
				chans = append(chans, ch)
			}
			if len(chans) < 2 {
				return usageError{fmt.Errorf("give at least two --control CHANNEL=FILE.fcs")}
			}
			if err := refuseOverwrite(out, force); err != nil {
				return err
			}
			sp, err := flow.SpilloverFromControls(u[0], ctl, chans)
			if err != nil {
				return err
			}
			return writeAtomic(out, cmd.OutOrStdout(), func(w io.Writer) error { return report.SpilloverCSV(w, sp) })
		},
	}
	fl := c.Flags()
	fl.StringVar(&unstained, "unstained", "", "unstained control")
	fl.StringArrayVar(&controls, "control", nil, "single-stain control: CHANNEL=FILE.fcs (repeat)")
	fl.StringVarP(&out, "out", "o", "-", "matrix CSV (- for stdout)")
	fl.BoolVar(&force, "force", false, "replace an existing --out")
	c.MarkFlagRequired("unstained")
	return c
}
