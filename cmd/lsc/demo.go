package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/demo"
	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
	"github.com/lsc-bio/lsc/store"
)

func demoCmd() *cobra.Command {
	var method string
	c := &cobra.Command{
		Use:   "demo",
		Short: "score stem-cell signatures on the embedded AML demo sample",
		Long: `Score LSPC-Quiescent and LSC104 on van Galen 2019 sample AML870-D0 (345 cells, embedded), then compare
the authors' HSC-like malignant cells with the other malignant cells. Writes nothing to disk but a
temporary copy of the demo files.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := os.MkdirTemp("", "lsc-demo")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			path, err := demo.Extract(dir)
			if err != nil {
				return err
			}
			src, err := input.Open(path, input.Options{})
			if err != nil {
				return err
			}
			defer src.Close()
			sigs, err := signature.Load("LSPC-Quiescent,LSC104")
			if err != nil {
				return err
			}
			res, err := score.Run(src, sigs, score.Options{Method: method, SSGSEANorm: true, Seed: 1})
			if err != nil {
				return err
			}
			types, err := readAnno(dir + "/" + strings.TrimPrefix(demo.Annotation, "data/"))
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "van Galen 2019 AML870-D0: %d cells x %d genes; method %s\n", len(res.Cells), len(src.Features()), method)
			fmt.Fprintf(w, "%-16s %6s", "cell type", "cells")
			for _, s := range res.Signatures {
				fmt.Fprintf(w, " %16s", s.Sig.Name)
			}
			fmt.Fprintln(w)
			groups := map[string][]int{}
			for c, cell := range res.Cells {
				groups[types[cell]] = append(groups[types[cell]], c)
			}
			var names []string
			for k := range groups {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, g := range names {
				fmt.Fprintf(w, "%-16s %6d", g, len(groups[g]))
				for s := range res.Signatures {
					var m float64
					for _, c := range groups[g] {
						m += res.Scores[s][c]
					}
					fmt.Fprintf(w, " %16.4f", m/float64(len(groups[g])))
				}
				fmt.Fprintln(w)
			}
			fmt.Fprintln(w, "(mean score per CellType of the authors' annotation: the stem/progenitor-like malignant cells, HSC-like and Prog-like, score highest)")
			return nil
		},
	}
	c.Flags().StringVarP(&method, "method", "m", "ucell", "scoring method")
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

// readAnno returns cell -> CellType (with malignant/normal from PredictionRefined).
func readAnno(path string) (map[string]string, error) {
	l, err := formats.NewLines(path)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	head, err := l.Next()
	if err != nil {
		return nil, err
	}
	h := strings.Split(string(head), "\t")
	ct, pr := -1, -1
	for i, x := range h {
		switch x {
		case "CellType":
			ct = i
		case "PredictionRefined":
			pr = i
		}
	}
	if ct < 0 || pr < 0 {
		return nil, fmt.Errorf("%s: no CellType or PredictionRefined column", path)
	}
	out := map[string]string{}
	for {
		line, err := l.Next()
		if err != nil {
			break
		}
		f := strings.Split(string(line), "\t")
		if len(f) > max(ct, pr) {
			t := f[ct]
			if f[pr] != "malignant" {
				t = f[pr]
			}
			out[f[0]] = t
		}
	}
	return out, nil
}
