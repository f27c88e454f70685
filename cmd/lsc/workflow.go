package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lsc-bio/lsc/atomicfile"
	"github.com/lsc-bio/lsc/signature"
	"github.com/lsc-bio/lsc/stemcell"
	"github.com/lsc-bio/lsc/study"
	"github.com/lsc-bio/lsc/workflow"
)

type workflowFlags struct {
	stemFlags
	lsc, partition, account, db string
}

func workflowCmd() *cobra.Command {
	c := &cobra.Command{Use: "workflow", Short: "run a study as a Snakemake workflow (workstation or Slurm)"}
	c.AddCommand(workflowInitCmd())
	return c
}

func workflowInitCmd() *cobra.Command {
	var f workflowFlags
	c := &cobra.Command{
		Use:   "init --samples SHEET --signature NAME|FILE [lsc stemcells flags] --out DIR",
		Short: "write a Snakefile, config.yaml and a Slurm profile that run lsc stemcells one job per sample",
		Long: `Writes DIR/Snakefile, DIR/config.yaml and DIR/profiles/slurm (Snakemake 7): one job per sample
(lsc stemcells --only SAMPLE, scoring it into DIR/results/cache, the file lsc stemcells caches it in)
and one gather job (lsc stemcells over the whole sheet, every sample cached) writing DIR/results with
the files of lsc stemcells --out, byte for byte. Takes the flags of lsc stemcells; memory, threads and
runtime per job are estimated from the input sizes and written in config.yaml, to edit.`,
		Args: cobra.NoArgs,
		Example: `  lsc workflow init --samples study.tsv --signature LSPC-Quiescent --method ucell --keep '*-like' --out wf/
  snakemake -s wf/Snakefile --cores 2                        # this machine
  snakemake -s wf/Snakefile --profile wf/profiles/slurm      # Slurm: one sbatch per job`,
		RunE: func(cmd *cobra.Command, args []string) error { return runWorkflowInit(cmd, f) },
	}
	addStemFlags(c, &f.stemFlags)
	fl := c.Flags()
	fl.StringVar(&f.lsc, "lsc", "", "the lsc binary the jobs run (default: this one; on a cluster, a path every node sees)")
	fl.StringVar(&f.partition, "partition", "", "Slurm partition (default: the cluster's)")
	fl.StringVar(&f.account, "account", "", "Slurm account (default: the user's)")
	fl.StringVar(&f.db, "study", "", "the gather job also records the results in this study store")
	return c
}

func runWorkflowInit(cmd *cobra.Command, f workflowFlags) error {
	opt, inOpt, err := f.options(f.method)
	if err != nil {
		return err
	}
	if _, err := f.stemOptions(); err != nil {
		return err
	}
	sigs, err := f.signatures("signature", true)
	if err != nil {
		return err
	}
	sheet, err := study.Read(f.samples, true)
	if err != nil {
		return err
	}
	sheet.DefaultTypeColumn(f.typeCol)
	if err := asUsage(atomicfile.CheckDir(f.out, f.force, workflow.Files...)); err != nil {
		return err
	}
	o := workflow.Options{Version: version, Lsc: f.lsc, Args: forwardFlags(cmd.Flags()), Partition: f.partition, Account: f.account,
		Results: []string{"cells.tsv", "samples.tsv", "patients.tsv", "report.html", "run.json"}}
	if o.Lsc == "" {
		o.Lsc, _ = os.Executable()
	}
	if o.Sheet, err = filepath.Abs(f.samples); err != nil {
		return err
	}
	if f.db != "" {
		o.GatherArgs = []string{"--study", absIfExists(f.db)}
	}
	so := stemcell.ScoreOptions{Score: opt, Input: inOpt}
	for _, s := range sheet.Samples {
		ws, err := workflowSample(s, sigs[0], so)
		if err != nil {
			return err
		}
		o.Samples = append(o.Samples, ws)
	}
	if err := asUsage(workflow.Write(f.out, o, f.force)); err != nil {
		return err
	}
	if !f.quiet {
		sf := filepath.Join(f.out, "Snakefile")
		fmt.Fprintf(cmd.ErrOrStderr(), "lsc: %d per-sample jobs and 1 gather job in %s; run:\n  snakemake -s %s --cores %d\n  snakemake -s %s --profile %s\n",
			len(o.Samples), sf, sf, f.jobs, sf, filepath.Join(f.out, "profiles", "slurm"))
	}
	return nil
}

// workflowSample is one per-sample job: its cache file and resources.
func workflowSample(s study.Sample, sig signature.Signature, so stemcell.ScoreOptions) (workflow.Sample, error) {
	cache, err := stemcell.CachePath(filepath.Join("results", "cache"), s, sig, so)
	if err != nil {
		return workflow.Sample{}, err
	}
	ws := workflow.Sample{ID: s.ID, Cache: filepath.ToSlash(cache)}
	for _, p := range []string{s.Path, s.Annotation} {
		if p == "" {
			continue
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return ws, err
		}
		ws.Inputs = append(ws.Inputs, abs)
		ws.InputBytes += size(p)
	}
	ws.Resources = workflow.SampleResources(ws.InputBytes, denseTable(s.Path))
	return ws, nil
}

// denseTable tells a dense text table (genes x cells, read whole) from the
// streamed formats (10x folder or HDF5, h5ad), which hold memory bounded.
func denseTable(p string) bool {
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		return false
	}
	ext := strings.ToLower(strings.TrimSuffix(p, ".gz"))
	return !strings.HasSuffix(ext, ".h5") && !strings.HasSuffix(ext, ".h5ad")
}

// size is a file's size, or the sum of a folder's files (a 10x folder).
func size(p string) int64 {
	var n int64
	filepath.WalkDir(p, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// notForwarded are flags of workflow init that are not lsc stemcells
// parameters: the workflow sets them per rule, or they are its own.
var notForwarded = map[string]bool{"samples": true, "out": true, "force": true, "quiet": true, "jobs": true,
	"lsc": true, "partition": true, "account": true, "study": true, "help": true}

// forwardFlags returns the stemcells flags given on the command line, as
// --name=value arguments, with file paths made absolute.
func forwardFlags(fs *pflag.FlagSet) []string {
	var args []string
	fs.Visit(func(fl *pflag.Flag) {
		if notForwarded[fl.Name] {
			return
		}
		vals := []string{fl.Value.String()}
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			vals = sv.GetSlice()
		}
		for _, v := range vals {
			if fl.Name == "signature" || fl.Name == "signatures" {
				v = absSignature(v)
			}
			args = append(args, "--"+fl.Name+"="+v)
		}
	})
	return args
}

// absSignature makes the files of a --signature value absolute: FILE,
// FILE:NAME and comma-separated lists of them; built-in names stay.
func absSignature(spec string) string {
	parts := strings.Split(spec, ",")
	for i, p := range parts {
		file, name, _ := strings.Cut(p, ":")
		if j := strings.LastIndex(p, ":"); j > 0 {
			file, name = p[:j], p[j:]
		}
		if _, err := os.Stat(p); err == nil {
			file, name = p, ""
		}
		if _, err := os.Stat(file); err == nil {
			abs, _ := filepath.Abs(file)
			parts[i] = abs + name
		}
	}
	return strings.Join(parts, ",")
}

// absIfExists makes an existing file's path absolute (a SQLite store);
// anything else (a postgres:// URL) stays.
func absIfExists(p string) string {
	if _, err := os.Stat(p); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			return abs
		}
	}
	return p
}
