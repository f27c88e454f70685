package workflow

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sync"
	"text/template"

	"github.com/lsc-bio/lsc/atomicfile"
)

// Options describe the workflow to write.
type Options struct {
	Version    string   // lsc version, written in the header of each file
	Lsc        string   // the lsc binary the rules run (absolute path or a name on PATH)
	Sheet      string   // the sample sheet (absolute path)
	Args       []string // flags given to every lsc stemcells command (signature, method, cut ...)
	GatherArgs []string // flags for the gather rule only
	Samples    []Sample
	Results    []string // files of lsc stemcells --out written by the gather rule
	Partition  string   // Slurm partition ("" = the cluster's default)
	Account    string   // Slurm account ("" = the user's default)
	Flow       *Flow    // lsc flow compartments, one job per FCS file (nil: none)
	MRD        *MRD     // lsc mrd assess, one job per patient (nil: none)
	Study      string   // a study store: a last rule imports every result folder into it ("" = none)
}

// Flow is lsc flow compartments as per-file jobs (--only SAMPLE, each
// writing its part in results/flow/cache) and a gather job writing
// results/flow with the files of lsc flow compartments --out.
type Flow struct {
	Sheet   string   // the flow sample sheet (absolute path)
	Args    []string // flags of every lsc flow compartments command
	Results []string // files of the gather job
	Samples []Part
	Gather  Resources
}

// MRD is lsc mrd assess as per-patient jobs (--only PATIENT, each writing
// the patient's page in results/mrd/cache) and a gather job writing
// results/mrd with the files of lsc mrd assess --out.
type MRD struct {
	Data, Patients string   // measurement and patient sheets (absolute paths; Patients may be "")
	Args           []string // flags of every lsc mrd assess command
	Results        []string // files of the gather job
	Patient        []Part
	Gather         Resources
}

// Part is one per-file or per-patient job: its output file, relative to
// the workflow folder, and its inputs.
type Part struct {
	ID     string
	File   string
	Inputs []string
	Resources
}

// Sample is one per-sample job.
type Sample struct {
	ID         string
	Cache      string   // its cache file, relative to the workflow folder (results/cache/...)
	Inputs     []string // its input files (data, annotation)
	InputBytes int64    // their size
	Resources
}

// MB is the input size in MiB.
func (s Sample) MB() float64 { return float64(s.InputBytes) / (1 << 20) }

// Resources of one job, as Snakemake's threads and resources.
type Resources struct {
	Threads int
	MemMB   int // Slurm --mem, MB
	Runtime int // Slurm --time, minutes
}

// SampleResources estimates a per-sample job's resources from the size of its
// input files. Memory of a dense text table (dense=true; van Galen 2019's
// .dem.txt.gz): measured peak RSS of lsc score (UCell, 2 threads) was 74 MB
// for a 0.66 MB gzip file (AML870, 345 cells) and 154 MB for 2.1 MB
// (AML419A, 1,190 cells), about 40 MB + 55 MB per input MB; the estimate
// doubles that and adds 512 MB, in 256 MB steps, between 1 GB and 16 GB.
// Streamed formats (10x MTX or HDF5, h5ad): lsc holds its heap under 1.5 GiB
// whatever the size (a 94 MB 10,000-cell MTX folder peaked at 183 MB), so
// 2 GB. Runtime: 10 minutes plus 1 minute per 10 MB, room for slow shared
// filesystems (that MTX folder took 14 s on 2 busy cores).
func SampleResources(inputBytes int64, dense bool) Resources {
	mb := float64(inputBytes) / (1 << 20)
	mem := 2048.0
	if dense {
		mem = 512 + 2*(40+55*mb)
		mem = math.Ceil(mem/256) * 256
		mem = math.Max(1024, math.Min(16384, mem))
	}
	return Resources{Threads: 2, MemMB: int(mem), Runtime: 10 + int(math.Ceil(mb/10))}
}

