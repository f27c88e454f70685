package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var cohortArgs = []string{"cohort", "--expression", "../../cohort/testdata/expr.tsv", "--clinical", "../../cohort/testdata/clinical.csv",
	"--signature", "LSC17", "--time", "os", "--event", "os_event", "--covariates", "age", "--response", "response"}

// lsc cohort end to end on the synthetic cohort of cohort/testdata (its
// numbers are checked against R in cohort/cohort_test.go).
func TestCohortCLI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	args := append(append([]string(nil), cohortArgs...), "--out", dir)
	if code, _, errs := runLSC(t, args...); code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
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
	if code, _, _ := runLSC(t, args...); code != 2 {
		t.Error("existing outputs replaced without --force")
	}
}

// Issue 11 item 4: with --cut maxstat the terminal and the KM figure give
// the maximally selected (adjusted) p first and the log-rank p labelled as
// unadjusted. The values are those of cohort/testdata (maxstat p 0.00021 by
// Lausen & Schumacher, log-rank 1.04e-06), checked against R in package cohort.
func TestCohortMaxstatP(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, _, errs := runLSC(t, append(append([]string(nil), cohortArgs...), "--out", dir, "--cut", "maxstat")...)
	if code != 0 || !strings.Contains(errs, "(maxstat)") ||
		!strings.Contains(errs, "maximally selected log-rank p = 0.00021 (adjusted for the cut search") || !strings.Contains(errs, "p = 1.04e-06 (unadjusted)") {
		t.Errorf("exit %d\n%s", code, errs)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	html := string(b)
	if !strings.Contains(html, ">maxstat p = 0.00021</text>") || !strings.Contains(html, ">(unadjusted)</text>") {
		t.Error("KM figure lacks the adjusted p")
	}
	b, _ = os.ReadFile(filepath.Join(dir, "tests.tsv"))
	if !strings.Contains(string(b), "(maxstat); unadjusted for the cut search") {
		t.Errorf("tests.tsv:\n%s", b)
	}
}

// Issue 11 items 9, 16, 19 and the figure: the output folder is checked
// before any work (an existing report with a missing expression file is a
// usage error about the folder, not a read error); --threshold is --cut;
// --quiet silences stderr; numbers carry no binary noise; p values in TSV
// are numbers; the score's hazard ratio per SD is a labelled row; the KM
// axis takes --time-label; an open median interval prints NA.
func TestCohortConsistency(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "report.html"), []byte("x"), 0o644)
	bad := append(append([]string(nil), cohortArgs...), "--out", dir)
	bad[2] = "missing.tsv"
	if code, _, errs := runLSC(t, bad...); code != 2 || !strings.Contains(errs, "report.html") {
		t.Errorf("existing output: exit %d %s", code, errs)
	}
	out := filepath.Join(t.TempDir(), "new", "out")
	code, stdout, errs := runLSC(t, append(append([]string(nil), cohortArgs...), "--out", out, "--threshold", "maxstat", "-q", "--time-label", "overall survival (days)")...)
	if code != 0 || stdout != "" || errs != "" {
		t.Fatalf("exit %d %q %q", code, stdout, errs)
	}
	read := func(name string) string { b, _ := os.ReadFile(filepath.Join(out, name)); return string(b) }
	// R: colSums(expr * weight) for S01 is 0.95575308 (make_fixtures.R); the
	// float64 sum printed shortest was 0.9557530800000001.
	if s := read("scores.tsv"); !strings.Contains(s, "S01\t0.95575308\thigh") || !strings.Contains(read("tests.tsv"), "cut 0.72046519 (maxstat)") {
		t.Errorf("scores.tsv / --threshold:\n%s", s)
	}
	for _, f := range []string{"cox.tsv", "tests.tsv", "km.tsv", "scores.tsv"} {
		if strings.Contains(read(f), "<") {
			t.Errorf("%s has a non-numeric p value", f)
		}
	}
	// Per-SD values: cohort/testdata/expected_persd.json (R coxph on score/sd).
	if c := read("cox.tsv"); !strings.Contains(c, "score\tLSC17_score per SD\t39\t30\t2.97218122116") || !strings.Contains(c, "hazard ratio per SD of the score (SD 0.3076440660335") {
		t.Errorf("cox.tsv:\n%s", c)
	}
	h := read("report.html")
	for _, s := range []string{">overall survival (days)</text>", "5726.9 – NA", ">time</text>", "LSC17_score per SD (SD 0.307644)"} {
		if !strings.Contains(h, s) {
			t.Errorf("report.html lacks %q", s)
		}
	}
	if code, _, errs := runLSC(t, append(append([]string(nil), cohortArgs...), "--out", t.TempDir(), "--cut", "median", "--threshold", "1")...); code != 2 {
		t.Errorf("--cut with --threshold: exit %d %s", code, errs)
	}
	if code, _, errs := runLSC(t, append(append([]string(nil), cohortArgs...), "--out", t.TempDir(), "--cut", "jenks")...); code != 2 || !strings.Contains(errs, `--cut: unknown cut "jenks"`) {
		t.Errorf("--cut jenks: exit %d %s", code, errs)
	}
}
