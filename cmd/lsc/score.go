package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/matrix"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/store"
)

type scoreFlags struct {
	scoringFlags
	out          string
	quiet, force bool
	study        string // --study DB: also record the scores in a study store
	sopt         store.ScoreOptions
}

func scoreCmd() *cobra.Command {
	var f scoreFlags
	c := &cobra.Command{
		Use:   "score INPUT",
		Short: "score gene signatures per cell or bulk sample",
		Long: `Score gene signatures on INPUT: a 10x MTX folder, a 10x .h5, an AnnData .h5ad, or a dense TSV/CSV
matrix with genes in rows (plain or gzip). Writes a TSV: column 'cell' (barcode or sample name), then one
column per signature in the order given.

Methods (see README for their references and exact agreement):
  ucell        UCell 2.17 Mann-Whitney U over ranks capped at --max-rank
  aucell       AUCell AUC of the recovery curve in the top --auc-max-rank genes
  singscore    singscore simpleScore (up, or up/down sets)
  ssgsea       GSVA 1.46 ssGSEA (alpha 0.25), --ssgsea-norm divides by the score range
  zscore       GSVA 1.46 zscore
  modulescore  Seurat AddModuleScore (24 bins, 100 controls per gene, --seed)
  weighted     sum of weight x expression (LSC17 and other linear scores)
  mean         mean normalised expression of the set

--signatures takes comma-separated items: built-in names (see 'lsc signatures'), files (a GMT, where
NAME_UP with NAME_DN/NAME_DOWN become one up/down signature unless --separate-up-down, or a
gene<TAB>weight list), and FILE:NAME to pick sets of a file (FILE:A,B takes A and B from FILE);
e.g. --signatures my_sets.gmt:STEM_UP,LSC17.`,
		Example: `  lsc score sample/filtered_feature_bc_matrix --signatures LSPC-Quiescent,LSC104 --method ucell --out scores.tsv
  lsc score cohort_log2.tsv --signatures LSC17 --method weighted --normalize none --out lsc17.tsv
  lsc score sample.h5ad --layer counts --signatures my_sets.gmt:STEM,LSC104 --method singscore --out s.tsv
  lsc score P7-D0/ --signatures LSPC-Quiescent --out P7-D0.tsv --study study.db --patient P7 --sample P7-D0 --date 2020-01-02`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runScore(cmd, args[0], f) },
	}
	addScoringFlags(c, &f.scoringFlags, scoringDefaults{sigFlag: "signatures", method: "ucell", normalize: "auto",
		sigHelp: "built-in names, files (GMT or gene<TAB>weight) and FILE:NAME picks, comma-separated (required)"})
	fl := c.Flags()
	fl.StringVarP(&f.out, "out", "o", "-", "output TSV (- for stdout)")
	fl.BoolVar(&f.force, "force", false, "overwrite --out if it exists")
	addQuiet(fl, &f.quiet)
	fl.StringVar(&f.study, "study", "", "also record the scores in this study store (SQLite file or postgres:// URL; needs --out, --patient, --sample; see lsc study import --kind score)")
	addScoreSampleFlags(c, &f.sopt)
	return c
}

func runScore(cmd *cobra.Command, in string, f scoreFlags) error {
	if f.study == "" {
		if fl := scoreSampleGiven(f.sopt); fl != "" {
			return usageError{fmt.Errorf("%s names the sample recorded with --study DB: give --study too, or drop it", fl)}
		}
		return scoreTo(cmd, in, f)
	}
	if f.out == "-" {
		return usageError{fmt.Errorf("--study needs --out FILE (the TSV recorded in the store)")}
	}
	if err := checkScoreSample(f.sopt); err != nil {
		return err
	}
	ctx := cmd.Context()
	st, err := store.Open(ctx, f.study, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := store.Check(ctx, st); err != nil {
		return err
	}
	if err := scoreTo(cmd, in, f); err != nil {
		return err
	}
	r, err := st.ImportScores(ctx, store.DefaultStudy, f.out, f.sopt)
	if err != nil {
		return fmt.Errorf("scores written to %s, but not recorded in %s: %w", f.out, f.study, err)
	}
	importFlags{}.logImport(cmd, f.out, r)
	return nil
}

func scoreTo(cmd *cobra.Command, in string, f scoreFlags) error {
	opt, inOpt, err := f.options(f.method)
	if err != nil {
		return err
	}
	sigs, err := f.signatures("signatures", false)
	if err != nil {
		return err
	}
	if f.out != "-" {
		if err := refuseOverwrite(f.out, f.force); err != nil {
			return err
		}
	}
	stderr := cmd.ErrOrStderr()
	logf := func(format string, a ...any) {
		if !f.quiet {
			fmt.Fprintf(stderr, format+"\n", a...)
		}
	}
	src, err := input.Open(in, inOpt)
	if err != nil {
		return err
	}
	defer src.Close()
	logInput(logf, in, src)
	if !f.quiet {
		opt.Progress = progress(stderr, len(src.CellNames()))
	}
	start := time.Now()
	res, err := score.Run(src, sigs, opt)
	if opt.Progress != nil {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return err
	}
	for _, l := range res.Log {
		logf("lsc: %s", l)
	}
	logf("lsc: scored %d signatures on %d cells with %s in %s", len(res.Signatures), len(res.Cells), res.Method, time.Since(start).Round(time.Millisecond))
	return writeAtomic(f.out, cmd.OutOrStdout(), func(w io.Writer) error { return report.Scores(w, res) })
}

// logInput says what was read: format, matrix, size and the reader's notes.
func logInput(logf func(string, ...any), in string, src matrix.Source) {
	d, ok := src.(matrix.Described)
	if !ok {
		return
	}
	inf := d.Info()
	notes := ""
	if len(inf.Notes) > 0 {
		notes = " (" + strings.Join(inf.Notes, "; ") + ")"
	}
	logf("lsc: %s (%s, %s): %d cells x %d genes%s", in, inf.Format, inf.Matrix, len(src.CellNames()), len(src.Features()), notes)
}

// progress returns a callback drawing a bar when w is a terminal, and nil
// otherwise (logs stay clean in pipelines).
func progress(w io.Writer, total int) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || total == 0 {
		return nil
	}
	last := time.Time{}
	return func(done, total int) {
		if time.Since(last) < 100*time.Millisecond && done < total {
			return
		}
		last = time.Now()
		const width = 40
		k := done * width / total
		fmt.Fprintf(w, "\r[%s%s] %d/%d cells", strings.Repeat("=", k), strings.Repeat(" ", width-k), done, total)
	}
}
