package workflow_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lsc-bio/lsc/workflow/internal/cluster"
)

// The workflow tests run the generated files with Debian's snakemake 7.21
// (and Slurm 22.05 for the profile) and compare the results with lsc
// stemcells run in one process on the same sheet: the expectation is the
// single-process run itself, byte for byte, except run.json's
// reused_from_cache (true for every sample of a gather job, by design).

var (
	buildOnce sync.Once
	lscBin    string
	buildErr  error
	binDir    string
)

func TestMain(m *testing.M) {
	binDir, _ = os.MkdirTemp("", "lsc-workflow-test")
	code := m.Run()
	os.RemoveAll(binDir)
	os.Exit(code)
}

// lsc builds the lsc binary once for the package's tests.
func lsc(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		lscBin = filepath.Join(binDir, "lsc")
		out, err := exec.Command("go", "build", "-o", lscBin, "github.com/lsc-bio/lsc/cmd/lsc").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return lscBin
}

// need skips when a program is missing, and fails under CI=true.
func need(t *testing.T, progs ...string) {
	t.Helper()
	for _, p := range progs {
		if _, err := exec.LookPath(p); err != nil {
			msg := fmt.Sprintf("%s not found: install it with `apt-get install snakemake slurm-wlm munge` (Debian)", p)
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
}

// studySheet writes a two-patient sheet: the in-repo demo sample (van Galen
// 2019 AML870) and AML722B from ../shared/testdata (the demo file again,
// under another name, when that is absent).
func studySheet(t *testing.T, dir string) string {
	demo, _ := filepath.Abs("../demo/data")
	second := fmt.Sprintf("%[1]s/GSM3587984_AML870-D0.dem.txt.gz\t%[1]s/GSM3587985_AML870-D0.anno.txt.gz", demo)
	vg, _ := filepath.Abs("../../shared/testdata/leukemia/vangalen2019_GSE116256")
	if _, err := os.Stat(vg); err == nil {
		second = fmt.Sprintf("%[1]s/GSM3587980_AML722B-D0.dem.txt.gz\t%[1]s/GSM3587981_AML722B-D0.anno.txt.gz", vg)
	}
	p := filepath.Join(dir, "study.tsv")
	sheet := "sample\tpatient\ttimepoint\tpath\tannotation\tcelltype_column\n" +
		fmt.Sprintf("P1_dx\tP1\tdiagnosis\t%[1]s/GSM3587984_AML870-D0.dem.txt.gz\t%[1]s/GSM3587985_AML870-D0.anno.txt.gz\tCellType\n", demo) +
		"P2 dx\tP2\tdiagnosis\t" + second + "\tCellType\n"
	if err := os.WriteFile(p, []byte(sheet), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var flags = []string{"--signature", "LSPC-Quiescent", "--method", "ucell", "--keep", "*-like,HSC", "--keep", "Prog", "--bootstrap", "200"}

func run(t *testing.T, env []string, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// setup writes the sheet and the workflow, and runs lsc stemcells in one
// process into dir/one.
func setup(t *testing.T, extra ...string) (dir, wf string) {
	dir = t.TempDir()
	sheet := studySheet(t, dir)
	bin := lsc(t)
	wf = filepath.Join(dir, "wf")
	run(t, nil, dir, bin, append(append([]string{"workflow", "init", "--samples", sheet, "--out", wf, "-q"}, flags...), extra...)...)
	run(t, nil, dir, bin, append([]string{"stemcells", "--samples", sheet, "--out", filepath.Join(dir, "one"), "-q"}, flags...)...)
	return dir, wf
}

var reused = regexp.MustCompile(`"reused_from_cache": (true|false)`)

// sameResults compares the gathered results with the single-process run.
func sameResults(t *testing.T, dir, wf string) {
	t.Helper()
	for _, f := range []string{"cells.tsv", "samples.tsv", "patients.tsv", "report.html", "run.json"} {
		want, err := os.ReadFile(filepath.Join(dir, "one", f))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(wf, "results", f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "run.json" {
			if n := len(reused.FindAll(got, -1)); n != 2 || strings.Count(string(got), `"reused_from_cache": true`) != 2 {
				t.Errorf("workflow run.json: %d samples, not all reused from the cache", n)
			}
			want, got = reused.ReplaceAll(want, nil), reused.ReplaceAll(got, nil)
		}
		if !bytes.Equal(want, got) {
			t.Errorf("results/%s differs from lsc stemcells in one process", f)
		}
	}
	// Every per-sample job wrote the cache file lsc stemcells itself uses.
	a, _ := filepath.Glob(filepath.Join(dir, "one", "cache", "*.tsv"))
	b, _ := filepath.Glob(filepath.Join(wf, "results", "cache", "*.tsv"))
	if len(a) != 2 || len(b) != 2 || filepath.Base(a[0]) != filepath.Base(b[0]) || filepath.Base(a[1]) != filepath.Base(b[1]) {
		t.Errorf("cache files: one process %v, workflow %v", a, b)
	}
	for i := range min(len(a), len(b)) {
		x, _ := os.ReadFile(a[i])
		y, _ := os.ReadFile(b[i])
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs", filepath.Base(a[i]))
		}
	}
	logs, _ := filepath.Glob(filepath.Join(wf, "logs", "score", "*.log"))
	if len(logs) != 2 {
		t.Errorf("per-job logs: %v", logs)
	}
}

func TestSnakemakeLocal(t *testing.T) {
	need(t, "snakemake")
	dir, wf := setup(t)
	run(t, nil, dir, "snakemake", "-s", filepath.Join(wf, "Snakefile"), "--cores", "2", "--quiet")
	sameResults(t, dir, wf)
	// A sample whose job failed re-runs alone: without its scores (and so
	// without gathered results) the plan is that one sample and the gather.
	b, _ := filepath.Glob(filepath.Join(wf, "results", "cache", "P2*.tsv"))
	os.Remove(b[0])
	os.Remove(filepath.Join(wf, "results", "cells.tsv"))
	out := run(t, nil, dir, "snakemake", "-s", filepath.Join(wf, "Snakefile"), "--cores", "2", "-n", "--quiet")
	if !regexp.MustCompile(`score\s+1\b`).MatchString(out) || !regexp.MustCompile(`stemcells\s+1\b`).MatchString(out) || !regexp.MustCompile(`total\s+3\b`).MatchString(out) {
		t.Errorf("after removing one sample's scores, the plan is not 1 score + 1 gather:\n%s", out)
	}
}

func TestSnakemakeSlurm(t *testing.T) {
	need(t, "snakemake")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := cluster.Start(ctx, t.TempDir())
	if errors.Is(err, cluster.ErrUnavailable) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	t.Logf("cluster up")
	dir, wf := setup(t, "--partition", "debug")
	t.Logf("workflow written, one-process run done")
	// CI=true makes Snakemake 7 poll job states every second instead of
	// every 10 s (snakemake/executors/__init__.py, sleep()).
	run(t, append(c.Env(), "CI=true"), dir, "snakemake", "-s", filepath.Join(wf, "Snakefile"), "--profile", filepath.Join(wf, "profiles", "slurm"), "--quiet")
	sameResults(t, dir, wf)
	jobs, err := c.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]int{}
	for _, j := range jobs {
		if j["JobState"] != "COMPLETED" || j["Partition"] != "debug" {
			t.Errorf("job %v", j)
		}
		rules[strings.Split(j["Name"], ".")[1]]++
	}
	if len(jobs) != 3 || rules["score"] != 2 || rules["stemcells"] != 1 {
		t.Errorf("Slurm jobs by rule %v, want score 2, stemcells 1 (%d jobs)", rules, len(jobs))
	}
	slurmLogs, _ := filepath.Glob(filepath.Join(wf, "logs", "slurm", "lsc.*.out"))
	if len(slurmLogs) != 3 {
		t.Errorf("Slurm logs: %v", slurmLogs)
	}
}
