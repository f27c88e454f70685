package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/lsc-bio/lsc/flow/fcs"
	"github.com/lsc-bio/lsc/internal/fcstest"
)

// In-repo fixtures (see each testdata/README.md).
const (
	lineFCS   = "../../flow/wsp/testdata/data_set_simple_line_100.fcs"
	nestedWSP = "../../flow/wsp/testdata/nested.wsp"
	otherFCS  = "../../flow/fcs/testdata/data_start_offset_discrepancy_example.fcs"
)

// lsc flow end to end on the Gating-ML compliance data: the counts lsc
// writes equal the number of 1s in each truth file.
func TestFlowCLI(t *testing.T) {
	ref, _ := filepath.Abs("../../../shared/testdata/flow/flowkit/gate_ref")
	if _, err := os.Stat(ref); err != nil {
		t.Skip("../shared/testdata absent")
	}
	data1 := filepath.Join(ref, "data1.fcs")
	code, out, _ := runLSC(t, "flow", "info", data1, "--json")
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
	if err := json.Unmarshal([]byte(out), &info); err != nil || code != 0 {
		t.Fatal(code, err)
	}
	// MANIFEST: FCS2.0, 8 parameters, 13367 events, $PnS FSC-Height ...
	if info.Version != "2.0" || info.Events != 13367 || len(info.Parameters) != 8 || info.Parameters[0].Label != "FSC-Height" ||
		info.Parameters[0].Bits != 16 || string(info.Spillover) != "null" || len(info.Keywords) < 50 {
		t.Errorf("info: %+v", info)
	}
	dir := t.TempDir()
	counts, mem := filepath.Join(dir, "counts.tsv"), filepath.Join(dir, "members.tsv")
	if code, _, errs := runLSC(t, "flow", "gate", data1, "--gating", filepath.Join(ref, "gml", "gml_all_gates.xml"), "--out", counts, "--membership", mem); code != 0 {
		t.Fatal(errs)
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
		if got, _ := strconv.Atoi(f[2]); got != strings.Count(string(truth), "1") {
			t.Errorf("%s: count %d, truth %d", f[1], got, strings.Count(string(truth), "1"))
		}
		checked++
	}
	if checked < 40 {
		t.Errorf("only %d populations checked", checked)
	}
	if mb, _ := os.ReadFile(mem); strings.Count(string(mb), "\n") != 13368 {
		t.Errorf("membership rows %d", strings.Count(string(mb), "\n"))
	}
	// Events: header is the PnN names; raw values equal the FlowIO truth (tested in flow/fcs).
	_, ev, _ := runLSC(t, "flow", "events", data1, "--stage", "raw")
	if !strings.HasPrefix(ev, "FSC-H\tSSC-H\tFL1-H\tFL2-H\tFL3-H\tFL2-A\tFL4-H\tTime\n") || strings.Count(ev, "\n") != 13368 {
		t.Errorf("events header %q", strings.SplitN(ev, "\n", 2)[0])
	}
}

// A broken FCS file names itself (exit 1); in-repo fixture.
func TestFlowInfoBrokenFile(t *testing.T) {
	code, _, errs := runLSC(t, "flow", "info", "../../flow/fcs/testdata/corrupted.fcs")
	if code != 1 || !strings.Contains(errs, "corrupted.fcs") {
		t.Errorf("corrupted: %d %s", code, errs)
	}
}

// Issue 11.1 and 11.2 on the hand-written nested workspace: paths name each
// level once; a file the workspace does not hold is an error unless
// --sample picks the gates (then FlowJo's counts, another file's, are not
// printed); an unknown --sample is a usage error naming it.
func TestFlowGateWorkspace(t *testing.T) {
	code, out, errs := runLSC(t, "flow", "gate", lineFCS, "--gating", nestedWSP)
	if code != 0 || !strings.Contains(out, "\n/low/lower\tlow/lower\t25\t50\t50\t25\t25\t0\n") {
		t.Errorf("nested: %d %s %s", code, out, errs)
	}
	code, _, errs = runLSC(t, "flow", "gate", otherFCS, "--gating", nestedWSP)
	if code != 1 || !strings.Contains(errs, "no sample matches") || !strings.Contains(errs, "--sample NAME") {
		t.Errorf("other file: %d %s", code, errs)
	}
	code, out, errs = runLSC(t, "flow", "gate", otherFCS, "--gating", nestedWSP, "--sample", "data_set_simple_line_100.fcs")
	if code != 1 || !strings.Contains(errs, "channel_A") {
		// the other file lacks channel_A: the gates were applied to it
		t.Errorf("--sample: %d %s %s", code, out, errs)
	}
	code, _, errs = runLSC(t, "flow", "gate", otherFCS, "--gating", nestedWSP, "--sample", "nope")
	if code != 2 || !strings.Contains(errs, `--sample "nope"`) {
		t.Errorf("--sample nope: %d %s", code, errs)
	}
	// Issue 11.14: FlowJo 9's own layout is named, Latin-1 read.
	code, _, errs = runLSC(t, "flow", "gate", lineFCS, "--gating", "../../flow/wsp/testdata/flowjo9_layout.xml")
	if code != 1 || !strings.Contains(errs, "FlowJo 9.2 workspace") || strings.Contains(errs, "CharsetReader") {
		t.Errorf("FlowJo 9: %d %s", code, errs)
	}
}

