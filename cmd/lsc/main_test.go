package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The CLI end to end, in-process: score the demo file, check the public TSV
// layout and the exit codes (0 ok, 1 failure, 2 usage).
func TestCLI(t *testing.T) {
	out := filepath.Join(t.TempDir(), "s.tsv")
	demo := "../../demo/data/GSM3587984_AML870-D0.dem.txt.gz"
	if code, _, stderr := runLSC(t, "score", demo, "--signatures", "LSPC-Quiescent,LSC104", "--method", "ucell", "--out", out, "-q"); code != 0 {
		t.Fatalf("score: exit %d\n%s", code, stderr)
	}
	b, _ := os.ReadFile(out)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "cell\tLSPC-Quiescent\tLSC104" || len(lines) != 346 {
		t.Fatalf("header %q, %d lines", lines[0], len(lines))
	}
	// refuses to overwrite without --force: exit 2
	if code, _, _ := runLSC(t, "score", demo, "-s", "LSC104", "--out", out); code != 2 {
		t.Fatalf("overwrite: exit %d", code)
	}
	if code, _, stderr := runLSC(t, "score", "nonexistent.h5ad", "-s", "LSC104"); code != 1 || !strings.Contains(stderr, "nonexistent.h5ad") {
		t.Fatalf("missing input: exit %d %s", code, stderr)
	}
	if code, _, _ := runLSC(t, "score", "--bogus"); code != 2 {
		t.Fatalf("bad flag: exit %d", code)
	}
	if code, stdout, _ := runLSC(t, "signatures", "show", "LSC17"); code != 0 || !strings.Contains(stdout, "GPR56\t0.0501\talias ADGRG1") {
		t.Fatalf("signatures show: %d %s", code, stdout)
	}
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildOut  []byte
)

// buildLSC builds the binary once per test run (for tests that need a
// separate process).
func buildLSC(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lsc-test")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "lsc")
		buildOut, buildErr = exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("build: %v\n%s", buildErr, buildOut)
	}
	return binPath
}

// lsc inspect on the in-repo CITE-seq h5 (cite_small.h5: 4 cells, genes G1-G3,
// antibodies CD3 and CD19, see formats/tenx/testdata) and, where ../shared is
// present, on the 2018 h5ad whose layout anndata 0.8 reports as 700 x 765
// with a raw matrix and 8 obs columns.
func TestInspect(t *testing.T) {
	code, stdout, stderr := runLSC(t, "inspect", "../../formats/tenx/testdata/cite_small.h5", "--json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var r inspection
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if r.Format != "10x-h5" || r.Cells != 4 || r.Genes != 3 || r.OtherFeats != 2 || strings.Join(r.OtherFirsts, ",") != "CD3,CD19" {
		t.Errorf("cite_small.h5: %+v", r)
	}
	// in-repo h5ad (stemcell/testdata/make_small_obs.py): 6 cells x 4 genes, obs column cell_type
	code, stdout, _ = runLSC(t, "inspect", "../../stemcell/testdata/small_obs.h5ad")
	if code != 0 || !strings.Contains(stdout, "h5ad, matrix X: 6 cells x 4 genes") || !strings.Contains(stdout, "obs columns: cell_type") {
		t.Errorf("small_obs.h5ad: %s", stdout)
	}
	h5ad := "../../../shared/testdata/h5ad/scanpy/legacy_2018-10/10x_pbmc68k_reduced.h5ad"
	if _, err := os.Stat(h5ad); err != nil {
		t.Skip("../shared/testdata absent")
	}
	_, stdout, _ = runLSC(t, "inspect", h5ad)
	for _, want := range []string{"h5ad, matrix X: 700 cells x 765 genes", "raw matrix: true",
		"obs columns: G2M_score, S_score, bulk_labels, louvain, n_counts, n_genes, percent_mito, phase"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, stdout)
		}
	}
}

// runLSC runs one command line in-process (so coverage sees it) and
// returns the exit code with what went to stdout and stderr.
func runLSC(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestRunInProcess(t *testing.T) {
	if code, out, _ := runLSC(t, "version"); code != 0 || !strings.HasPrefix(out, "lsc ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, errs := runLSC(t, "score", "--bogus"); code != 2 || !strings.Contains(errs, "bogus") {
		t.Errorf("bad flag: %d %q", code, errs)
	}
	if code, _, errs := runLSC(t, "score", "nonexistent.h5ad", "-s", "LSC104", "-q"); code != 1 || !strings.Contains(errs, "nonexistent.h5ad") {
		t.Errorf("missing input: %d %q", code, errs)
	}
}

// runLSCIn is runLSC with standard input.
func runLSCIn(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = runWith(args, strings.NewReader(stdin), &o, &e)
	return code, o.String(), e.String()
}
