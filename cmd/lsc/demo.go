package main

import (
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/demo"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/store"
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
	c.AddCommand(demoStudyCmd())
	return c
}

func demoStudyCmd() *cobra.Command {
	var f studyFlags
	var patient string
	c := &cobra.Command{
		Use:   "study --db DB",
		Short: "build a study store from the embedded example outputs, then print a patient's timeline",
		Long: `Builds a study from outputs of lsc stemcells (five van Galen 2019 AML samples), lsc mrd assess (the
project's MRD cases) and lsc flow compartments (two real FCS files) with a patient sheet
(demo/study/README.md), then prints --patient's timeline. Then try:
  lsc study timeline --db DB --patient P2 --json
  lsc study table --db DB --metric stem_like_fraction --at diagnosis`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := os.MkdirTemp("", "lsc-demo-study")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			sheet, err := demo.ExtractStudy(dir)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := f.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if _, err := st.Migrate(ctx); err != nil {
				return err
			}
			imp := importFlags{studyFlags: f}
			r, err := st.ImportPatients(ctx, f.study, sheet, store.PatientOptions{})
			if err != nil {
				return err
			}
			imp.logImport(cmd, "patients.csv", r)
			for _, run := range demo.StudyRuns {
				if r, err = st.ImportRun(ctx, f.study, filepath.Join(dir, run), store.ImportOptions{}); err != nil {
					return err
				}
				imp.logImport(cmd, run, r)
			}
			t, err := st.Timeline(ctx, f.study, patient)
			if err != nil {
				return err
			}
			return report.TimelineText(cmd.OutOrStdout(), timelineRows(t))
		},
	}
	f.add(c)
	c.Flags().StringVar(&patient, "patient", "P2", "patient whose timeline is printed")
	return c
}