// Issue 11.2 with --sample on the file's own sample under another name:
// the gates apply and the counts are reported when the events agree.
func TestFlowGateSampleByName(t *testing.T) {
	code, out, _ := runLSC(t, "flow", "gate", lineFCS, "--gating", nestedWSP, "--sample", "data_set_simple_line_100.fcs", "-q")
	if code != 0 || !strings.Contains(out, "flowjo_count") {
		t.Errorf("%d %s", code, out)
	}
}

// Issue 11.16: flow events takes a workspace population (by id or path);
// float32 values print as float32 (issue 11.19).
func TestFlowEventsWorkspacePopulation(t *testing.T) {
	for pop, n := range map[string]int{"low": 50, "/low/lower": 25} {
		code, out, errs := runLSC(t, "flow", "events", lineFCS, "--gating", nestedWSP, "--population", pop)
		if code != 0 || strings.Count(out, "\n") != n+1 {
			t.Errorf("%s: %d, %d lines, %s", pop, code, strings.Count(out, "\n"), errs)
		}
		// channel_A[1] = float32(65536 + 65536/99) = 66197.98 as float32
		if pop == "low" && (!strings.Contains(out, "\n66197.98\t131072\n") || strings.Contains(out, "66197.9765625")) {
			t.Errorf("float32 formatting:\n%.200s", out)
		}
	}
	if code, _, errs := runLSC(t, "flow", "events", lineFCS, "--gating", nestedWSP, "--population", "nope"); code != 2 || !strings.Contains(errs, "low/lower") {
		t.Errorf("unknown population: %d %s", code, errs)
	}
}

// Issue 11.16: events --out X.fcs keeps the source keywords and adds lsc's.
func TestFlowEventsFCSKeepsKeywords(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.fcs")
	f, _ := os.Create(src)
	err := fcs.Write(f, []fcs.Channel{{N: "FL1-A", S: "CD34"}, {N: "FL2-A", S: "CD38"}}, []float64{1, 2, 3, 4},
		map[string]string{"$FIL": "tube7.fcs", "SPILL": "2,FL1-A,FL2-A,1,0.1,0.2,1", "$CYT": "FACSCanto II", "$TIMESTEP": "0.01", "$P1V": "480", "$P2G": "2"})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.fcs")
	if code, _, errs := runLSC(t, "flow", "events", src, "--stage", "compensated", "--out", out); code != 0 {
		t.Fatal(errs)
	}
	ds, err := fcs.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"$FIL": "tube7.fcs", "SPILL": "2,FL1-A,FL2-A,1,0.1,0.2,1", "$CYT": "FACSCanto II", "LSC_STAGE": "compensated", "$SRC": "src.fcs", "$P1S": "CD34", "$P1V": "480"} {
		if v, _ := ds[0].Keyword(k); v != want {
			t.Errorf("%s = %q, want %q", k, v, want)
		}
	}
	if _, ok := ds[0].Keyword("$TIMESTEP"); ok {
		t.Error("$TIMESTEP kept on scaled time")
	}
	if _, ok := ds[0].Keyword("$P2G"); ok {
		t.Error("$P2G kept on values with the gain divided out")
	}
}

// Issue 11.16: every flow command takes --quiet; it silences warnings.
func TestFlowQuiet(t *testing.T) {
	for _, sub := range []string{"info", "events", "gate", "compartments", "template", "spillover"} {
		if _, out, _ := runLSC(t, "flow", sub, "--help"); !strings.Contains(out, "--quiet") {
			t.Errorf("flow %s lacks --quiet", sub)
		}
	}
	if _, _, errs := runLSC(t, "flow", "info", otherFCS); !strings.Contains(errs, "warning") {
		t.Fatalf("no warning to silence: %q", errs)
	}
	if code, _, errs := runLSC(t, "flow", "info", otherFCS, "-q"); code != 0 || errs != "" {
		t.Errorf("-q: %d %q", code, errs)
	}
}

