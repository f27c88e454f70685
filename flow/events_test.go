package flow

import (
	"math"
	"testing"

	"github.com/lsc-bio/lsc/flow/fcs"
)

// A hand-made data set: FSC-A, FL1-A, FL2-A, Time; the fluorescence is the
// spillover M = [[1, 0.2], [0.1, 1]] applied to true values (100, 50) and
// (0, 300), so compensation must give those back.
func handData() *fcs.Dataset {
	return &fcs.Dataset{Path: "hand.fcs", Events: 2, DataType: "F",
		Params: []fcs.Param{{Index: 1, N: "FSC-A", Gain: 1}, {Index: 2, N: "FL1-A", Gain: 1}, {Index: 3, N: "FL2-A", Gain: 1}, {Index: 4, N: "Time", Gain: 1, IsTime: true}},
		Data:   []float64{1000, 105, 70, 1, 2000, 30, 300, 2}}
}

var handSpill = &Spillover{Fluorochromes: []string{"FL1-A", "FL2-A"}, Detectors: []string{"FL1-A", "FL2-A"}, M: [][]float64{{1, 0.2}, {0.1, 1}}, Source: "hand"}

func TestEventsStages(t *testing.T) {
	lin := Linear{T: 1000}
	for _, c := range []struct {
		opt  EventOptions
		want []float64
	}{
		{EventOptions{Stage: Raw, Spillover: handSpill, Transform: lin}, []float64{1000, 105, 70, 1, 2000, 30, 300, 2}},
		{EventOptions{Stage: Compensated, Spillover: handSpill}, []float64{1000, 100, 50, 1, 2000, 0, 300, 2}},
		// transformed: the channels the spillover names
		{EventOptions{Stage: Transformed, Spillover: handSpill, Transform: lin}, []float64{1000, 0.1, 0.05, 1, 2000, 0, 0.3, 2}},
		// without a spillover: every channel but scatter and time
		{EventOptions{Stage: Transformed, Transform: lin}, []float64{1000, 0.105, 0.07, 1, 2000, 0.03, 0.3, 2}},
		{EventOptions{Stage: Scaled, Keep: []bool{false, true}}, []float64{2000, 30, 300, 2}},
	} {
		tb, err := Events(handData(), c.opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(tb.Values) != len(c.want) || tb.Rows != len(c.want)/4 || !tb.Float32 || tb.Names[3] != "Time" {
			t.Fatalf("%v: %v", c.opt.Stage, tb)
		}
		for i, v := range c.want {
			if math.Abs(tb.Values[i]-v) > 1e-12 {
				t.Errorf("%v: value %d = %v, want %v", c.opt.Stage, i, tb.Values[i], v)
			}
		}
	}
	if _, err := ParseStage("cooked"); err == nil {
		t.Error("unknown stage accepted")
	}
	if s, _ := ParseStage("compensated"); s != Compensated || s.String() != "compensated" {
		t.Error("stage names")
	}
}

func TestScatterRule(t *testing.T) {
	for name, want := range map[string]bool{"FSC-A": true, "ssc-h": true, "SSC": true, "FL1-A": false, "CD34 PE": false} {
		if IsScatter(name) != want {
			t.Errorf("IsScatter(%q) != %v", name, want)
		}
	}
	if IsFluorescence(fcs.Param{N: "Time", IsTime: true}) || !IsFluorescence(fcs.Param{N: "FL1-A"}) {
		t.Error("IsFluorescence")
	}
}

// Paths use gate names; percentages of parent and of all by hand.
func TestCountsAndPaths(t *testing.T) {
	d := handData()
	s := &Strategy{Gates: []*Gate{
		{ID: "a", Kind: "rectangle", Dims: []Dim{{Name: "FSC-A", Min: 500, HasMin: true}}},
		{ID: "a/b", Name: "b", Parent: "a", Kind: "rectangle", Dims: []Dim{{Name: "FSC-A", Min: 1500, HasMin: true}}},
		{ID: "a/b/c", Name: "c", Parent: "a/b", Kind: "rectangle", Dims: []Dim{{Name: "FSC-A", Max: 0, HasMax: true}}},
	}}
	pops, err := NewEvaluator(s, d).Apply()
	if err != nil {
		t.Fatal(err)
	}
	c := Counts(pops, d.Events, map[string]int{"a": 2, "a/b": 3})
	want := []PopulationCount{
		{Path: "/a", ID: "a", Count: 2, ParentCount: 2, PercentParent: 100, PercentTotal: 100, Reference: 2, Difference: 0},
		{Path: "/a/b", ID: "a/b", Count: 1, ParentCount: 2, PercentParent: 50, PercentTotal: 50, Reference: 3, Difference: -2},
		{Path: "/a/b/c", ID: "a/b/c", Count: 0, ParentCount: 1, PercentParent: 0, PercentTotal: 0, Reference: -1},
	}
	for i := range want {
		if c[i] != want[i] {
			t.Errorf("%d: %+v, want %+v", i, c[i], want[i])
		}
	}
	empty := Counts([]Population{{ID: "x", Parent: "y"}}, 0, nil)
	if !math.IsNaN(empty[0].PercentParent) || !math.IsNaN(empty[0].PercentTotal) {
		t.Errorf("empty denominators: %+v", empty[0])
	}
}
