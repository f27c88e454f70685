package plot

import (
	"math"
	"strings"
	"testing"
)

// Ribbons join a flow's blocks in neighbouring lanes only when it is in
// both; every present block is drawn with its value; one legend entry per
// flow; the same input gives the same bytes.
func TestAlluvial(t *testing.T) {
	flows := []Flow{{"clone 1", []float64{10, 20, 5}}, {"clone 2", []float64{0, 4, math.NaN()}}, {"clone 3", []float64{2, 0, 3}}}
	svg := Alluvial("P1", []string{"pre", "d28", "d90"}, flows, "timepoint", "cells (%)")
	if n := strings.Count(svg, `fill-opacity="0.35"`); n != 2 { // clone 1: 2 ribbons; clone 2 absent at pre and d90, clone 3 at d28
		t.Errorf("%d ribbons", n)
	}
	if n := strings.Count(svg, "<rect"); n != 6+3 { // 6 present blocks + 3 legend keys
		t.Errorf("%d rects", n)
	}
	for _, s := range []string{"clone 1 at d28: 20", "clone 2 at d28: 4", "cells (%)", "timepoint", ">P1<"} {
		if !strings.Contains(svg, s) {
			t.Errorf("missing %q", s)
		}
	}
	if svg != Alluvial("P1", []string{"pre", "d28", "d90"}, flows, "timepoint", "cells (%)") {
		t.Error("not deterministic")
	}
}

// Stacked bars draw each row's shares in percent of its total; a row
// without data says so.
func TestStackedBars(t *testing.T) {
	svg := StackedBars([]string{"S1", "S2"}, []string{"a", "b"}, [][]float64{{1, 3}, {0, 0}}, "cells (%)")
	for _, s := range []string{"S1, a: 25%", "S1, b: 75%", "no data"} {
		if !strings.Contains(svg, s) {
			t.Errorf("missing %q", s)
		}
	}
}
