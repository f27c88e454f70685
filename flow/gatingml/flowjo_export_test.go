package gatingml

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/fcs"
)

// FlowJo's Gating-ML export names compensated dimensions "Comp-<channel>"
// without a compensation-ref. FlowSOM's example (manualGating.xml, with
// 68983.fcs and the workspace gating.wsp it came from) is such a file: its
// NK1_1- gate (ID2056235295) is the same rectangle on Comp-PE-A x FSC-A as
// the workspace's NK1_1- population, whose count FlowJo stored as 17458. A
// rectangle's count does not depend on the display transform, so gating the
// export must give FlowJo's count within the tolerance the workspace tests
// allow for FlowJo's display-grid binning of the polygon parents (max(2,
// 0.5 %)).
func TestFlowJoExportCompNames(t *testing.T) {
	dir := "../../../shared/testdata/flow/flowsom"
	if _, err := os.Stat(filepath.Join(dir, "manualGating.xml")); err != nil {
		t.Skip("../shared/testdata absent")
	}
	s, err := ReadFile(filepath.Join(dir, "manualGating.xml"))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := fcs.ReadFile(filepath.Join(dir, "68983.fcs"))
	if err != nil {
		t.Fatal(err)
	}
	ev := flow.NewEvaluator(s, ds[0])
	pops, err := ev.Apply()
	if err != nil {
		t.Fatal(err)
	}
	const flowJoNK11Neg = 17458 // gating.wsp, Population NK1_1- count
	found := false
	for _, p := range pops {
		if p.ID != "ID2056235295" {
			continue
		}
		found = true
		n := 0
		for _, in := range p.In {
			if in {
				n++
			}
		}
		if math.Abs(float64(n-flowJoNK11Neg)) > math.Max(2, 0.005*flowJoNK11Neg) {
			t.Errorf("NK1_1- (Comp-PE-A): %d events, FlowJo %d", n, flowJoNK11Neg)
		}
	}
	if !found {
		t.Fatal("gate ID2056235295 not gated")
	}
	warned := false
	for _, w := range ev.Warnings {
		if strings.Contains(w, `"Comp-PE-A"`) && strings.Contains(w, "compensated") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning saying Comp-PE-A was read compensated: %q", ev.Warnings)
	}
}
