package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lsc-bio/lsc/atomicfile"
	"github.com/lsc-bio/lsc/flowstudy"
	"github.com/lsc-bio/lsc/mrd"
	"github.com/lsc-bio/lsc/signature"
	"github.com/lsc-bio/lsc/stemcell"
	"github.com/lsc-bio/lsc/study"
	"github.com/lsc-bio/lsc/workflow"
)

type workflowFlags struct {
	stemFlags
	lsc, partition, account, db string
	flow                        flowCompartmentsFlags
	mrd                         mrdFlags
}

func workflowCmd() *cobra.Command {
	c := &cobra.Command{Use: "workflow", Short: "run a study as a Snakemake workflow (workstation or Slurm)"}
	c.AddCommand(workflowInitCmd())
	return c
}

func workflowInitCmd() *cobra.Command {
	var f workflowFlags
	c := &cobra.Command{
		Use:   "init [--samples SHEET --signature NAME|FILE [lsc stemcells flags]] [--flow SHEET] [--mrd DATA] --out DIR",
		Short: "write a Snakefile, config.yaml and a Slurm profile: one job per sample, FCS file and patient, then gather",
		Long: `Writes DIR/Snakefile, DIR/config.yaml and DIR/profiles/slurm (Snakemake 7): one job per sample
(lsc stemcells --only SAMPLE, scoring it into DIR/results/cache, the file lsc stemcells caches it in)
and one gather job (lsc stemcells over the whole sheet, every sample cached) writing DIR/results with
the files of lsc stemcells --out, byte for byte. Takes the flags of lsc stemcells; memory, threads and
runtime per job are estimated from the input sizes and written in config.yaml, to edit.

--flow SHEET adds lsc flow compartments: one job per FCS file of the sheet (--only SAMPLE, a part in
DIR/results/flow/cache) and a gather job writing DIR/results/flow with the files of lsc flow
compartments --out; --flow-template, --flow-control, --flow-quantile and --flow-comp are its
--template, --control, --quantile and --comp. --mrd DATA adds lsc mrd assess: one job per patient
(--only PATIENT, the patient's page in DIR/results/mrd/cache) and a gather job writing
DIR/results/mrd; --mrd-patients and --mrd-as-of are its --patients and --as-of (its other flags keep
their defaults). Each gathered folder is byte-identical to the command run in one process. The part
files' names hold every parameter: after changing one, run lsc workflow init --force again.
--study DB adds a last job: lsc study import --db DB over every results folder.`,
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
	fl.StringVar(&f.db, "study", "", "a last job imports every results folder into this study store (lsc study import --db)")
	fl.StringVar(&f.flow.samples, "flow", "", "flow sample sheet (sample, patient, timepoint, path): lsc flow compartments, one job per FCS file")
	fl.StringVar(&f.flow.tmplPath, "flow-template", "", "lsc flow compartments --template")
	fl.StringVar(&f.flow.control, "flow-control", "", "lsc flow compartments --control")
	fl.Float64Var(&f.flow.quantile, "flow-quantile", 0.995, "lsc flow compartments --quantile")
	fl.StringVar(&f.flow.comp, "flow-comp", "spill", "lsc flow compartments --comp")
	fl.StringVar(&f.mrd.data, "mrd", "", "MRD measurement sheet: lsc mrd assess, one job per patient")
	fl.StringVar(&f.mrd.patients, "mrd-patients", "", "lsc mrd assess --patients")
	fl.StringVar(&f.mrd.asOf, "mrd-as-of", "", "lsc mrd assess --as-of")
	delete(fl.Lookup("samples").Annotations, cobra.BashCompOneRequiredFlag)
	return c
}

func runWorkflowInit(cmd *cobra.Command, f workflowFlags) error {
	if f.samples == "" && f.flow.samples == "" && f.mrd.data == "" {
		return usageError{fmt.Errorf("give --samples SHEET (lsc stemcells), --flow SHEET, --mrd DATA, or several")}
	}
	if err := asUsage(atomicfile.CheckDir(f.out, f.force, workflow.Files...)); err != nil {
		return err
	}
	o := workflow.Options{Version: version, Lsc: f.lsc, Partition: f.partition, Account: f.account,
		Results: []string{"cells.tsv", "samples.tsv", "patients.tsv", "report.html", "run.json"}}
	if o.Lsc == "" {
		o.Lsc, _ = os.Executable()
	}
	if f.db != "" {
		o.Study = absIfExists(f.db)
	}
	if f.samples != "" {
		if err := stemcellsJobs(cmd, f, &o); err != nil {
			return err
		}
	}
	var err error
	if f.flow.samples != "" {
		if o.Flow, err = flowJobs(f.flow); err != nil {
			return err
		}
	}
	if f.mrd.data != "" {
		if o.MRD, err = mrdJobs(f.mrd); err != nil {
			return err
		}
	}
	if err := asUsage(workflow.Write(f.out, o, f.force)); err != nil {
		return err
	}
	if !f.quiet {
		sf := filepath.Join(f.out, "Snakefile")
		n := len(o.Samples)
		if o.Flow != nil {
			n += len(o.Flow.Samples)
		}
		if o.MRD != nil {
			n += len(o.MRD.Patient)
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "lsc: %d per-sample jobs and their gather jobs in %s; run:\n  snakemake -s %s --cores %d\n  snakemake -s %s --profile %s\n",
			n, sf, sf, f.jobs, sf, filepath.Join(f.out, "profiles", "slurm"))
	}
	return nil
}

// stemcellsJobs adds lsc stemcells' per-sample jobs (the cache file of
// each) to o.
func stemcellsJobs(cmd *cobra.Command, f workflowFlags, o *workflow.Options) error {
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
	o.Args = forwardFlags(cmd.Flags())
	if o.Sheet, err = filepath.Abs(f.samples); err != nil {
		return err
	}
	so := stemcell.ScoreOptions{Score: opt, Input: inOpt}
	for _, s := range sheet.Samples {
		ws, err := workflowSample(s, sigs[0], so)
		if err != nil {
			return err
		}
		o.Samples = append(o.Samples, ws)
	}
	return nil
}

// flowJobs lists lsc flow compartments' per-file jobs: the part each
// writes (named as the command names it, from the same absolute paths).
func flowJobs(f flowCompartmentsFlags) (*workflow.Flow, error) {
	var err error
	for _, p := range []*string{&f.samples, &f.tmplPath, &f.control} {
		if *p != "" {
			if *p, err = filepath.Abs(*p); err != nil {
				return nil, err
			}
		}
	}
	items, err := compartmentSamples(nil, f.samples)
	if err != nil {
		return nil, err
	}
	if _, err := flowstudy.Prepare(f.options()); err != nil {
		return nil, err
	}
	fl := &workflow.Flow{Sheet: f.samples, Results: []string{"compartments.tsv", "report.html", "run.json", "gates.xml"},
		Args: []string{"--quantile=" + strconv.FormatFloat(f.quantile, 'g', -1, 64), "--comp=" + f.comp}}
	var extra []string
	for _, p := range []string{f.tmplPath, f.control} {
		if p != "" {
			extra = append(extra, p)
		}
	}
	if f.tmplPath != "" {
		fl.Args = append(fl.Args, "--template="+f.tmplPath)
	}
	if f.control != "" {
		fl.Args = append(fl.Args, "--control="+f.control)
	}
	var total int64
	parts := flowstudy.PartPaths(items, f.options())
	for i, it := range items {
		n := size(it.Path)
		total += n
		fl.Samples = append(fl.Samples, workflow.Part{ID: it.ID, File: filepath.ToSlash(filepath.Join("results", "flow", parts[i])),
			Inputs: append([]string{it.Path}, extra...), Resources: workflow.FlowResources(n)})
	}
	fl.Gather = workflow.FlowGatherResources(len(items), total)
	return fl, nil
}

// mrdJobs lists lsc mrd assess' per-patient jobs: every patient of the
// measurements and the patient sheet, in the order the report lists them.
func mrdJobs(f mrdFlags) (*workflow.MRD, error) {
	var err error
	for _, p := range []*string{&f.data, &f.patients} {
		if *p != "" {
			if *p, err = filepath.Abs(*p); err != nil {
				return nil, err
			}
		}
	}
	f.out, f.window, f.decline = "results/mrd", 42, 0.5
	p, err := f.params()
	if err != nil {
		return nil, err
	}
	d, err := mrd.ReadMeasurements(f.data)
	if err != nil {
		return nil, err
	}
	var pts map[string]*mrd.Patient
	if f.patients != "" {
		if pts, err = mrd.ReadPatients(f.patients); err != nil {
			return nil, err
		}
	}
	a, err := mrd.Assess(d, pts, p)
	if err != nil {
		return nil, err
	}
	m := &workflow.MRD{Data: f.data, Patients: f.patients, Results: []string{"measurements.tsv", "patients.tsv", "kinetics.tsv", "report.html"},
		Args: []string{"--data=" + f.data}}
	if f.patients != "" {
		m.Args = append(m.Args, "--patients="+f.patients)
	}
	if f.asOf != "" {
		m.Args = append(m.Args, "--as-of="+f.asOf)
	}
	res := workflow.MRDResources(size(f.data) + size(f.patients))
	part := mrdParts(f, p, mrdInputSums(f))
	for _, pr := range a.Patients {
		m.Patient = append(m.Patient, workflow.Part{ID: pr.ID, File: filepath.ToSlash(part(pr.ID)), Resources: res})
	}
	m.Gather = res
	return m, nil
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
	"lsc": true, "partition": true, "account": true, "study": true, "help": true, "flow": true, "flow-template": true,
	"flow-control": true, "flow-quantile": true, "flow-comp": true, "mrd": true, "mrd-patients": true, "mrd-as-of": true}

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
