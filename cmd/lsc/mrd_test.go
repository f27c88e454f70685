package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// lsc mrd assess end to end on the hand-built cases of the mrd package
// (expected values are derived in mrd/mrd_test.go).
func TestMRDCLI(t *testing.T) {
	bin := buildLSC(t)
	dir := filepath.Join(t.TempDir(), "out")
	args := []string{"mrd", "assess", "--data", "../../mrd/testdata/measurements.csv", "--patients", "../../mrd/testdata/patients.csv", "--out", dir}
	if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("mrd assess: %v\n%s", err, b)
	}
	for _, f := range []string{"measurements.tsv", "patients.tsv", "kinetics.tsv", "report.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "measurements.tsv"))
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 36 {
		t.Fatalf("%d lines, want header + 35 rows", len(lines))
	}
	head := strings.Split(lines[0], "\t")
	for _, c := range []string{"ratio_percent", "is_percent", "log_reduction", "response", "detectable", "notes"} {
		found := false
		for _, h := range head {
			found = found || h == c
		}
		if !found {
			t.Errorf("measurements.tsv lacks column %s", c)
		}
	}
	// Row for line 3 echoes the input and scores 15 % IS as no MMR.
	if !strings.HasPrefix(lines[1], "3\tP1\t2020-04-01\tPB\tqpcr\tBCR::ABL1\te13a2\t1500\tABL1\t10000\t1\t") || !strings.Contains(lines[1], "\t15\t15\t") || !strings.Contains(lines[1], "\tno MMR\tyes\t") {
		t.Errorf("first row %q", lines[1])
	}
	html, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	if !bytes.Contains(html, []byte("<svg")) || bytes.Contains(html, []byte("http://cdn")) || bytes.Contains(html, []byte("<script src")) {
		t.Error("report.html not self-contained with figures")
	}
	// Second run: same bytes (determinism) only with --force; without it, exit 2 and nothing replaced.
	err := exec.Command(bin, args...).Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("overwrite without --force: %v", err)
	}
	if out, err := exec.Command(bin, append(args, "--force")...).CombinedOutput(); err != nil {
		t.Fatalf("--force: %v %s", err, out)
	}
	html2, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	if !bytes.Equal(html, html2) {
		t.Error("report.html differs between runs")
	}
	// JSON on stdout.
	out, err := exec.Command(bin, "mrd", "assess", "--data", "../../mrd/testdata/measurements.csv", "--patients", "../../mrd/testdata/patients.csv", "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Measurements []struct {
			Response string `json:"response"`
		} `json:"measurements"`
		Patients []struct {
			Patient     string   `json:"patient"`
			TFR         string   `json:"tfr"`
			Persistence []string `json:"persistence"`
		} `json:"patients"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Measurements) != 35 || doc.Patients[1].TFR != "optimal criteria met" || doc.Patients[6].Persistence[0] != "CD34+CD38-" {
		t.Errorf("json: %d rows, %+v", len(doc.Measurements), doc.Patients)
	}
	// Malformed input: exit 1, file and line named.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("patient,date,fraction,assay,target,target_copies,control_gene,control_copies\nP,2020-01-01,PB,qpcr,BCR::ABL1,-1,ABL1,100\n"), 0o644)
	var stderr bytes.Buffer
	c := exec.Command(bin, "mrd", "assess", "--data", bad, "--json")
	c.Stderr = &stderr
	err = c.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(stderr.String(), "bad.csv line 2") {
		t.Errorf("bad row: %v %s", err, stderr.String())
	}
}
