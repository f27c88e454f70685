package main

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/matrix"
	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
)

// scoringFlags are the flags of every command that scores (score,
// stemcells, cohort, demo), registered by addScoringFlags alone so that
// names, defaults and help read the same everywhere, and any hint a library
// gives (--min-genes, --layer, --method ...) names a flag the command has.
type scoringFlags struct {
	sigs                      string
	method, normalize         string
	layer, genome             string
	raw, ssgseaNorm, separate bool
	maxRank, nbin, ctrl       int
	minGenes, chunk, jobs     int
	aucMaxRank, maxMissing    float64
	seed                      uint64
}

// scoringDefaults are what differs between the commands.
type scoringDefaults struct {
	sigFlag   string // documented spelling: "signatures" (several) or "signature" (one)
	sigHelp   string
	sig       string // default signature ("" = required)
	method    string // "" = chosen from the signature (cohort)
	normalize string
}

// addScoringFlags registers the scoring flags on c. --signature and
// --signatures are one flag: d.sigFlag is documented, the other spelling is
// accepted and hidden.
func addScoringFlags(c *cobra.Command, f *scoringFlags, d scoringDefaults) {
	fl := c.Flags()
	fl.StringVarP(&f.sigs, d.sigFlag, "s", d.sig, d.sigHelp)
	other := "signatures"
	if d.sigFlag == "signatures" {
		other = "signature"
	}
	fl.StringVar(&f.sigs, other, d.sig, d.sigHelp)
	fl.MarkHidden(other)
	fl.BoolVar(&f.separate, "separate-up-down", false, "keep a GMT's NAME_UP and NAME_DOWN (or _DN, any case) as two signatures instead of one up/down NAME")
	mh := "scoring method: " + strings.Join(score.Methods, ", ")
	if d.method == "" {
		mh += " (default weighted for weighted signatures, else singscore)"
	}
	fl.StringVarP(&f.method, "method", "m", d.method, mh)
	fl.StringVar(&f.normalize, "normalize", d.normalize, "auto, log1p-cp10k or none (auto: log1p CP10k when the matrix holds counts)")
	fl.StringVar(&f.layer, "layer", "", "h5ad: score layers/NAME instead of X")
	fl.BoolVar(&f.raw, "raw", false, "h5ad: score raw/X")
	fl.StringVar(&f.genome, "genome", "", "10x .h5 from Cell Ranger 1.x/2.x with several genomes: the one to read")
	fl.IntVar(&f.maxRank, "max-rank", 1500, "ucell: rank cap")
	fl.Float64Var(&f.aucMaxRank, "auc-max-rank", 0.05, "aucell: top genes for the AUC, as a fraction (<1) or a count")
	fl.BoolVar(&f.ssgseaNorm, "ssgsea-norm", true, "ssgsea: divide scores by their range (GSVA default)")
	fl.Uint64Var(&f.seed, "seed", 1, "random seed (modulescore controls; stemcells also the bootstrap)")
	fl.IntVar(&f.nbin, "nbin", 24, "modulescore: expression bins")
	fl.IntVar(&f.ctrl, "ctrl", 100, "modulescore: control genes per signature gene")
	fl.IntVar(&f.minGenes, "min-genes", 1, "fail when fewer signature genes are found")
	fl.Float64Var(&f.maxMissing, "max-missing", 0.5, "fail when a larger fraction of a signature's genes is missing")
	fl.IntVar(&f.chunk, "chunk", score.DefaultChunk, "cells per chunk (memory grows with it)")
	addJobs(fl, &f.jobs)
}

// addJobs registers --jobs, the same on every command.
func addJobs(fl *pflag.FlagSet, jobs *int) {
	fl.IntVarP(jobs, "jobs", "j", runtime.NumCPU(), "threads (defaults to the number of cores)")
}

// addQuiet registers --quiet, the same on every command.
func addQuiet(fl *pflag.FlagSet, quiet *bool) {
	fl.BoolVarP(quiet, "quiet", "q", false, "no progress or notes on stderr")
}

// options checks the flag values (a bad one is a usage error, exit 2) and
// returns them as the libraries take them. method is the method to use
// (f.method, or the one chosen from the signature).
func (f *scoringFlags) options(method string) (score.Options, input.Options, error) {
	norm, err := matrix.ParseNormalization(f.normalize)
	if err != nil {
		return score.Options{}, input.Options{}, usageError{fmt.Errorf("--normalize: %w", err)}
	}
	m, err := score.ParseMethod(method)
	if err != nil {
		return score.Options{}, input.Options{}, usageError{fmt.Errorf("--method: %w", err)}
	}
	switch {
	case f.jobs < 1:
		err = fmt.Errorf("--jobs %d: give 1 or more", f.jobs)
	case f.chunk < 1:
		err = fmt.Errorf("--chunk %d: give 1 or more", f.chunk)
	case f.minGenes < 1:
		err = fmt.Errorf("--min-genes %d: give 1 or more", f.minGenes)
	case !(f.maxMissing >= 0 && f.maxMissing <= 1):
		err = fmt.Errorf("--max-missing %g: give a fraction between 0 and 1", f.maxMissing)
	case f.maxRank < 1:
		err = fmt.Errorf("--max-rank %d: give 1 or more", f.maxRank)
	case !(f.aucMaxRank > 0):
		err = fmt.Errorf("--auc-max-rank %g: give a fraction (<1) or a count", f.aucMaxRank)
	case f.nbin < 1 || f.ctrl < 1:
		err = fmt.Errorf("--nbin and --ctrl: give 1 or more")
	case f.raw && f.layer != "":
		err = fmt.Errorf("--raw and --layer: choose one")
	}
	if err != nil {
		return score.Options{}, input.Options{}, usageError{err}
	}
	so := score.Options{Method: m, MaxRank: f.maxRank, AUCMaxRank: f.aucMaxRank, SSGSEANorm: f.ssgseaNorm,
		Seed: f.seed, NBin: f.nbin, NCtrl: f.ctrl, Normalize: norm, ChunkSize: f.chunk, Workers: f.jobs,
		Limits: signature.Limits{MinGenes: f.minGenes, MaxMissing: f.maxMissing}}
	return so, input.Options{Layer: f.layer, UseRaw: f.raw, Genome: f.genome}, nil
}

// signatures loads the --signature(s) argument; one asks for exactly one.
func (f *scoringFlags) signatures(flag string, one bool) ([]signature.Signature, error) {
	if strings.TrimSpace(f.sigs) == "" {
		return nil, usageError{fmt.Errorf("required flag \"%s\" not set: name a built-in signature ('lsc signatures'), a file, or FILE:NAME", flag)}
	}
	sigs, err := signature.Load(f.sigs, signature.LoadOptions{Separate: f.separate})
	if err != nil {
		return nil, err
	}
	if one && len(sigs) != 1 {
		var names []string
		for _, s := range sigs {
			names = append(names, s.Name)
		}
		return nil, usageError{fmt.Errorf("--%s: give one signature (got %d: %s); pick one from a file with FILE:NAME", flag, len(sigs), strings.Join(names, ", "))}
	}
	return sigs, nil
}
