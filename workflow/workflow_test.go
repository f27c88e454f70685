package workflow_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// The workflow tests run the generated files with Debian's snakemake 7.21
// (and Slurm 22.05 for the profile) and compare the results with lsc
// stemcells, lsc flow compartments and lsc mrd assess run in one process on
// the same inputs: the expectation is the single-process runs themselves,
// byte for byte, except stemcells' run.json reused_from_cache (true for
// every sample of a gather job, by design).

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

// flowSheet writes a flow sample sheet: fcsparser's FACS Diva file and
// FlowKit's 100715.fcs (an Aria panel without CD45) from ../shared/testdata,
// or the flow package's in-repo FCS file twice when that is absent.
func flowSheet(t *testing.T, dir string) string {
	a, _ := filepath.Abs("../flow/fcs/testdata/data_set_simple_line_100.fcs")
	b := a
	if diva, _ := filepath.Abs("../../shared/testdata/flow/fcsparser/FACS_Diva/facs_diva_test.fcs"); exists(diva) {
		a, b = diva, filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(diva))), "flowkit", "100715.fcs")
	}
	p := filepath.Join(dir, "flow.tsv")
	if err := os.WriteFile(p, []byte("sample\tpatient\ttimepoint\tpath\nF1 dx\tP1\tdiagnosis\t"+a+"\nF2\tP2\tday 30\t"+b+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// mrdSheets writes three patients of the mrd package's hand-built cases
// (P2: a CML course with milestones; Chu: persistence in CD34+CD38-;
// MDS1: FISH only) and their patient rows.
func mrdSheets(t *testing.T, dir string) (data, patients string) {
	keep := func(src, dst string) string {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for i, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if i < 2 && (strings.HasPrefix(l, "#") || strings.HasPrefix(l, "patient,")) || strings.HasPrefix(l, "P2,") || strings.HasPrefix(l, "Chu,") || strings.HasPrefix(l, "MDS1,") {
				out = append(out, l)
			}
		}
		p := filepath.Join(dir, dst)
		os.WriteFile(p, []byte(strings.Join(out, "\n")+"\n"), 0o644)
		return p
	}
	return keep("../mrd/testdata/measurements.csv", "mrd.csv"), keep("../mrd/testdata/patients.csv", "mrd-patients.csv")
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
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

// setup writes the sheets and the workflow (stemcells, flow compartments,
// MRD), and runs each command in one process into dir/one, dir/oneflow and
// dir/onemrd.
func setup(t *testing.T, extra ...string) (dir, wf string) {
	dir = t.TempDir()
	sheet, fsheet := studySheet(t, dir), flowSheet(t, dir)
	data, pts := mrdSheets(t, dir)
	bin := lsc(t)
	wf = filepath.Join(dir, "wf")
	// The four commands run at once (they read, and write apart).
	cmds := [][]string{
		append(append([]string{"workflow", "init", "--samples", sheet, "--flow", fsheet, "--mrd", data, "--mrd-patients", pts, "--out", wf, "-q"}, flags...), extra...),
		append([]string{"stemcells", "--samples", sheet, "--out", filepath.Join(dir, "one"), "-q"}, flags...),
		{"flow", "compartments", "--samples", fsheet, "--out", filepath.Join(dir, "oneflow")},
		{"mrd", "assess", "--data", data, "--patients", pts, "--out", filepath.Join(dir, "onemrd"), "-q"},
	}
	errs := make([]error, len(cmds))
	var wg sync.WaitGroup
	for i, args := range cmds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("lsc %s: %v\n%s", strings.Join(args, " "), err, out)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir, wf
}

// sameTree fails unless every file under want has the same bytes under
// got, and got has no other file outside cache/.
func sameTree(t *testing.T, want, got string) {
	t.Helper()
	list := func(dir string) map[string][]byte {
		m := map[string][]byte{}
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			if !strings.HasPrefix(rel, "cache"+string(filepath.Separator)) {
				m[rel], _ = os.ReadFile(p)
			}
			return nil
		})
		return m
	}
	a, b := list(want), list(got)
	if len(a) < 4 || len(a) != len(b) {
		t.Errorf("%s: %d files in the one-process run, %d gathered in %s", filepath.Base(want), len(a), len(b), got)
	}
	for name, x := range a {
		if y, ok := b[name]; !ok || !bytes.Equal(x, y) {
			t.Errorf("%s differs from the one-process run (%s)", filepath.Join(got, name), filepath.Join(want, name))
		}
	}
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
	// Flow compartments and MRD: every file of the one-process runs,
	// gathered from one part per FCS file and one page per patient.
	sameTree(t, filepath.Join(dir, "oneflow"), filepath.Join(wf, "results", "flow"))
	sameTree(t, filepath.Join(dir, "onemrd"), filepath.Join(wf, "results", "mrd"))
	for sub, n := range map[string]int{"flow": 2, "mrd": 3} {
		if parts, _ := filepath.Glob(filepath.Join(wf, "results", sub, "cache", "*")); len(parts) != n {
			t.Errorf("results/%s/cache: %v, want %d parts", sub, parts, n)
		}
	}
}

func TestSnakemakeLocal(t *testing.T) {
	need(t, "snakemake")
	db := filepath.Join(t.TempDir(), "study.db")
	run(t, nil, "", lsc(t), "study", "init", "--db", db)
	dir, wf := setup(t, "--study", db)
	run(t, nil, dir, "snakemake", "-s", filepath.Join(wf, "Snakefile"), "--cores", "2", "--quiet")
	sameResults(t, dir, wf)
	// A sample whose job failed re-runs alone: without its scores (and so
	// without gathered results) the plan is that one sample and the gather;
	// likewise an FCS file's part.
	b, _ := filepath.Glob(filepath.Join(wf, "results", "cache", "P2*.tsv"))
	p, _ := filepath.Glob(filepath.Join(wf, "results", "flow", "cache", "F2.*.json"))
	os.Remove(b[0])
	os.Remove(p[0])
	os.Remove(filepath.Join(wf, "results", "cells.tsv"))
	os.Remove(filepath.Join(wf, "results", "flow", "run.json"))
	out := run(t, nil, dir, "snakemake", "-s", filepath.Join(wf, "Snakefile"), "--cores", "2", "-n", "--quiet")
	for _, want := range []string{`score\s+1\b`, `stemcells\s+1\b`, `compartment\s+1\b`, `compartments\s+1\b`, `total\s+6\b`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("after removing one sample's scores and one FCS file's part, the plan is not 1 score + 1 compartment + their gathers + study (%s):\n%s", want, out)
		}
	}
	// The study store: one import of every results folder, last.
	log, _ := os.ReadFile(filepath.Join(wf, "logs", "study-import.log"))
	for _, d := range []string{"results", "results/flow", "results/mrd"} {
		if !strings.Contains(string(log), filepath.Join(wf, d)+":") && !strings.Contains(string(log), d+":") {
			t.Errorf("study import log does not name %s:\n%s", d, log)
		}
	}
}
