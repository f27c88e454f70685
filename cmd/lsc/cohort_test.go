package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// lsc cohort end to end on the synthetic cohort of cohort/testdata (its
// numbers are checked against R in cohort/cohort_test.go).
func TestCohortCLI(t *testing.T) {
	bin := buildLSC(t)
	dir := filepath.Join(t.TempDir(), "out")
	args := []string{"cohort", "--expression", "../../cohort/testdata/expr.tsv", "--clinical", "../../cohort/testdata/clinical.csv",
		"--signature", "LSC17", "--time", "os", "--event", "os_event", "--covariates", "age", "--response", "response", "--out", dir}
	if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	for _, f := range []string{"scores.tsv", "km.tsv", "cox.tsv", "tests.tsv", "report.html", "run.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "scores.tsv"))
	if !strings.HasPrefix(string(b), "sample\tLSC17_score\tLSC17_group\tin_clinical\n") || strings.Count(string(b), "\n") != 41 {
		t.Errorf("scores.tsv:\n%s", b)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "run.json"))
	if !strings.Contains(string(b), "expression_sha256") {
		t.Error("run.json lacks checksums")
	}
	if err := exec.Command(bin, args...).Run(); err == nil {
		t.Error("existing outputs replaced without --force")
	}
	// maxstat cut is accepted and reported.
	dir2 := filepath.Join(t.TempDir(), "out2")
	if b, err := exec.Command(bin, append(args[:len(args)-1], dir2, "--cut", "maxstat")...).CombinedOutput(); err != nil || !strings.Contains(string(b), "(maxstat)") {
		t.Errorf("--cut maxstat: %v %s", err, b)
	}
}