// GatherResources estimates the gather job's resources: it reads every cached
// score (a line of about 60 bytes per cell) and fits one threshold on them;
// memory grows with the number of cells, which the input size bounds
// loosely, so 1 GB plus 1 MB per 10 MB of input (at most 32 GB).
func GatherResources(inputBytes int64) Resources {
	mb := float64(inputBytes) / (1 << 20)
	mem := math.Ceil((1024+mb/10)/256) * 256
	return Resources{Threads: 2, MemMB: int(math.Min(32768, mem)), Runtime: 30 + int(math.Ceil(mb/100))}
}

// FlowResources estimates a per-file job of lsc flow compartments: the
// events are held as float64 (an FCS file stores float32 or integers) with
// gating masks and the density plots' points; measured peak RSS of a
// per-file job (--only) on fcsparser's 4.0 MB FACS Diva file (83,411
// events x 12 parameters) was 60 MB, so 512 MB plus 8x the file's size
// leaves ample room; in 256 MB steps, at most 16 GB; 10 minutes plus 1 per
// 10 MB.
func FlowResources(fileBytes int64) Resources {
	mb := float64(fileBytes) / (1 << 20)
	mem := math.Min(16384, math.Ceil((512+8*mb)/256)*256)
	return Resources{Threads: 1, MemMB: int(mem), Runtime: 10 + int(math.Ceil(mb/10))}
}

// FlowGatherResources estimates the flow gather job: it holds every
// sample's page (about 230 KB) and reads its inputs only to checksum them:
// 1 GB plus 1 MB per sample, 10 minutes plus 1 per 1 GB of input.
func FlowGatherResources(samples int, inputBytes int64) Resources {
	mem := math.Min(32768, math.Ceil((1024+float64(samples))/256)*256)
	return Resources{Threads: 1, MemMB: int(mem), Runtime: 10 + int(math.Ceil(float64(inputBytes)/(1<<30)))}
}

// MRDResources estimates a job of lsc mrd assess, per patient or the
// gather: each reads the whole measurement sheet, about 2 KB of memory per
// row at peak (bench/README.md: 0.28 GB for 120,000 rows, a 9 MB CSV), so
// 512 MB plus 40x the sheet's size, in 256 MB steps, at most 32 GB; 10
// minutes plus 1 per 10 MB.
func MRDResources(dataBytes int64) Resources {
	mb := float64(dataBytes) / (1 << 20)
	mem := math.Min(32768, math.Ceil((512+40*mb)/256)*256)
	return Resources{Threads: 1, MemMB: int(mem), Runtime: 10 + int(math.Ceil(mb/10))}
}

//go:embed templates/*
var templates embed.FS

var tmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{"q": quote}).ParseFS(templates, "templates/*"))
})

// quote writes s as a YAML double-quoted scalar (a JSON string is one).
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Files are the workflow's files, relative to its folder.
var Files = []string{"Snakefile", "config.yaml", "profiles/slurm/config.yaml", "profiles/slurm/status.sh"}

// templateOf names each file's template.
var templateOf = map[string]string{"Snakefile": "Snakefile.tmpl", "config.yaml": "config.yaml.tmpl",
	"profiles/slurm/config.yaml": "slurm.yaml.tmpl", "profiles/slurm/status.sh": "status.sh.tmpl"}

// Write writes the workflow into dir (created when missing); existing files
// are not replaced unless force. Each file is written atomically.
func Write(dir string, o Options, force bool) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	data := struct {
		Options
		Dir       string
		GatherMem Resources
	}{Options: o, Dir: abs}
	var total int64
	for _, s := range o.Samples {
		total += s.InputBytes
	}
	data.GatherMem = GatherResources(total)
	if err := atomicfile.CheckDir(dir, force, Files...); err != nil {
		return err
	}
	for _, name := range Files {
		var buf bytes.Buffer
		if err := tmpl().ExecuteTemplate(&buf, templateOf[name], data); err != nil {
			return fmt.Errorf("workflow template %s: %w", name, err)
		}
		p := filepath.Join(dir, name)
		if err := atomicfile.CheckFile(p, true); err != nil {
			return err
		}
		if err := atomicfile.Write(p, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
	}
	return nil
}
