package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/matrix"
	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
)

type scoreFlags struct {
	sigs, method, out, normalize, layer, genome string
	raw, quiet, ssgseaNorm, force               bool
	maxRank, minGenes, nbin, ctrl, chunk, jobs  int
	aucMaxRank, maxMissing                      float64
	seed                                        uint64
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

--signatures takes built-in names separated by commas (see 'lsc signatures') or a file: a GMT
(NAME_UP with NAME_DN/NAME_DOWN become one up/down signature) or a gene<TAB>weight list.`,
		Example: `  lsc score sample/filtered_feature_bc_matrix --signatures LSPC-Quiescent,LSC104 --method ucell --out scores.tsv
  lsc score cohort_log2.tsv --signatures LSC17 --method weighted --normalize none --out lsc17.tsv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runScore(cmd, args[0], f) },
	}
	fl := c.Flags()
	fl.StringVarP(&f.sigs, "signatures", "s", "", "built-in names (comma-separated) or a GMT / gene<TAB>weight file (required)")
	fl.StringVarP(&f.method, "method", "m", "ucell", "scoring method: "+strings.Join(score.Methods, ", "))
	fl.StringVarP(&f.out, "out", "o", "-", "output TSV (- for stdout)")
	fl.BoolVar(&f.force, "force", false, "overwrite --out if it exists")
	fl.StringVar(&f.normalize, "normalize", "auto", "auto, log1p-cp10k or none (auto: log1p CP10k when the matrix holds counts)")
	fl.StringVar(&f.layer, "layer", "", "h5ad: score layers/NAME instead of X")
	fl.BoolVar(&f.raw, "raw", false, "h5ad: score raw/X")
	fl.StringVar(&f.genome, "genome", "", "10x .h5 from Cell Ranger 1.x/2.x with several genomes: the one to read")
	fl.IntVar(&f.maxRank, "max-rank", 1500, "ucell: rank cap")
	fl.Float64Var(&f.aucMaxRank, "auc-max-rank", 0.05, "aucell: top genes for the AUC, as a fraction (<1) or a count")
	fl.BoolVar(&f.ssgseaNorm, "ssgsea-norm", true, "ssgsea: divide scores by their range (GSVA default)")
	fl.Uint64Var(&f.seed, "seed", 1, "modulescore: seed of the control-gene draw")
	fl.IntVar(&f.nbin, "nbin", 24, "modulescore: expression bins")
	fl.IntVar(&f.ctrl, "ctrl", 100, "modulescore: control genes per signature gene")
	fl.IntVar(&f.minGenes, "min-genes", 1, "fail when fewer signature genes are found")
	fl.Float64Var(&f.maxMissing, "max-missing", 0.5, "fail when a larger fraction of a signature's genes is missing")
	fl.IntVar(&f.chunk, "chunk", 1024, "cells per chunk (memory grows with it)")
	fl.IntVarP(&f.jobs, "jobs", "j", 0, "scoring threads (default: all cores)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress or notes on stderr")
	c.MarkFlagRequired("signatures")
	return c
}

func runScore(cmd *cobra.Command, in string, f scoreFlags) error {
	norm, err := matrix.ParseNormalization(f.normalize)
	if err != nil {
		return usageError{err}
	}
	if f.out != "-" && !f.force {
		if _, err := os.Stat(f.out); err == nil {
			return usageError{fmt.Errorf("%s exists: choose another --out or add --force", f.out)}
		}
	}
	sigs, err := signature.Load(f.sigs)
	if err != nil {
		return err
	}
	logf := func(format string, a ...any) {
		if !f.quiet {
			fmt.Fprintf(os.Stderr, format+"\n", a...)
		}
	}
	src, err := input.Open(in, input.Options{Layer: f.layer, UseRaw: f.raw, Genome: f.genome})
	if err != nil {
		return err
	}
	defer src.Close()
	if d, ok := src.(matrix.Described); ok {
		inf := d.Info()
		notes := ""
		if len(inf.Notes) > 0 {
			notes = " (" + strings.Join(inf.Notes, "; ") + ")"
		}
		logf("lsc: %s (%s, %s): %d cells x %d genes%s", in, inf.Format, inf.Matrix, len(src.CellNames()), len(src.Features()), notes)
	}
	opt := score.Options{Method: f.method, MaxRank: f.maxRank, AUCMaxRank: f.aucMaxRank, SSGSEANorm: f.ssgseaNorm,
		Seed: f.seed, NBin: f.nbin, NCtrl: f.ctrl, Normalize: norm, ChunkSize: f.chunk, Workers: f.jobs,
		Limits: signature.Limits{MinGenes: f.minGenes, MaxMissing: f.maxMissing}}
	if !f.quiet {
		opt.Progress = progress(len(src.CellNames()))
	}
	start := time.Now()
	res, err := score.Run(src, sigs, opt)
	if !f.quiet && term.IsTerminal(int(os.Stderr.Fd())) {
		fmt.Fprintln(os.Stderr)
	}
	if err != nil {
		return err
	}
	for _, l := range res.Log {
		logf("lsc: %s", l)
	}
	logf("lsc: scored %d signatures on %d cells with %s in %s", len(res.Signatures), len(res.Cells), res.Method, time.Since(start).Round(time.Millisecond))
	return writeAtomic(f.out, cmd.OutOrStdout(), func(w io.Writer) error { return WriteTSV(w, res) })
}

// WriteTSV writes the public score table: cell, then one column per signature.
func WriteTSV(w io.Writer, res *score.Result) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("cell")
	for _, s := range res.Signatures {
		bw.WriteString("\t" + s.Sig.Name)
	}
	bw.WriteByte('\n')
	// Numbers are formatted in blocks of cells on all cores (formatting 50
	// million floats took 5 s on one) and written in cell order.
	const block = 4096
	nb := (len(res.Cells) + block - 1) / block
	out := make([]chan []byte, nb)
	for i := range out {
		out[i] = make(chan []byte, 1)
	}
	sem := make(chan struct{}, runtime.GOMAXPROCS(0)+1)
	go func() {
		for b := range nb {
			sem <- struct{}{}
			go func() {
				var buf []byte
				for c := b * block; c < min(len(res.Cells), (b+1)*block); c++ {
					buf = append(buf, res.Cells[c]...)
					for s := range res.Signatures {
						buf = append(buf, '\t')
						buf = strconv.AppendFloat(buf, res.Scores[s][c], 'g', -1, 64)
					}
					buf = append(buf, '\n')
				}
				out[b] <- buf
			}()
		}
	}()
	for b := range nb {
		bw.Write(<-out[b])
		<-sem
	}
	return bw.Flush()
}

// progress returns a callback drawing a bar on a terminal stderr, and
// nothing otherwise (logs stay clean in pipelines).
func progress(total int) func(done, total int) {
	if !term.IsTerminal(int(os.Stderr.Fd())) || total == 0 {
		return nil
	}
	last := time.Time{}
	return func(done, total int) {
		if time.Since(last) < 100*time.Millisecond && done < total {
			return
		}
		last = time.Now()
		w := 40
		k := done * w / total
		fmt.Fprintf(os.Stderr, "\r[%s%s] %d/%d cells", strings.Repeat("=", k), strings.Repeat(" ", w-k), done, total)
	}
}
