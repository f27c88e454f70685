package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/store"
)

const (
	mrdData     = "../../mrd/testdata/measurements.csv"
	mrdPatients = "../../mrd/testdata/patients.csv"
)

// lsc mrd assess end to end, in-process, on the hand-built cases of the mrd
// package (expected values are derived in mrd/mrd_test.go; see
// mrd/testdata/README.md).
func TestMRDCLI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	args := []string{"mrd", "assess", "--data", mrdData, "--patients", mrdPatients, "--out", dir}
	code, _, stderr := runLSC(t, args...)
	if code != 0 {
		t.Fatalf("mrd assess: exit %d\n%s", code, stderr)
	}
	for _, f := range []string{"measurements.tsv", "patients.tsv", "kinetics.tsv", "report.html", "patients/P1.html", "patients/MDS1.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "measurements.tsv"))
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 36 {
		t.Fatalf("%d lines, want header + 35 rows", len(lines))
	}
	// Row for line 3 echoes the input and scores 15 % IS as no MMR.
	if !strings.HasPrefix(lines[1], "3\tP1\t2020-04-01\tPB\tqpcr\tBCR::ABL1\te13a2\t1500\tABL1\t10000\t1\t") || !strings.Contains(lines[1], "\t15\t15\t") || !strings.Contains(lines[1], "\tno MMR\tyes\t") {
		t.Errorf("first row %q", lines[1])
	}
	// The cohort page links every patient's page; figures are on those pages.
	html, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	page, _ := os.ReadFile(filepath.Join(dir, "patients", "P2.html"))
	if !bytes.Contains(html, []byte(`href="patients/P2.html"`)) || !bytes.Contains(page, []byte("<svg")) || !bytes.Contains(page, []byte(`href="../report.html"`)) {
		t.Error("report.html does not link the patient pages, or a patient page lacks its figure")
	}
	for _, p := range [][]byte{html, page} {
		p = bytes.ReplaceAll(p, []byte(`xmlns="http://www.w3.org/2000/svg"`), nil)
		if bytes.Contains(p, []byte("http://")) || bytes.Contains(p, []byte("https://")) || bytes.Contains(p, []byte("<script")) {
			t.Error("report not self-contained")
		}
	}
	// Second run: refused without --force (exit 2), same bytes with it.
	if code, _, stderr := runLSC(t, args...); code != 2 || !strings.Contains(stderr, "--force") {
		t.Fatalf("overwrite without --force: %d %s", code, stderr)
	}
	if code, _, stderr := runLSC(t, append(args, "--force")...); code != 0 {
		t.Fatalf("--force: %d %s", code, stderr)
	}
	html2, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	page2, _ := os.ReadFile(filepath.Join(dir, "patients", "P2.html"))
	if !bytes.Equal(html, html2) || !bytes.Equal(page, page2) {
		t.Error("report differs between runs")
	}
}

func TestMRDJSON(t *testing.T) {
	code, out, stderr := runLSC(t, "mrd", "assess", "--data", mrdData, "--patients", mrdPatients, "--json")
	if code != 0 {
		t.Fatal(stderr)
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
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Measurements) != 35 || doc.Patients[1].TFR != "optimal criteria met" || doc.Patients[6].Persistence[0] != "CD34+CD38-" || doc.Patients[7].TFR != "not applicable" {
		t.Errorf("json: %d rows, %+v", len(doc.Measurements), doc.Patients)
	}
}

// The terminal summary says a FISH-only patient is not a CML course, and
// --quiet silences the summary (issue 11 items 7 and 16).
func TestMRDSummaryAndQuiet(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runLSC(t, "mrd", "assess", "--data", mrdData, "--patients", mrdPatients, "--out", filepath.Join(dir, "a"))
	if code != 0 || !strings.Contains(stderr, "MDS1: no BCR::ABL1 qPCR, CML milestones and TFR not applicable FISH EXPANSION") || strings.Contains(stderr, "MDS1: milestones") {
		t.Errorf("summary: %d %q", code, stderr)
	}
	code, _, stderr = runLSC(t, "mrd", "assess", "--data", mrdData, "--patients", mrdPatients, "--out", filepath.Join(dir, "b"), "-q")
	if code != 0 || stderr != "" {
		t.Errorf("--quiet: %d %q", code, stderr)
	}
}

