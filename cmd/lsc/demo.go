package main

import (
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lsc-bio/lsc/auth"

	"github.com/lsc-bio/lsc/demo"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/store"
)

func demoCmd() *cobra.Command {
	var f scoringFlags
	var quiet, serveFlag bool
	var addr string
	c := &cobra.Command{
		Use:   "demo",
		Short: "score stem-cell signatures on the embedded AML demo sample, then serve a demo study in the web app",
		Long: `Score stem-cell signatures on van Galen 2019 sample AML870-D0 (345 cells, embedded) with --method,
print the mean score per cell type of the authors' annotation, then compare the authors' HSC-like
malignant cells with the other malignant cells (AUC and Mann-Whitney p per signature). Signatures:
LSPC-Quiescent and LSC104 (up/down) for ucell and singscore, LSPC-Quiescent and LSC104_UP for the other
methods, LSC17 for weighted; --signatures chooses others.

Then, on a terminal (or with --serve), it builds a demo study from real example outputs (five van Galen
AML samples through lsc stemcells, the MRD cases, two real FCS files through flow compartments) in a
temporary SQLite database and serves the web app on loopback, printing the address and a sign-in that
is valid for this run only; Ctrl-C stops it and deletes the database. --serve=false only prints.`,
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
			if err := report.Demo(cmd.OutOrStdout(), res); err != nil {
				return err
			}
			if !wantServe(cmd, serveFlag) {
				return nil
			}
			return serveDemo(cmd, addr)
		},
	}
	addScoringFlags(c, &f, scoringDefaults{sigFlag: "signatures", method: "ucell", normalize: "auto",
		sigHelp: "signatures to score (default: chosen for --method, see above)"})
	addQuiet(c.Flags(), &quiet) // the demo prints no progress; accepted as on every command
	c.Flags().BoolVar(&serveFlag, "serve", false, "serve the demo study in the web app afterwards (default: when stdout is a terminal)")
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address for the demo web app (loopback; another free port when taken)")
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
			if err := buildDemoStudy(cmd, st, f, dir, sheet); err != nil {
				return err
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

// buildDemoStudy migrates st and imports the extracted demo study in dir.
func buildDemoStudy(cmd *cobra.Command, st store.Store, f studyFlags, dir, sheet string) error {
	ctx := cmd.Context()
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
	return nil
}

// wantServe: --serve when given, else whether stdout is a terminal (so
// scripts and tests that run lsc demo get the printout and an exit).
func wantServe(cmd *cobra.Command, flag bool) bool {
	if cmd.Flags().Changed("serve") {
		return flag
	}
	f, ok := cmd.OutOrStdout().(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// serveDemo builds the demo study in a temporary database, adds a user
// with a random password for this run, and serves it until Ctrl-C.
func serveDemo(cmd *cobra.Command, addr string) error {
	ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	dir, err := os.MkdirTemp("", "lsc-demo-web")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	sheet, err := demo.ExtractStudy(filepath.Join(dir, "study"))
	if err != nil {
		return err
	}
	f := studyFlags{db: filepath.Join(dir, "demo.db"), study: store.DefaultStudy, quiet: true}
	st, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := buildDemoStudy(cmd, st, f, filepath.Join(dir, "study"), sheet); err != nil {
		return err
	}
	pw, err := auth.NewSessionID(nil) // 52 random base32 characters
	if err != nil {
		return err
	}
	pw = pw[:16]
	h, err := auth.HashPassword(pw, auth.DefaultParams, nil)
	if err != nil {
		return err
	}
	if _, err := st.AddUser(ctx, "demo", h, store.DefaultStudy, auth.Viewer); err != nil {
		return err
	}
	if ln, err := net.Listen("tcp", addr); err != nil {
		addr = "127.0.0.1:0" // taken: any free port
	} else {
		ln.Close()
	}
	sf := serveFlags{studyFlags: f, addr: addr}
	return serve(ctx, cmd, st, sf, func(a string) {
		fmt.Fprintf(cmd.OutOrStdout(), "\nThe demo study is served at http://%s/studies/%s/patients/P2\n", a, store.DefaultStudy)
		fmt.Fprintf(cmd.OutOrStdout(), "Sign in as demo with password %s (valid for this run only). Ctrl-C stops and deletes the demo database.\n", pw)
	})
}