// Issues 11.8 and 11.9: outputs are checked before the work (an existing
// --out is refused before a missing input is even read) and written with
// mode 0666 less the umask.
func TestFlowOutputsCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	exist := filepath.Join(dir, "exists.tsv")
	os.WriteFile(exist, nil, 0o644)
	for _, args := range [][]string{
		{"flow", "gate", "missing.fcs", "--gating", nestedWSP, "--out", exist},
		{"flow", "events", "missing.fcs", "--out", exist},
	} {
		if code, _, errs := runLSC(t, args...); code != 2 || !strings.Contains(errs, "exists") {
			t.Errorf("%v: %d %s", args[1], code, errs)
		}
	}
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, nil, 0o644)
	if code, _, errs := runLSC(t, "flow", "compartments", "missing.fcs", "--out", filepath.Join(blocker, "out")); code == 0 || strings.Contains(errs, "missing.fcs") {
		t.Errorf("compartments into an impossible folder read the input first: %d %s", code, errs)
	}
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	out := filepath.Join(dir, "new", "counts.tsv")
	if code, _, errs := runLSC(t, "flow", "gate", lineFCS, "--gating", nestedWSP, "--out", out); code != 0 {
		t.Fatal(errs)
	}
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v %v, want 0640 under umask 027", st.Mode().Perm(), err)
	}
}

// Issue 11.5 on a hand-made panel (CD45, SSC-A, CD34, CD38; 10 identical
// events well inside the blast gate, CD34+ and CD38-): every missing marker
// on stderr, the reason column, cautions on the built-in cuts, run.json
// with each input's SHA-256 (computed here).
func TestFlowCompartmentsCLI(t *testing.T) {
	dir := t.TempDir()
	a := fcstest.Write(t, dir, "a.fcs", []string{"CD45", "SSC-A", "CD34", "CD38"}, []float64{1000, 50000, 10000, 0})
	b := fcstest.Write(t, dir, "b.fcs", []string{"CD45", "SSC-A", "CD38"}, []float64{1000, 50000, 0})
	out := filepath.Join(dir, "out")
	code, _, errs := runLSC(t, "flow", "compartments", a, b, "--out", out)
	if code != 0 {
		t.Fatal(errs)
	}
	for _, want := range []string{"a.fcs: markers not in this panel: CD90, CD45RA, CD123", "b.fcs: CD34 is not in this panel"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	tsv, _ := os.ReadFile(filepath.Join(out, "compartments.tsv"))
	for _, want := range []string{"\treason\n", "a.fcs\t\t\tCD34+CD38-\t/blasts/CD34+/CD34+CD38-\tyes\t10\t", "HSC\t\tno\t\t\t\t\t\t\t\t\t\t\t\t\t\tmarker CD90 not in the panel (gate CD34+CD38-CD90+ above)", "b.fcs\t\t\tCD34+\t\tno\t"} {
		if !strings.Contains(string(tsv), want) && !strings.Contains(string(tsv), strings.TrimPrefix(want, "\t")) {
			t.Errorf("compartments.tsv lacks %q", want)
		}
	}
	html, _ := os.ReadFile(filepath.Join(out, "report.html"))
	if !strings.Contains(string(html), "Caution:") {
		t.Error("no caution on the built-in cuts")
	}
	// report.html is the summary (no plots), each sample its own page.
	page, err := os.ReadFile(filepath.Join(out, "samples", "a.fcs.html"))
	if err != nil || !strings.Contains(string(html), `href="samples/a.fcs.html"`) || !strings.Contains(string(html), `href="samples/b.fcs.html"`) ||
		strings.Contains(string(html), "<svg") || !strings.Contains(string(page), "<svg") || !strings.Contains(string(page), `href="../report.html"`) {
		t.Errorf("summary does not link the sample pages, or a page lacks its plots: %v", err)
	}
	var run struct {
		Inputs []map[string]any `json:"inputs"`
	}
	rj, _ := os.ReadFile(filepath.Join(out, "run.json"))
	if err := json.Unmarshal(rj, &run); err != nil || len(run.Inputs) != 2 {
		t.Fatalf("run.json: %v %s", err, rj)
	}
	raw, _ := os.ReadFile(a)
	h := sha256.Sum256(raw)
	if run.Inputs[0]["path"] != a || run.Inputs[0]["sha256"] != hex.EncodeToString(h[:]) {
		t.Errorf("run.json inputs %v", run.Inputs)
	}
	if code, out, _ := runLSC(t, "flow", "template"); code != 0 || !strings.Contains(out, `"id": "HSC"`) {
		t.Errorf("template: %d", code)
	}
}

// The real panels (shared data): Diva counts checked against a direct count
// in flow/compartment; Aria without CD45 not measured.
func TestFlowCompartmentsRealPanels(t *testing.T) {
	diva, _ := filepath.Abs("../../../shared/testdata/flow/fcsparser/FACS_Diva/facs_diva_test.fcs")
	aria, _ := filepath.Abs("../../../shared/testdata/flow/flowkit/100715.fcs")
	if _, err := os.Stat(diva); err != nil {
		t.Skip("../shared/testdata absent")
	}
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, errs := runLSC(t, "flow", "compartments", diva, aria, "--out", dir, "-q"); code != 0 {
		t.Fatal(errs)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "compartments.tsv"))
	s := string(b)
	if !strings.Contains(s, "facs_diva_test.fcs\t\t\tCD34+CD38-\t/blasts/CD34+/CD34+CD38-\tyes\t161\t") || !strings.Contains(s, "100715.fcs\t\t\tblasts\t\tno\t") {
		t.Errorf("compartments.tsv:\n%s", s)
	}
}

