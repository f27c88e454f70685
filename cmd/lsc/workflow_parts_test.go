package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sameTree fails unless every file under want (but cache/) has the same
// bytes under got, and got has no other file outside cache/.
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
	if len(a) == 0 || len(a) != len(b) {
		t.Errorf("%d files in the one-process run, %d gathered", len(a), len(b))
	}
	for name, x := range a {
		if y, ok := b[name]; !ok || !bytes.Equal(x, y) {
			t.Errorf("%s differs from the one-process run", name)
		}
	}
}

// Per-sample jobs (--only) and the run that gathers them write the same
// bytes as one process; the gathering run reads the parts instead of the
// FCS files (an edited part shows in its output). Expectation: the
// one-process run itself.
func TestFlowCompartmentsOnly(t *testing.T) {
	dir := t.TempDir()
	fcs, _ := filepath.Abs("../../flow/fcs/testdata/data_set_simple_line_100.fcs")
	rows := "sample\tpatient\ttimepoint\tpath\nS1\tP1\tdiagnosis\t" + fcs + "\nS 2\tP2\tdiagnosis\t" + fcs + "\n"
	if diva, _ := filepath.Abs("../../../shared/testdata/flow/fcsparser/FACS_Diva/facs_diva_test.fcs"); exists(diva) {
		rows += "Diva\tP3\tday 30\t" + diva + "\n"
	}
	sheet := filepath.Join(dir, "flow.tsv")
	os.WriteFile(sheet, []byte(rows), 0o644)
	one, wf := filepath.Join(dir, "one"), filepath.Join(dir, "wf")
	if code, _, errs := runLSC(t, "flow", "compartments", "--samples", sheet, "--out", one, "-q"); code != 0 {
		t.Fatal(errs)
	}
	for _, id := range []string{"S1", "S 2", "Diva"} {
		if id == "Diva" && !strings.Contains(rows, "Diva") {
			continue
		}
		if code, _, errs := runLSC(t, "flow", "compartments", "--samples", sheet, "--only", id, "--out", wf, "-q"); code != 0 {
			t.Fatal(errs)
		}
	}
	if _, err := os.Stat(filepath.Join(wf, "compartments.tsv")); err == nil {
		t.Error("--only wrote the study's files")
	}
	if code, _, errs := runLSC(t, "flow", "compartments", "--samples", sheet, "--out", wf, "-q"); code != 0 {
		t.Fatal(errs)
	}
	sameTree(t, one, wf)
	parts, _ := filepath.Glob(filepath.Join(wf, "cache", "S_2-*.json"))
	if len(parts) != 1 {
		t.Fatalf("parts %v", parts)
	}
	b, _ := os.ReadFile(parts[0])
	os.WriteFile(parts[0], bytes.Replace(b, []byte(`"events":100,`), []byte(`"events":4242,`), 1), 0o644)
	if code, _, errs := runLSC(t, "flow", "compartments", "--samples", sheet, "--out", wf, "-q", "--force"); code != 0 {
		t.Fatal(errs)
	}
	if html, _ := os.ReadFile(filepath.Join(wf, "report.html")); !strings.Contains(string(html), "<td>4242</td>") {
		t.Error("the gathering run did not use the per-sample part")
	}
	os.WriteFile(parts[0], []byte("{"), 0o644)
	if code, _, errs := runLSC(t, "flow", "compartments", "--samples", sheet, "--out", wf, "-q", "--force"); code != 1 || !strings.Contains(errs, parts[0]) || !strings.Contains(errs, "delete it") {
		t.Errorf("a broken part: exit %d, %s", code, errs)
	}
	if code, _, errs := runLSC(t, "flow", "compartments", "--samples", sheet, "--only", "S3", "--out", wf); code != 2 || !strings.Contains(errs, "S1, S 2") {
		t.Errorf("--only of an unknown sample: exit %d, %s", code, errs)
	}
}

// Per-patient jobs (--only) on the mrd package's hand-built cases, then
// the gathering run: the same bytes as one process, each page copied from
// its part (an edited part shows). Expectation: the one-process run.
func TestMRDOnly(t *testing.T) {
	dir := t.TempDir()
	one, wf := filepath.Join(dir, "one"), filepath.Join(dir, "wf")
	args := []string{"mrd", "assess", "--data", mrdData, "--patients", mrdPatients, "-q"}
	if code, _, errs := runLSC(t, append(args, "--out", one)...); code != 0 {
		t.Fatal(errs)
	}
	pages, _ := filepath.Glob(filepath.Join(one, "patients", "*.html"))
	if len(pages) != 8 {
		t.Fatalf("pages %v", pages)
	}
	for _, p := range pages {
		if code, _, errs := runLSC(t, append(args, "--out", wf, "--only", strings.TrimSuffix(filepath.Base(p), ".html"))...); code != 0 {
			t.Fatal(errs)
		}
	}
	if code, _, errs := runLSC(t, append(args, "--out", wf)...); code != 0 {
		t.Fatal(errs)
	}
	sameTree(t, one, wf)
	parts, _ := filepath.Glob(filepath.Join(wf, "cache", "P3.*.html"))
	if len(parts) != 1 {
		t.Fatalf("parts %v", parts)
	}
	os.WriteFile(parts[0], []byte("edited"), 0o644)
	if code, _, errs := runLSC(t, append(args, "--out", wf, "--force")...); code != 0 {
		t.Fatal(errs)
	}
	if b, _ := os.ReadFile(filepath.Join(wf, "patients", "P3.html")); string(b) != "edited" {
		t.Error("the gathering run did not use the per-patient page")
	}
	if code, _, errs := runLSC(t, append(args, "--out", wf, "--only", "P9")...); code != 2 || !strings.Contains(errs, `"P9": no such patient`) {
		t.Errorf("--only of an unknown patient: exit %d, %s", code, errs)
	}
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
