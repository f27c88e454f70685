package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lsc workflow init: the stemcells flags given reach every rule (absolute
// paths for files), the cache files are the ones lsc stemcells writes, and
// bad values are usage errors. Running the files: package workflow's tests.
func TestWorkflowInit(t *testing.T) {
	dir := t.TempDir()
	demo, _ := filepath.Abs("../../demo/data")
	sheet := filepath.Join(dir, "study.tsv")
	os.WriteFile(sheet, []byte("sample\tpatient\ttimepoint\tpath\tannotation\tcelltype_column\n"+
		"P1_dx\tP1\tdiagnosis\t"+demo+"/GSM3587984_AML870-D0.dem.txt.gz\t"+demo+"/GSM3587985_AML870-D0.anno.txt.gz\tCellType\n"), 0o644)
	gmt := filepath.Join(dir, "sets.gmt")
	os.WriteFile(gmt, []byte("STEM\tx\tCD34\tGATA2\tHOPX\tSPINK2\tMMRN1\tPROM1\tCRHBP\tHLF\n"), 0o644)
	wf := filepath.Join(dir, "wf")
	code, _, stderr := runLSC(t, "workflow", "init", "--samples", sheet, "-s", "sets.gmt:STEM", "--keep", "*-like", "--max-rank", "1000", "--out", wf, "--partition", "short", "--account", "lab")
	if code == 0 || !strings.Contains(stderr, "sets.gmt") { // relative to the working directory, which is not dir
		t.Errorf("unknown signature file: exit %d %s", code, stderr)
	}
	args := []string{"workflow", "init", "--samples", sheet, "-s", gmt + ":STEM", "--keep", "*-like", "--max-rank", "1000", "--out", wf, "--partition", "short", "--account", "lab", "-q"}
	if code, _, stderr := runLSC(t, args...); code != 0 {
		t.Fatalf("exit %d %s", code, stderr)
	}
	cfg, _ := os.ReadFile(filepath.Join(wf, "config.yaml"))
	prof, _ := os.ReadFile(filepath.Join(wf, "profiles", "slurm", "config.yaml"))
	for _, want := range []string{`args: ["--keep=*-like", "--max-rank=1000", "--signature=` + gmt + `:STEM"]`, `sheet: "` + sheet + `"`, `id: "P1_dx"`} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("config.yaml lacks %s:\n%s", want, cfg)
		}
	}
	if !strings.Contains(string(prof), "--partition=short --account=lab") {
		t.Errorf("profile:\n%s", prof)
	}
	// The per-sample command writes the cache file config.yaml names.
	out := filepath.Join(dir, "out")
	if code, _, stderr := runLSC(t, "stemcells", "--samples", sheet, "-s", gmt+":STEM", "--keep", "*-like", "--max-rank", "1000", "--out", out, "--only", "P1_dx"); code != 0 || !strings.Contains(stderr, "345 cells scored") {
		t.Fatalf("--only: exit %d %s", code, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "cache", "*"))
	if len(files) != 1 || !strings.Contains(string(cfg), `cache: "results/cache/`+filepath.Base(files[0])+`"`) {
		t.Errorf("cache %v, config:\n%s", files, cfg)
	}
	if _, err := os.Stat(filepath.Join(out, "cells.tsv")); err == nil {
		t.Error("--only wrote the study results")
	}
	if code, _, stderr := runLSC(t, "stemcells", "--samples", sheet, "-s", "LSC104", "--out", out, "--only", "P9"); code != 2 || !strings.Contains(stderr, "samples: P1_dx") {
		t.Errorf("--only unknown sample: exit %d %s", code, stderr)
	}
	if code, _, stderr := runLSC(t, args...); code != 2 || !strings.Contains(stderr, "--force") {
		t.Errorf("existing workflow: exit %d %s", code, stderr)
	}
	if code, _, _ := runLSC(t, append(args, "--method", "nope")...); code != 2 {
		t.Errorf("--method nope: exit %d", code)
	}
}

// lsc workflow init --flow / --mrd without --samples: only those rules'
// jobs, named as the per-file and per-patient commands name their parts.
func TestWorkflowInitFlowMRD(t *testing.T) {
	dir := t.TempDir()
	wf := filepath.Join(dir, "wf")
	if code, _, stderr := runLSC(t, "workflow", "init", "--out", wf); code != 2 || !strings.Contains(stderr, "--flow SHEET") {
		t.Errorf("no inputs: exit %d %s", code, stderr)
	}
	fcs, _ := filepath.Abs("../../flow/fcs/testdata/data_set_simple_line_100.fcs")
	sheet := filepath.Join(dir, "flow.tsv")
	os.WriteFile(sheet, []byte("sample\tpatient\ttimepoint\tpath\nS1\tP1\tdiagnosis\t"+fcs+"\n"), 0o644)
	data, _ := filepath.Abs(mrdData)
	if code, _, stderr := runLSC(t, "workflow", "init", "--flow", sheet, "--mrd", data, "--out", wf, "-q"); code != 0 {
		t.Fatalf("exit %d %s", code, stderr)
	}
	cfg, _ := os.ReadFile(filepath.Join(wf, "config.yaml"))
	if code, _, stderr := runLSC(t, "flow", "compartments", "--samples", sheet, "--only", "S1", "--out", filepath.Join(wf, "results", "flow"), "-q"); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := runLSC(t, "mrd", "assess", "--data", data, "--only", "Chu", "--out", filepath.Join(wf, "results", "mrd"), "-q"); code != 0 {
		t.Fatal(stderr)
	}
	parts, _ := filepath.Glob(filepath.Join(wf, "results", "*", "cache", "*"))
	if len(parts) != 2 {
		t.Fatalf("parts %v", parts)
	}
	for _, p := range parts {
		rel, _ := filepath.Rel(wf, p)
		if !strings.Contains(string(cfg), `part: "`+filepath.ToSlash(rel)+`"`) {
			t.Errorf("config.yaml does not name %s:\n%s", rel, cfg)
		}
	}
	if !strings.Contains(string(cfg), "samples: []") || strings.Count(string(cfg), "- id:") != 9 { // 1 FCS file, 8 patients
		t.Errorf("config.yaml:\n%s", cfg)
	}
	if code, _, stderr := runLSC(t, "workflow", "init", "--mrd", "nope.csv", "--out", filepath.Join(dir, "wf2")); code == 0 || !strings.Contains(stderr, "nope.csv") {
		t.Errorf("missing MRD sheet: exit %d %s", code, stderr)
	}
}
