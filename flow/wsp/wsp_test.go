package wsp

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/fcs"
)

const flowData = "../../../shared/testdata/flow"

type pair struct {
	id          string
	lsc, flowjo int
}

func gateSample(t *testing.T, wspPath, fcsPath string) []pair {
	t.Helper()
	w, err := ReadFile(wspPath)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := fcs.ReadFile(fcsPath)
	if err != nil {
		t.Fatal(err)
	}
	fil, _ := ds[0].Keyword("$FIL")
	s, err := w.Find(fcsPath, fil, ds[0].Events, "")
	if err != nil {
		t.Fatal(err)
	}
	if s.Count != ds[0].Events {
		t.Errorf("FlowJo counted %d events, the file has %d", s.Count, ds[0].Events)
	}
	pops, err := flow.NewEvaluator(s.Strategy, ds[0]).Apply()
	if err != nil {
		t.Fatal(err)
	}
	var out []pair
	for i, p := range pops {
		out = append(out, pair{p.ID, p.Count, s.Populations[i].FlowJoCount})
	}
	return out
}

// FlowJo's stored counts are the reference. Rectangle-only gates must agree
// exactly; polygons may differ by events on the boundary, which FlowJo bins
// (FlowKit #113): at most 0.5 % of FlowJo's count or 2 events.
func TestFlowSOMWorkspaceMatchesFlowJoCounts(t *testing.T) {
	dir := filepath.Join(flowData, "flowsom")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared/testdata absent")
	}
	for _, p := range gateSample(t, filepath.Join(dir, "gating.wsp"), filepath.Join(dir, "68983.fcs")) {
		d := math.Abs(float64(p.lsc - p.flowjo))
		t.Logf("%-60s lsc %6d FlowJo %6d", p.id, p.lsc, p.flowjo)
		if d > math.Max(2, 0.005*float64(p.flowjo)) {
			t.Errorf("%s: lsc %d, FlowJo %d", p.id, p.lsc, p.flowjo)
		}
	}
}

// The simple-line workspaces are in-repo fixtures (testdata/README.md):
// they run on a bare clone.
func TestSimpleLineFixtures(t *testing.T) {
	for _, w := range []string{"simple_poly_and_rect.wsp", "single_ellipse_51_events.wsp"} {
		for _, p := range gateSample(t, filepath.Join("testdata", w), "testdata/data_set_simple_line_100.fcs") {
			if p.flowjo >= 0 && math.Abs(float64(p.lsc-p.flowjo)) > 2 {
				t.Errorf("%s %s: lsc %d, FlowJo %d", w, p.id, p.lsc, p.flowjo)
			}
		}
	}
}

func TestSimpleWorkspaces(t *testing.T) {
	dir := filepath.Join(flowData, "flowkit")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared/testdata absent")
	}
	for _, c := range []struct{ wsp, fcs string }{
		{"simple_diamond_example/simple_diamond_example_quad_gate.wsp", "simple_diamond_example/test_data_diamond_01.fcs"},
		{"simple_diamond_example/test_data_diamond_asinh_rect.wsp", "simple_diamond_example/test_data_diamond_01.fcs"},
		{"simple_diamond_example/test_data_diamond_asinh_rect2.wsp", "simple_diamond_example/test_data_diamond_01.fcs"},
		{"simple_diamond_example/test_data_diamond_biex_rect.wsp", "simple_diamond_example/test_data_diamond_01.fcs"},
	} {
		for _, p := range gateSample(t, filepath.Join(dir, c.wsp), filepath.Join(dir, c.fcs)) {
			t.Logf("%s %-30s lsc %6d FlowJo %6d", filepath.Base(c.wsp), p.id, p.lsc, p.flowjo)
			if p.flowjo >= 0 && math.Abs(float64(p.lsc-p.flowjo)) > math.Max(2, 0.005*float64(p.flowjo)) {
				t.Errorf("%s %s: lsc %d, FlowJo %d", c.wsp, p.id, p.lsc, p.flowjo)
			}
		}
	}
}

// FlowSOM's gatingResult.csv labels each event with its manual-gate leaf
// population (from FlowJo): lsc's leaf memberships must agree for at least
// 99.5 % of the events (boundary events differ, see the package doc).
func TestFlowSOMPerEventLabels(t *testing.T) {
	dir := filepath.Join(flowData, "flowsom")
	raw, err := os.ReadFile(filepath.Join(dir, "gatingResult.csv"))
	if err != nil {
		t.Skip("../shared/testdata absent")
	}
	labels := strings.Split(strings.TrimSpace(string(raw)), "\n")
	w, _ := ReadFile(filepath.Join(dir, "gating.wsp"))
	ds, _ := fcs.ReadFile(filepath.Join(dir, "68983.fcs"))
	pops, err := flow.NewEvaluator(w.Samples[0].Strategy, ds[0]).Apply()
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) != ds[0].Events {
		t.Fatalf("%d labels for %d events", len(labels), ds[0].Events)
	}
	isParent := map[string]bool{}
	for _, p := range pops {
		isParent[p.Parent] = true
	}
	// The file names only some leaves (not DN or DP T cells); events in the
	// others are "Unlabeled" there.
	vocab := map[string]bool{}
	for _, l := range labels {
		vocab[strings.Trim(l, `"`)] = true
	}
	agree := 0
	for e, l := range labels {
		l = strings.Trim(l, `"`)
		got := "Unlabeled" // no leaf population holds the event
		for _, p := range pops {
			if !isParent[p.ID] && p.In[e] && vocab[filepath.Base(p.ID)] {
				got = filepath.Base(p.ID)
			}
		}
		if got == l {
			agree++
		}
	}
	frac := float64(agree) / float64(len(labels))
	t.Logf("per-event agreement %.4f (%d of %d)", frac, agree, len(labels))
	if frac < 0.995 {
		t.Errorf("agreement %.4f", frac)
	}
}

// The 8-colour ICS workspaces (their FCS files are not in the store) parse:
// every population gets a gate, and FlowJo's counts are kept.
func TestEightColourWorkspacesParse(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(flowData, "flowkit/8_color_data_set/*.wsp"))
	if len(files) == 0 {
		t.Skip("../shared/testdata absent")
	}
	for _, f := range files {
		w, err := ReadFile(f)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		total := 0
		for _, s := range w.Samples {
			if len(s.Populations) != len(s.Strategy.Gates) {
				t.Errorf("%s %s: %d populations, %d gates", filepath.Base(f), s.Name, len(s.Populations), len(s.Strategy.Gates))
			}
			total += len(s.Populations)
		}
		t.Logf("%s: %d samples, %d populations", filepath.Base(f), len(w.Samples), total)
	}
}
