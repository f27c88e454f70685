package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/adt"
	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/report"
)

func adtCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "adt",
		Short: "surface proteins (CITE-seq antibody counts): normalisation",
	}
	c.AddCommand(adtNormalizeCmd())
	return c
}

type adtFlags struct {
	method, empty, out string
	margin             int
	force, quiet       bool
}

func adtNormalizeCmd() *cobra.Command {
	var f adtFlags
	c := &cobra.Command{
		Use:   "normalize INPUT --method clr --margin 1|2 --out F.tsv",
		Short: "normalise antibody counts (Seurat CLR, margin 1 or 2)",
		Long: `Reads antibody (ADT) counts: the Antibody Capture features of a 10x folder or .h5, or every feature of
an h5ad or a dense table with antibodies in rows, and writes 'cell' then one column per antibody, in
input order (the layout of lsc score).

--method clr is Seurat's NormalizeData(normalization.method = "CLR"): log1p(x / exp(sum(log1p(x[x>0])) /
length(x))) along --margin 1 (each antibody across cells, Seurat's default) or 2 (each cell across
antibodies, as Rade et al. 2024). Equal to Seurat to 1e-9 on the CBMC CITE-seq data (adt/testdata).
--method dsb needs the empty droplets (--empty RAW) and is not available yet.`,
		Args:    cobra.ExactArgs(1),
		Example: `  lsc adt normalize filtered_feature_bc_matrix/ --method clr --margin 2 --out adt_clr.tsv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.method == "dsb" {
				if f.empty == "" {
					return usageError{errors.New("--method dsb needs the raw (empty-droplet) matrix: --empty RAW")}
				}
				return errors.New("--method dsb is not available in this version of lsc; use --method clr")
			}
			if f.method != "clr" {
				return usageError{fmt.Errorf("unknown --method %q (use clr)", f.method)}
			}
			if f.margin != 1 && f.margin != 2 {
				return usageError{fmt.Errorf("--margin %d: %w", f.margin, adt.ErrMargin)}
			}
			if err := refuseOverwrite(f.out, f.force); err != nil {
				return err
			}
			src, err := input.Open(args[0], input.Options{})
			if err != nil {
				return err
			}
			defer src.Close()
			m, err := adt.FromSource(src)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			n, err := adt.CLR(m, f.margin)
			if err != nil {
				return err
			}
			return writeAtomic(f.out, cmd.OutOrStdout(), func(w io.Writer) error { return report.ADTTable(w, n) })
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.method, "method", "clr", "clr (or dsb, not yet available)")
	fl.IntVar(&f.margin, "margin", 1, "clr: 1 = per antibody across cells, 2 = per cell")
	fl.StringVar(&f.empty, "empty", "", "dsb: raw matrix with the empty droplets")
	fl.StringVarP(&f.out, "out", "o", "", "output TSV (stdout when empty or -)")
	fl.BoolVar(&f.force, "force", false, "replace an existing --out")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress messages")
	return c
}
