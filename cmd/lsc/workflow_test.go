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
