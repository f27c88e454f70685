package gatingml

import (
	"testing"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/fcs"
)

// Hand-written gates on the in-repo simple-line file: counts derived by
// hand in testdata/line_gates.xml, so the reader and the gate engine are
// checked on a bare clone.
func TestLineGatesFixture(t *testing.T) {
	s, err := ReadFile("testdata/line_gates.xml")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := fcs.ReadFile("testdata/data_set_simple_line_100.fcs")
	if err != nil {
		t.Fatal(err)
	}
	pops, err := flow.NewEvaluator(s, ds[0]).Apply()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		path string
		n    int
	}{"Range": {"/Range", 31}, "InRangeHigh": {"/Range/InRangeHigh", 16}, "Box": {"/Box", 37}, "Both": {"/Both", 15}, "NotRange": {"/NotRange", 69}}
	if len(pops) != len(want) {
		t.Fatalf("%d populations", len(pops))
	}
	for _, p := range pops {
		if w := want[p.ID]; p.Count != w.n || p.Path != w.path {
			t.Errorf("%s: %s %d, want %s %d", p.ID, p.Path, p.Count, w.path, w.n)
		}
	}
}
