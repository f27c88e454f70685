package gatingml

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/fcs"
)

const gateRef = "../../../shared/testdata/flow/flowkit/gate_ref"

// The Gating-ML 2.0 compliance suite (ISAC, as shipped in FlowKit
// data/gate_ref): every gate of gml_all_gates.xml and of each single-gate
// file applied to data1.fcs must give exactly the per-event membership in
// truth/Results_<id>.txt.
func TestGatingMLCompliance(t *testing.T) {
	if _, err := os.Stat(gateRef); err != nil {
		t.Skip("../shared/testdata absent")
	}
	ds, err := fcs.ReadFile(filepath.Join(gateRef, "data1.fcs"))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(gateRef, "gml", "*.xml"))
	checked := map[string]bool{}
	for _, f := range files {
		s, err := ReadFile(f)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		pops, err := flow.NewEvaluator(s, ds[0]).Apply()
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		for _, p := range pops {
			truth, ok := readTruth(t, p.ID)
			if !ok {
				continue
			}
			diff := 0
			for i := range truth {
				if truth[i] != p.In[i] {
					diff++
				}
			}
			if diff > 0 {
				t.Errorf("%s gate %s: %d of %d events differ from the truth", filepath.Base(f), p.ID, diff, len(truth))
			}
			checked[p.ID] = true
		}
	}
	truthFiles, _ := filepath.Glob(filepath.Join(gateRef, "truth", "Results_*.txt"))
	if len(checked) < len(truthFiles)-1 {
		var missing []string
		for _, tf := range truthFiles {
			id := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(tf), "Results_"), ".txt")
			if !checked[id] {
				missing = append(missing, id)
			}
		}
		t.Errorf("gates without a check: %v", missing)
	}
	t.Logf("%d gates checked against the truth", len(checked))
}

func readTruth(t *testing.T, id string) ([]bool, bool) {
	f, err := os.Open(filepath.Join(gateRef, "truth", "Results_"+id+".txt"))
	if err != nil {
		return nil, false
	}
	defer f.Close()
	var out []bool
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		s := strings.TrimSpace(sc.Text())
		if s == "" {
			continue
		}
		out = append(out, s == "1")
	}
	return out, true
}

// Export then import gives the same populations, event for event.
func TestGatingMLRoundTrip(t *testing.T) {
	if _, err := os.Stat(gateRef); err != nil {
		t.Skip("../shared/testdata absent")
	}
	ds, _ := fcs.ReadFile(filepath.Join(gateRef, "data1.fcs"))
	s, err := ReadFile(filepath.Join(gateRef, "gml", "gml_all_gates.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	if err := Write(&buf, s); err != nil {
		t.Fatal(err)
	}
	s2, err := Read(strings.NewReader(buf.String()), "roundtrip.xml")
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	a, _ := flow.NewEvaluator(s, ds[0]).Apply()
	b, err := flow.NewEvaluator(s2, ds[0]).Apply()
	if err != nil || len(a) != len(b) {
		t.Fatalf("%v: %d vs %d populations", err, len(a), len(b))
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Count != b[i].Count || a[i].Path != b[i].Path {
			t.Errorf("%s: %d vs %s: %d", a[i].ID, a[i].Count, b[i].ID, b[i].Count)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add(`<Gating-ML><RectangleGate id="a"><dimension min="1"><fcs-dimension name="X"/></dimension></RectangleGate></Gating-ML>`)
	f.Add(`<Gating-ML><BooleanGate id="b"><and><gateReference ref="a"/></and></BooleanGate></Gating-ML>`)
	f.Fuzz(func(t *testing.T, s string) {
		Read(strings.NewReader(s), "f.xml")
	})
}
