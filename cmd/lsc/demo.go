package main

import (
	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/demo"
	"github.com/lsc-bio/lsc/report"
)

func demoCmd() *cobra.Command {
	var f scoringFlags
	var quiet bool
	c := &cobra.Command{
		Use:   "demo",
		Short: "score stem-cell signatures on the embedded AML demo sample",
		Long: `Score stem-cell signatures on van Galen 2019 sample AML870-D0 (345 cells, embedded) with --method,
print the mean score per cell type of the authors' annotation, then compare the authors' HSC-like
malignant cells with the other malignant cells (AUC and Mann-Whitney p per signature). Signatures:
LSPC-Quiescent and LSC104 (up/down) for ucell and singscore, LSPC-Quiescent and LSC104_UP for the other
methods, LSC17 for weighted; --signatures chooses others. Writes nothing to disk but a temporary copy
of the demo files.`,
		Example: `  lsc demo
  lsc demo --method aucell
  lsc demo --method modulescore --signatures LSPC-Quiescent,LSPC-Primed`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, _, err := f.options(f.method)
			if err != nil {
				return err
			}
			if f.sigs == "" {
				f.sigs = demo.Signatures(opt.Method)
			}
			sigs, err := f.signatures("signatures", false)
			if err != nil {
				return err
			}
			res, err := demo.Run(sigs, opt)
			if err != nil {
				return err
			}
			return report.Demo(cmd.OutOrStdout(), res)
		},
	}
	addScoringFlags(c, &f, scoringDefaults{sigFlag: "signatures", method: "ucell", normalize: "auto",
		sigHelp: "signatures to score (default: chosen for --method, see above)"})
	addQuiet(c.Flags(), &quiet) // the demo prints no progress; accepted as on every command
	return c
}
