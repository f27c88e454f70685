package flow

import (
	"testing"

	"github.com/lsc-bio/lsc/flow/fcs"
)

// Transformed values are cached per evaluator (issue 18: lsc flow
// compartments transformed CD38 once per gate and again for the plots); the
// cache must keep dimensions apart: two transforms of one channel, and the
// same transform with and without compensation, each equal the transform
// applied by hand to that dimension's untransformed values.
func TestValuesCacheKeepsDimensionsApart(t *testing.T) {
	ds, err := fcs.ReadFile("../../shared/testdata/flow/fcsparser/FACS_Diva/facs_diva_test.fcs")
	if err != nil {
		t.Skip("../shared/testdata absent")
	}
	lg, _ := NewLogicle(262144, 0.5, 4.5, 0)
	hl, _ := NewHyperlog(262144, 0.5, 4.5, 0)
	e := NewEvaluator(&Strategy{Transforms: map[string]Transform{"lg": lg, "hl": hl}}, ds[0])
	for round := 0; round < 2; round++ { // the second round reads the cache
		for _, d := range []Dim{{Name: "Alexa700-A", Comp: "FCS", Transform: "lg"}, {Name: "Alexa700-A", Comp: "FCS", Transform: "hl"},
			{Name: "Alexa700-A", Comp: "uncompensated", Transform: "lg"}, {Name: "PE-Cy7-A", Comp: "FCS", Transform: "lg"}} {
			got, err := e.Values(d)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := e.Values(Dim{Name: d.Name, Comp: d.Comp})
			if err != nil {
				t.Fatal(err)
			}
			tr := map[string]Transform{"lg": lg, "hl": hl}[d.Transform]
			for i := range raw {
				if want := tr.Apply(raw[i]); got[i] != want {
					t.Fatalf("round %d %+v event %d: %v, by hand %v", round, d, i, got[i], want)
				}
			}
		}
	}
}