// lsc flow spillover on flowCore's compdata equals flowCore's compref
// (checked to 1e-9 in package flow); here: the CLI writes it and lsc flow
// events reads it back.
func TestFlowSpilloverCLI(t *testing.T) {
	d, _ := filepath.Abs("../../../shared/testdata/flow/flowcore/compdata/data")
	if _, err := os.Stat(d); err != nil {
		t.Skip("../shared/testdata absent")
	}
	m := filepath.Join(t.TempDir(), "m.csv")
	if code, _, errs := runLSC(t, "flow", "spillover", "--unstained", d+"/060909.001", "--control", "FL1-H="+d+"/060909.002", "--control", "FL2-H="+d+"/060909.003",
		"--control", "FL3-H="+d+"/060909.005", "--control", "FL4-H="+d+"/060909.004", "--out", m); code != 0 {
		t.Fatal(errs)
	}
	b, _ := os.ReadFile(m)
	if !strings.HasPrefix(string(b), "FL1-H,FL2-H,FL3-H,FL4-H\n1,0.242022277630") {
		t.Errorf("matrix:\n%s", b)
	}
	if code, out, _ := runLSC(t, "flow", "events", d+"/060909.002", "--stage", "compensated", "--comp", m); code != 0 || strings.Count(out, "\n") < 100 {
		t.Errorf("events with the matrix: %d", code)
	}
}

// lsc flow compartments writes the same bytes and the same warnings whatever
// --jobs, with one sample measured before by --only (its cached part used
// in place of measuring it) and panels with and without CD34.
func TestFlowCompartmentsJobsSameBytes(t *testing.T) {
	dir := t.TempDir()
	sheet := "sample\tpatient\ttimepoint\tpath\n"
	for i, v := range [][]float64{{1000, 50000, 10000, 0}, {1200, 40000, 9000, 300}, {900, 60000, 200, 5000}, {1000, 50000, 10000, 0}, {800, 30000, 12000, 50}} {
		labels := []string{"CD45", "SSC-A", "CD34", "CD38"}
		if i == 2 {
			labels, v = []string{"CD45", "SSC-A", "CD38"}, []float64{v[0], v[1], v[3]}
		}
		name := string(rune('A'+i)) + ".fcs"
		sheet += fmt.Sprintf("%c\tP%d\tday %d\t%s\n", 'A'+i, i%2, 30*i, fcstest.Write(t, dir, name, labels, v))
	}
	sh := filepath.Join(dir, "s.tsv")
	os.WriteFile(sh, []byte(sheet), 0o644)
	warnings := map[string]string{}
	for _, j := range []string{"1", "4"} {
		out := filepath.Join(dir, "j"+j)
		if code, _, errs := runLSC(t, "flow", "compartments", "--samples", sh, "--only", "B", "--out", out, "-q"); code != 0 {
			t.Fatal(errs)
		}
		code, _, errs := runLSC(t, "flow", "compartments", "--samples", sh, "--jobs", j, "--out", out, "--force")
		if code != 0 {
			t.Fatal(errs)
		}
		warnings[j] = errs
	}
	sameDirs(t, filepath.Join(dir, "j1"), filepath.Join(dir, "j4"), []string{"compartments.tsv", "report.html", "run.json", "gates.xml",
		"samples/A.html", "samples/B.html", "samples/C.html", "samples/D.html", "samples/E.html"})
	if warnings["1"] != warnings["4"] || !strings.Contains(warnings["1"], "C: CD34 is not in this panel") {
		t.Errorf("warnings differ or lack C's:\n%s\n--\n%s", warnings["1"], warnings["4"])
	}
	if code, _, _ := runLSC(t, "flow", "compartments", "--samples", sh, "--jobs", "0", "--out", filepath.Join(dir, "j0")); code != 2 {
		t.Errorf("--jobs 0: exit %d, want 2", code)
	}
}
