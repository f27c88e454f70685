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

// lsc twin fit --model michor2005 end to end: parameters, stop projection
// rows, scenarios, same bytes whatever --jobs; stop flags refused for the
// biphasic model (a stop projection is not defined for it).
func TestTwinMichorCLI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	args := []string{"twin", "fit", "--model", "michor2005", "--data", "../../twin/testdata/measurements.csv", "--patients", "../../twin/testdata/patients.csv",
		"--stop-at", "2019-02-09", "--horizon-days", "365", "--out", dir, "-q"}
	if code, _, stderr := runLSC(t, args...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	read := func(d, n string) string {
		b, err := os.ReadFile(filepath.Join(d, n))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	fits := read(dir, "fits.tsv")
	for _, want := range []string{"T1\tPB BCR::ABL1/ABL1\tmichor2005\ty0\t", "\tay_reduction\t", "\tby_reduction\t", "T1\tPB BCR::ABL1/ABL1\tmichor2005\tlsc_at_stop\t",
		"\trelapse_days_after_stop\t", "\tstop_day\t1500\t", "CD34+CD38- BCR::ABL1/ABL1\tnone\tstatus\t\t\t\tnot fitted", "T3\tPB BCR::ABL1/ABL1\tnone\tstatus\t\t\t\tnot estimable"} {
		if !strings.Contains(fits, want) {
			t.Errorf("fits.tsv lacks %q", want)
		}
	}
	proj := read(dir, "projections.tsv")
	for _, want := range []string{"\tfitted\n", "\tmodel projection: continued therapy\n", "\tmodel projection: therapy stopped\n"} {
		if !strings.Contains(proj, want) {
			t.Errorf("projections.tsv lacks %q", want)
		}
	}
	if html := read(dir, "report.html"); !strings.Contains(html, "model projection: therapy stopped") || !strings.Contains(html, "not treatment recommendations") {
		t.Error("report.html lacks the stop scenario or the disclaimer")
	}
	dir2 := filepath.Join(t.TempDir(), "out2")
	args2 := append(append([]string{}, args[:len(args)-3]...), "--out", dir2, "-q", "--jobs", "1")
	if code, _, stderr := runLSC(t, args2...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, n := range []string{"fits.tsv", "projections.tsv", "report.html"} {
		if read(dir, n) != read(dir2, n) {
			t.Errorf("%s differs between runs", n)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--model", "biphasic", "--stop-day", "400"}, "not defined for the biphasic model"},
		{[]string{"--model", "michor2005", "--stop-day", "400", "--stop-at", "2019-01-01"}, "not both"},
		{[]string{"--model", "michor2005", "--stop-at", "2019-13-01"}, "YYYY-MM-DD"},
		{[]string{"--model", "biphasic", "--time", "t"}, "--time and --event"},
	} {
		a := append([]string{"twin", "fit", "--data", "../../twin/testdata/measurements.csv", "--out", t.TempDir()}, c.args...)
		code, _, stderr := runLSC(t, a...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// --model cart with a patient sheet: response from the sheet, and the
// median-split log-rank rows of Cmax and AUC0-28 in response.tsv.
func TestTwinCARTSurvivalCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("fits the Stein model for three patients (about 15 CPU seconds)")
	}
	dir := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runLSC(t, "twin", "fit", "--model", "cart", "--data", "../../twin/testdata/cart.csv", "--patients", "../../twin/testdata/cart_patients.csv",
		"--time", "pfs_days", "--event", "progressed", "--out", dir, "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "response.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Cmax_logrank_chisq", "Cmax_logrank_p", "AUC0-28_median", "Cmax_mannwhitney_p"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("response.tsv lacks %q:\n%s", want, b)
		}
	}
	code, _, stderr = runLSC(t, "twin", "fit", "--model", "cart", "--data", "../../twin/testdata/cart.csv", "--patients", "../../twin/testdata/cart_patients.csv",
		"--time", "nope", "--event", "progressed", "--out", t.TempDir(), "-q")
	if code == 0 || !strings.Contains(stderr, "cart_patients.csv") || !strings.Contains(stderr, "nope") {
		t.Errorf("unknown time column: exit %d %q", code, stderr)
	}
}
