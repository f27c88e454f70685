package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lsc twin fit end to end: the four outputs, the public column names,
// "not estimable" for a two-sample series, the research-model wording,
// refusal to overwrite and usage errors.
func TestTwinFitCLI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	args := []string{"twin", "fit", "--model", "biphasic", "--data", "../../twin/testdata/measurements.csv", "--patients", "../../twin/testdata/patients.csv", "--out", dir, "-q"}
	if code, _, stderr := runLSC(t, args...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	read := func(n string) string {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	fits := read("fits.tsv")
	if !strings.HasPrefix(fits, "patient\tfraction/target\tmodel\tparameter\testimate\tlower\tupper\tmethod\n") {
		t.Errorf("fits.tsv header: %q", strings.SplitN(fits, "\n", 2)[0])
	}
	for _, want := range []string{"T1\tPB BCR::ABL1/ABL1\tbiphasic\tA\t", "\tb\t", "T2\tPB BCR::ABL1/ABL1\tmonophasic\ta\t", "T3\tPB BCR::ABL1/ABL1\tnone\tstatus\t\t\t\tnot estimable", "day_MMR"} {
		if !strings.Contains(fits, want) {
			t.Errorf("fits.tsv lacks %q", want)
		}
	}
	proj := read("projections.tsv")
	if !strings.HasPrefix(proj, "patient\tseries\tday\tdate\tvalue\tlower\tupper\tscenario\n") || !strings.Contains(proj, "model projection: continued therapy") {
		t.Errorf("projections.tsv: %q", proj[:200])
	}
	html := read("report.html")
	for _, want := range []string{"model projection", "Research model", "not treatment recommendations", "<svg"} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Contains(html, "<script") || strings.Contains(html, "http://cdn") {
		t.Error("report.html must be self-contained")
	}
	if !strings.Contains(read("run.json"), "data_sha256") {
		t.Error("run.json lacks the checksum")
	}
	if code, _, _ := runLSC(t, args...); code != 2 {
		t.Errorf("overwrite without --force: exit %d, want 2", code)
	}
	if code, _, _ := runLSC(t, "twin", "fit", "--model", "nope", "--data", "x.csv", "--out", t.TempDir()); code != 2 {
		t.Errorf("unknown model: exit %d, want 2", code)
	}
	code, _, stderr := runLSC(t, "twin", "fit", "--model", "biphasic", "--data", "missing.csv", "--out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "missing.csv") {
		t.Errorf("missing input: exit %d %s", code, stderr)
	}
	// Same input, same bytes, whatever --jobs.
	dir2 := filepath.Join(t.TempDir(), "out2")
	args2 := append(append([]string{}, args[:len(args)-3]...), "--out", dir2, "-q", "--jobs", "1")
	if code, _, stderr := runLSC(t, args2...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, n := range []string{"fits.tsv", "projections.tsv", "report.html"} {
		b, _ := os.ReadFile(filepath.Join(dir2, n))
		if !bytes.Equal(b, []byte(read(n))) {
			t.Errorf("%s differs between runs", n)
		}
	}
}
