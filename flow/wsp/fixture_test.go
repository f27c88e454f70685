package wsp

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/fcs"
)

const line = "testdata/data_set_simple_line_100.fcs"

func readLine(t *testing.T) *fcs.Dataset {
	t.Helper()
	ds, err := fcs.ReadFile(line)
	if err != nil {
		t.Fatal(err)
	}
	return ds[0]
}

// Issue 11.1: population paths name each level once. Counts by hand in
// testdata/nested.wsp (50 and 25 events).
func TestNestedPathsDoNotRepeat(t *testing.T) {
	w, err := ReadFile("testdata/nested.wsp")
	if err != nil {
		t.Fatal(err)
	}
	d := readLine(t)
	s, err := w.Find(line, "", d.Events, "")
	if err != nil {
		t.Fatal(err)
	}
	pops, err := flow.NewEvaluator(s.Strategy, d).Apply()
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		path, id string
		n        int
	}{{"/low", "low", 50}, {"/low/lower", "low/lower", 25}}
	if len(pops) != len(want) {
		t.Fatalf("%d populations", len(pops))
	}
	for i, p := range pops {
		if p.Path != want[i].path || p.ID != want[i].id || p.Count != want[i].n {
			t.Errorf("population %d: %s %s %d, want %+v", i, p.Path, p.ID, p.Count, want[i])
		}
	}
}

// Issue 11.2: a file is matched to a sample by name/$FIL and event count;
// anything else is an error unless --sample names the sample.
func TestFindMatchesAsFlowJo(t *testing.T) {
	w, err := ReadFile("testdata/nested.wsp")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := w.Find("/x/data_set_simple_line_100.fcs", "", 100, ""); err != nil || s.Name != "data_set_simple_line_100.fcs" {
		t.Errorf("same file: %v", err)
	}
	if _, err := w.Find("data_set_simple_line_100.fcs", "", 99, ""); !errors.Is(err, ErrMismatch) {
		t.Errorf("other event count: %v", err)
	}
	if _, err := w.Find("other.fcs", "other.fcs", 100, ""); !errors.Is(err, ErrNoSample) {
		t.Errorf("other file (the workspace's only sample must not be taken): %v", err)
	}
	if s, err := w.Find("other.fcs", "", 7, "data_set_simple_line_100.fcs"); err != nil || s == nil {
		t.Errorf("--sample: %v", err)
	}
	_, err = w.Find("other.fcs", "", 7, "nope")
	if !errors.Is(err, ErrNoSample) || !strings.Contains(err.Error(), `--sample "nope"`) {
		t.Errorf("--sample nope: %v", err)
	}
}

// Issue 11.14: ISO-8859-1 workspaces read; FlowJo 9's own gate layout is
// named and refused; FlowJo 10 elements under a FlowJo 9 header import.
func TestFlowJo9Latin1(t *testing.T) {
	_, err := ReadFile("testdata/flowjo9_layout.xml")
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "FlowJo 9.2") {
		t.Errorf("FlowJo 9 layout: %v", err)
	}
	w, err := ReadFile("testdata/nested_fj9_latin1.wsp")
	if err != nil {
		t.Fatal(err)
	}
	if w.Version != "9.9.6" || len(w.Notes) != 1 {
		t.Errorf("version %q notes %v", w.Version, w.Notes)
	}
	s := w.Samples[0]
	if len(s.Populations) != 2 || s.Populations[1].Name != "léger" || s.Populations[1].FlowJoCount != 25 {
		t.Errorf("populations %+v", s.Populations)
	}
}

// Any bytes: an error or a workspace, never a panic or a hang.
func FuzzRead(f *testing.F) {
	for _, p := range []string{"testdata/nested.wsp", "testdata/nested_fj9_latin1.wsp", "testdata/flowjo9_layout.xml"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := Read(bytes.NewReader(b), "fuzz.wsp")
		if err != nil {
			return
		}
		for _, s := range w.Samples {
			w.Find("x.fcs", "", s.Count, s.Name)
		}
	})
}