// The output folder is checked before any work: an existing report is
// refused (exit 2) even when the data would fail, and a folder that cannot
// be created fails before the data is read (issue 11 item 9).
func TestMRDOutCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "report.html"), []byte("old"), 0o644)
	code, _, stderr := runLSC(t, "mrd", "assess", "--data", "missing.csv", "--out", dir)
	if code != 2 || !strings.Contains(stderr, "report.html") || strings.Contains(stderr, "missing.csv") {
		t.Errorf("existing output: %d %q", code, stderr)
	}
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	code, _, stderr = runLSC(t, "mrd", "assess", "--data", "missing.csv", "--out", filepath.Join(file, "sub"))
	if code != 1 || !strings.Contains(stderr, "output directory") || strings.Contains(stderr, "missing.csv") {
		t.Errorf("uncreatable output: %d %q", code, stderr)
	}
	fresh := filepath.Join(dir, "new", "deeper")
	if code, _, stderr := runLSC(t, "mrd", "assess", "--data", mrdData, "--out", fresh, "-q"); code != 0 {
		t.Errorf("missing --out folder is created: %d %s", code, stderr)
	}
}

func TestMRDBadInput(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("patient,date,fraction,assay,target,target_copies,control_gene,control_copies\nP,2020-01-01,PB,qpcr,BCR::ABL1,-1,ABL1,100\n"), 0o644)
	if code, _, stderr := runLSC(t, "mrd", "assess", "--data", bad, "--json"); code != 1 || !strings.Contains(stderr, "bad.csv line 2") {
		t.Errorf("bad row: %d %s", code, stderr)
	}
	if code, _, _ := runLSC(t, "mrd", "assess", "--data", mrdData, "--json", "--as-of", "1/2/2020"); code != 2 {
		t.Errorf("bad --as-of: exit %d, want 2", code)
	}
	if code, _, _ := runLSC(t, "mrd", "assess", "--data", mrdData); code != 2 {
		t.Errorf("no --out and no --json: exit %d, want 2", code)
	}
}

// run.json carries the run's provenance: the SHA-256 of each sheet, checked
// here against crypto/sha256 over the files as read by this test, and the
// parameters as given; lsc study import keeps it as the run's version and
// inputs (before, an imported MRD run had neither).
func TestMRDRunJSON(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runLSC(t, "mrd", "assess", "--data", mrdData, "--patients", mrdPatients, "--out", dir, "--window-days", "30", "-q")
	if code != 0 {
		t.Fatalf("mrd assess: exit %d\n%s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var run struct {
		Version string `json:"lsc_version"`
		Inputs  []struct{ Role, Path, SHA256 string }
		Params  map[string]any `json:"parameters"`
		Rows    int            `json:"rows"`
	}
	if err := json.Unmarshal(b, &run); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for role, p := range map[string]string{"measurements": mrdData, "patients": mrdPatients} {
		raw, _ := os.ReadFile(p)
		h := sha256.Sum256(raw)
		want[role] = hex.EncodeToString(h[:])
	}
	if len(run.Inputs) != 2 || run.Version != version || run.Rows != 35 || run.Params["window_days"] != 30.0 {
		t.Fatalf("run.json %s", b)
	}
	for _, in := range run.Inputs {
		if in.SHA256 != want[in.Role] {
			t.Errorf("%s sha256 %s, want %s", in.Role, in.SHA256, want[in.Role])
		}
	}
	db := filepath.Join(t.TempDir(), "s.db")
	for _, args := range [][]string{{"study", "init", "--db", db, "-q"}, {"study", "import", "--db", db, dir, "-q"}} {
		if code, _, errs := runLSC(t, args...); code != 0 {
			t.Fatalf("%v: %s", args, errs)
		}
	}
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, err := st.Runs(context.Background(), "")
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs %v %v", runs, err)
	}
	if runs[0].Version != version || !strings.Contains(runs[0].Inputs, want["measurements"]) || !strings.Contains(runs[0].Parameters, `"window_days":30`) {
		t.Errorf("stored run %+v", runs[0])
	}
}
