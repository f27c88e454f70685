package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/adt"
	"github.com/lsc-bio/lsc/atomicfile"
	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/report"
)

func adtCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "adt",
		Short: "surface proteins (CITE-seq antibody counts): normalisation (CLR, dsb), positivity per marker",
		Long: `Surface proteins from CITE-seq antibody (ADT) counts.

  normalize  Seurat's CLR (margin 1 or 2), or dsb 2.0.1 (Mule et al., Nat Commun 2022) with the empty
             droplets (--method dsb --empty RAW [--isotypes A,B] [--no-denoise] [--pseudocount 10])
  positive   per marker threshold and per cell call: a quantile of an isotype control or of an FMO-like
             control sample, or where a 2-component Gaussian mixture's posteriors cross (mclust's EM)

Checked against Seurat 4.3.0, dsb 2.0.1 and mclust 6.0 in R (adt/testdata).`,
	}
	c.AddCommand(adtNormalizeCmd(), adtPositiveCmd())
	return c
}

type adtFlags struct {
	method, empty, out, scale string
	isotypes                  []string
	margin                    int
	pseudocount               float64
	emptyMin, emptyMax        float64
	noDenoise, force, quiet   bool
}

func adtNormalizeCmd() *cobra.Command {
	var f adtFlags
	c := &cobra.Command{
		Use:   "normalize INPUT (--method clr --margin 1|2 | --method dsb --empty RAW) --out F.tsv",
		Short: "normalise antibody counts (Seurat CLR, margin 1 or 2; dsb with empty droplets)",
		Long: `Reads antibody (ADT) counts: the Antibody Capture features of a 10x folder or .h5, or every feature of
an h5ad or a dense table with antibodies in rows, and writes 'cell' then one column per antibody, in
input order (the layout of lsc score).

--method clr is Seurat's NormalizeData(normalization.method = "CLR"): log1p(x / exp(sum(log1p(x[x>0])) /
length(x))) along --margin 1 (each antibody across cells, Seurat's default) or 2 (each cell across
antibodies, as Rade et al. 2024). Equal to Seurat to 1e-9 on the CBMC CITE-seq data (adt/testdata).

--method dsb is dsb 2.0.1's DSBNormalizeProtein (Mule, Martins & Tsang, Nat Commun 2022): needs the
empty droplets, --empty RAW (any input lsc reads: an empty-droplet matrix, or the raw 10x matrix, whose
barcodes that are cells of INPUT are left out; --empty-min/--empty-max keep droplets by ADT total, e.g.
the dsb vignette's 10^1.5 to 10^3). Step I: log(x + --pseudocount) minus the empty droplets' mean, divided
by their SD (--scale standardize) or not (--scale mean-subtract). Step II (unless --no-denoise): per cell,
a 2-component Gaussian mixture over its proteins (mclust's EM, model E or V by BIC) gives the background
mean; with --isotypes it is joined to the isotype controls by their first principal component; that
technical component is regressed out of every protein (limma removeBatchEffect). Equal to dsb in R to
1e-9 on dsb's example data (adt/testdata/dsb).`,
		Args: cobra.ExactArgs(1),
		Example: `  lsc adt normalize filtered_feature_bc_matrix/ --method clr --margin 2 --out adt_clr.tsv
  lsc adt normalize filtered_feature_bc_matrix/ --method dsb --empty raw_feature_bc_matrix/ \
      --empty-min 31.6 --empty-max 1000 --isotypes IgG1,IgG2a,IgG2b --out adt_dsb.tsv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch f.method {
			case "clr":
				if f.margin != 1 && f.margin != 2 {
					return usageError{fmt.Errorf("--margin %d: %w", f.margin, adt.ErrMargin)}
				}
			case "dsb":
				if f.empty == "" {
					return usageError{errors.New("--method dsb needs the empty droplets: --empty RAW (the raw_feature_bc_matrix, or a matrix of empty droplets); without them use --method clr")}
				}
				if f.scale != "standardize" && f.scale != "mean-subtract" {
					return usageError{fmt.Errorf("--scale %q: use standardize or mean-subtract", f.scale)}
				}
			default:
				return usageError{fmt.Errorf("unknown --method %q (use clr or dsb)", f.method)}
			}
			if err := refuseOverwrite(f.out, f.force); err != nil {
				return err
			}
			m, err := readADT(args[0])
			if err != nil {
				return err
			}
			var n *adt.Matrix
			if f.method == "clr" {
				if n, err = adt.CLR(m, f.margin); err != nil {
					return err
				}
			} else {
				src, err := input.Open(f.empty, input.Options{})
				if err != nil {
					return err
				}
				empty, err := adt.ReadEmptyDroplets(src, m, f.emptyMin, f.emptyMax)
				src.Close()
				if err != nil {
					return fmt.Errorf("--empty %s: %w", f.empty, err)
				}
				if !f.quiet && !f.noDenoise && len(f.isotypes) == 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), "lsc: dsb without --isotypes: the technical component is the background mean alone (dsb advises isotype controls when the panel has them%s)\n", isotypeHint(m.Antibodies))
				}
				var st *adt.DSBStats
				n, st, err = adt.DSB(m, empty, adt.DSBOptions{Pseudocount: f.pseudocount, MeanSubtract: f.scale == "mean-subtract", NoDenoise: f.noDenoise, Isotypes: f.isotypes})
				if err != nil {
					return err
				}
				if !f.quiet {
					fmt.Fprintf(cmd.ErrOrStderr(), "lsc: dsb: %d cells, %d empty droplets, %d antibodies\n", len(m.Cells), len(empty.Cells), len(m.Antibodies))
					if len(st.LowSD) > 0 {
						fmt.Fprintf(cmd.ErrOrStderr(), "lsc: dsb: background SD < 0.05 for %s: check their raw and normalised distributions (or --scale mean-subtract)\n", strings.Join(st.LowSD, ", "))
					}
				}
			}
			return writeAtomic(f.out, cmd.OutOrStdout(), func(w io.Writer) error { return report.ADTTable(w, n) })
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.method, "method", "clr", "clr or dsb")
	fl.IntVar(&f.margin, "margin", 1, "clr: 1 = per antibody across cells, 2 = per cell")
	fl.StringVar(&f.empty, "empty", "", "dsb: empty droplets, or the raw matrix (INPUT's cells are left out)")
	fl.Float64Var(&f.emptyMin, "empty-min", 0, "dsb: keep empty droplets with at least this ADT total")
	fl.Float64Var(&f.emptyMax, "empty-max", 0, "dsb: keep empty droplets with at most this ADT total (0 = no limit)")
	fl.StringSliceVar(&f.isotypes, "isotypes", nil, "dsb: isotype control antibodies (comma-separated) for the technical component")
	fl.BoolVar(&f.noDenoise, "no-denoise", false, "dsb: step I only (no per-cell technical component)")
	fl.Float64Var(&f.pseudocount, "pseudocount", 10, "dsb: added to counts before the log")
	fl.StringVar(&f.scale, "scale", "standardize", "dsb: standardize (by the empty droplets' SD) or mean-subtract")
	fl.StringVarP(&f.out, "out", "o", "", "output TSV (stdout when empty or -)")
	fl.BoolVar(&f.force, "force", false, "replace an existing --out")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress messages")
	return c
}

func readADT(path string) (*adt.Matrix, error) {
	src, err := input.Open(path, input.Options{})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	m, err := adt.FromSource(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// isotypeHint names antibodies that look like isotype controls (dsb's
// pattern).
func isotypeHint(abs []string) string {
	re := regexp.MustCompile(`sotype|Iso|iso|control|CTRL|ctrl|Ctrl|ontrol|IgG`)
	var hit []string
	for _, a := range abs {
		if re.MatchString(a) {
			hit = append(hit, a)
		}
	}
	if len(hit) == 0 {
		return ""
	}
	return "; candidates in this panel: " + strings.Join(hit, ",")
}

type adtPosFlags struct {
	controls, isotype, fmo, out string
	pairs, models               []string
	quantile                    float64
	force, quiet                bool
}

var adtPosOutputs = []string{"positive.tsv", "thresholds.tsv"}

func adtPositiveCmd() *cobra.Command {
	var f adtPosFlags
	c := &cobra.Command{
		Use:   "positive TABLE --controls isotype|fmo|mixture --out DIR",
		Short: "call each cell positive or negative per marker (isotype/FMO control quantile or 2-component mixture)",
		Long: `Reads normalised antibody values, cells in rows (the output of lsc adt normalize, or any table with
'cell' then one column per antibody), sets a threshold per marker and calls a cell positive when its
value is above it.

--controls isotype: the threshold is the --quantile (default 0.99; R's quantile type 7) of an isotype
control antibody in the same cells, --isotype NAME for every marker, or --pair MARKER=CONTROL per marker
(control columns are not called themselves), as flow cytometry gates are set on an isotype control.
--controls fmo: the threshold is that quantile of the same antibody in a control sample's table (--fmo
TABLE, same layout), like a fluorescence-minus-one control.
--controls mixture: a 2-component Gaussian mixture per marker, fitted by EM as mclust's
Mclust(x, G = 2) (models E and V, best BIC; --model E or V to fix one), started from all values (Mclust
draws a random 2,000-value subset on larger data; R's mclust.options(subset = Inf) matches lsc); the
threshold is where the two weighted component densities (so the posteriors) cross, the high component
taking over. Equal to mclust in R to 1e-9 on CLR-normalised CBMC CITE-seq data (adt/testdata).

DIR: positive.tsv (cell, then 1/0 per marker; NA when no threshold could be set), thresholds.tsv
(antibody, method, control, threshold, positive, cells, fraction_positive, and the mixture's means,
variances, proportions (low component first) and BIC; note says why a marker was not called).`,
		Args: cobra.ExactArgs(1),
		Example: `  lsc adt positive adt_dsb.tsv --controls mixture --out pos/
  lsc adt positive adt_clr.tsv --controls isotype --isotype IgG1 --quantile 0.99 --out pos/
  lsc adt positive patient_clr.tsv --controls fmo --fmo unstained_clr.tsv --out pos/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o := adt.PositiveOptions{Method: f.controls, Isotype: f.isotype, Quantile: f.quantile, Models: f.models}
			switch f.controls {
			case adt.ControlIsotype:
				if f.isotype == "" && len(f.pairs) == 0 {
					return usageError{errors.New("--controls isotype needs --isotype NAME or --pair MARKER=CONTROL")}
				}
				o.Pairs = map[string]string{}
				for _, p := range f.pairs {
					k, v, ok := strings.Cut(p, "=")
					if !ok || k == "" || v == "" {
						return usageError{fmt.Errorf("--pair %q: give MARKER=CONTROL", p)}
					}
					o.Pairs[k] = v
				}
			case adt.ControlFMO:
				if f.fmo == "" {
					return usageError{errors.New("--controls fmo needs the control sample's table: --fmo TABLE")}
				}
			case adt.ControlMixture:
				for _, m := range f.models {
					if m != "E" && m != "V" {
						return usageError{fmt.Errorf("--model %q: use E (equal variances) or V (unequal)", m)}
					}
				}
			default:
				return usageError{fmt.Errorf("--controls %q: use isotype, fmo or mixture", f.controls)}
			}
			if f.controls != adt.ControlMixture && (f.quantile <= 0 || f.quantile >= 1) {
				return usageError{fmt.Errorf("--quantile %v: give a value between 0 and 1, e.g. 0.99", f.quantile)}
			}
			if err := asUsage(atomicfile.CheckDir(f.out, f.force, adtPosOutputs...)); err != nil {
				return err
			}
			m, err := readTable(args[0])
			if err != nil {
				return err
			}
			if f.fmo != "" {
				if o.FMO, err = readTable(f.fmo); err != nil {
					return err
				}
			}
			p, err := adt.Positive(m, o)
			if err != nil {
				return usageError{err}
			}
			if err := writeDir(f.out, true, []outFile{
				{Name: "positive.tsv", Fill: func(w io.Writer) error { return report.ADTPositive(w, p) }},
				{Name: "thresholds.tsv", Fill: func(w io.Writer) error { return report.ADTThresholds(w, p) }},
			}); err != nil {
				return err
			}
			if !f.quiet {
				fmt.Fprintf(cmd.ErrOrStderr(), "lsc: %d cells, %d markers called\n", len(p.Cells), len(p.Thresholds))
			}
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.controls, "controls", "", "isotype, fmo or mixture")
	fl.StringVar(&f.isotype, "isotype", "", "isotype: control antibody for every marker")
	fl.StringArrayVar(&f.pairs, "pair", nil, "isotype: MARKER=CONTROL (repeatable)")
	fl.StringVar(&f.fmo, "fmo", "", "fmo: the control sample's normalised table")
	fl.Float64Var(&f.quantile, "quantile", 0.99, "isotype/fmo: quantile of the control (R type 7)")
	fl.StringSliceVar(&f.models, "model", nil, "mixture: E and/or V (default both, best BIC)")
	fl.StringVarP(&f.out, "out", "o", "", "output directory")
	fl.BoolVar(&f.force, "force", false, "replace existing result files in --out")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress messages")
	c.MarkFlagRequired("controls")
	c.MarkFlagRequired("out")
	return c
}

func readTable(path string) (*adt.Matrix, error) {
	r, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return adt.ReadTable(r, path)
}
