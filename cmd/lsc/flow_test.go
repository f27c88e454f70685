package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// lsc flow end to end on the Gating-ML compliance data: the counts lsc
// writes equal the number of 1s in each truth file.
func TestFlowCLI(t *testing.T) {
	bin := buildLSC(t)
	ref, _ := filepath.Abs("../../../shared/testdata/flow/flowkit/gate_ref")
	if _, err := os.Stat(ref); err != nil {
		t.Skip("../shared/testdata absent")
	}
	data1 := filepath.Join(ref, "data1.fcs")
	out, err := exec.Command(bin, "flow", "info", data1, "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		Version    string `json:"version"`
		Events     int    `json:"events"`
		Parameters []struct {
			Name  string `json:"name"`
			Label string `json:"label"`
			Bits  int    `json:"bits"`
		} `json:"parameters"`
		Keywords  [][2]string     `json:"keywords"`
		Spillover json.RawMessage `json:"spillover"`
	}
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatal(err)
	}
	// MANIFEST: FCS2.0, 8 parameters, 13367 events, $PnS FSC-Height ...
	if info.Version != "2.0" || info.Events != 13367 || len(info.Parameters) != 8 || info.Parameters[0].Label != "FSC-Height" ||
		info.Parameters[0].Bits != 16 || string(info.Spillover) != "null" || len(info.Keywords) < 50 {
		t.Errorf("info: %+v", info)
	}
	dir := t.TempDir()
	counts := filepath.Join(dir, "counts.tsv")
	mem := filepath.Join(dir, "members.tsv")
	if b, err := exec.Command(bin, "flow", "gate", data1, "--gating", filepath.Join(ref, "gml", "gml_all_gates.xml"), "--out", counts, "--membership", mem).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, b)
	}
	b, _ := os.ReadFile(counts)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "population\tgate_id\tcount\tparent_count\tpercent_parent\tpercent_total" {
		t.Fatalf("header %q", lines[0])
	}
	checked := 0
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		truth, err := os.ReadFile(filepath.Join(ref, "truth", "Results_"+f[1]+".txt"))
		if err != nil {
			continue
		}
		want := strings.Count(string(truth), "1")
		if got, _ := strconv.Atoi(f[2]); got != want {
			t.Errorf("%s: count %d, truth %d", f[1], got, want)
		}
		checked++
	}
	if checked < 40 {
		t.Errorf("only %d populations checked", checked)
	}
	mb, _ := os.ReadFile(mem)
	if n := strings.Count(string(mb), "\n"); n != 13368 {
		t.Errorf("membership rows %d", n)
	}
	// Events: header is the PnN names; raw values equal the FlowIO truth (tested in flow/fcs).
	ev, err := exec.Command(bin, "flow", "events", data1, "--stage", "raw").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(ev), "FSC-H\tSSC-H\tFL1-H\tFL2-H\tFL3-H\tFL2-A\tFL4-H\tTime\n") || strings.Count(string(ev), "\n") != 13368 {
		t.Errorf("events header %q", strings.SplitN(string(ev), "\n", 2)[0])
	}
	// A workspace is refused with a clear message; a broken FCS file names itself.
	c := exec.Command(bin, "flow", "info", filepath.Join(ref, "..", "..", "fcsparser", "corrupted", "corrupted.fcs"))
	b, err = c.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(b), "corrupted.fcs") {
		t.Errorf("corrupted: %v %s", err, b)
	}
}

// lsc flow compartments end to end on two real panels: one with CD45/CD34/CD38
// (counts checked against a direct count in flow/compartment), one without CD45
// (reported as not measured, not an error).
func TestFlowCompartmentsCLI(t *testing.T) {
	bin := buildLSC(t)
	diva, _ := filepath.Abs("../../../shared/testdata/flow/fcsparser/FACS_Diva/facs_diva_test.fcs")
	aria, _ := filepath.Abs("../../../shared/testdata/flow/flowkit/100715.fcs")
	if _, err := os.Stat(diva); err != nil {
		t.Skip("../shared/testdata absent")
	}
	dir := filepath.Join(t.TempDir(), "out")
	if b, err := exec.Command(bin, "flow", "compartments", diva, aria, "--out", dir).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, b)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "compartments.tsv"))
	s := string(b)
	if !strings.Contains(s, "facs_diva_test.fcs\t\t\tCD34+CD38-\t/blasts/CD34+/CD34+CD38-\tyes\t161\t") || !strings.Contains(s, "100715.fcs\t\t\tblasts\t\tno\t") {
		t.Errorf("compartments.tsv:\n%s", s)
	}
	for _, f := range []string{"report.html", "gates.xml", "run.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	// The template prints and reads back.
	out, err := exec.Command(bin, "flow", "template").Output()
	if err != nil || !strings.Contains(string(out), `"id": "HSC"`) {
		t.Errorf("template: %v", err)
	}
}

// lsc flow spillover on flowCore's compdata equals flowCore's compref
// (checked to 1e-9 in package flow); here: the CLI writes it and lsc flow
// events reads it back.
func TestFlowSpilloverCLI(t *testing.T) {
	bin := buildLSC(t)
	d, _ := filepath.Abs("../../../shared/testdata/flow/flowcore/compdata/data")
	if _, err := os.Stat(d); err != nil {
		t.Skip("../shared/testdata absent")
	}
	m := filepath.Join(t.TempDir(), "m.csv")
	args := []string{"flow", "spillover", "--unstained", d + "/060909.001", "--control", "FL1-H=" + d + "/060909.002", "--control", "FL2-H=" + d + "/060909.003",
		"--control", "FL3-H=" + d + "/060909.005", "--control", "FL4-H=" + d + "/060909.004", "--out", m}
	if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, b)
	}
	b, _ := os.ReadFile(m)
	if !strings.HasPrefix(string(b), "FL1-H,FL2-H,FL3-H,FL4-H\n1,0.242022277630") {
		t.Errorf("matrix:\n%s", b)
	}
	if out, err := exec.Command(bin, "flow", "events", d+"/060909.002", "--stage", "compensated", "--comp", m).CombinedOutput(); err != nil || strings.Count(string(out), "\n") < 100 {
		t.Errorf("events with the matrix: %v", err)
	}
}
