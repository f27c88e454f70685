package repertoire

import (
	"math"
	"testing"
)

// Clone sizes 5, 3, 92 of 100 cells before and 30, 2, 68 of 100 after. The
// p values are R 4.2.2's fisher.test on [[after, rest], [before, rest]] and
// p.adjust(..., "BH"):
//
//	fisher.test(matrix(c(30,70,5,95),2,byrow=TRUE))$p.value = 3.5476954553155969e-06
//	fisher.test(matrix(c(2,98,3,97),2,byrow=TRUE))$p.value  = 1
//	fisher.test(matrix(c(68,32,92,8),2,byrow=TRUE))$p.value = 3.1327563839888401e-05
//	BH: 1.064308636594679e-05, 1, 4.6991345759832601e-05
func TestExpansionR(t *testing.T) {
	ch := Expansion([]int{5, 3, 92}, []int{30, 2, 68}, 1)
	want := map[int][2]float64{0: {3.5476954553155969e-06, 1.064308636594679e-05}, 1: {1, 1}, 2: {3.1327563839888401e-05, 4.6991345759832601e-05}}
	if len(ch) != 3 || ch[0].Clone != 0 || ch[1].Clone != 2 || ch[2].Clone != 1 {
		t.Fatalf("%+v", ch)
	}
	for _, c := range ch {
		w := want[c.Clone]
		if !near(c.P, w[0], 1e-9) || !near(c.PAdj, w[1], 1e-9) {
			t.Errorf("clone %d: p %v adj %v, R %v %v", c.Clone, c.P, c.PAdj, w[0], w[1])
		}
	}
	// log2((30.5/101) / (5.5/101)) = log2(30.5/5.5)
	if !near(ch[0].Log2FC, math.Log2(30.5/5.5), 1e-12) || ch[0].FracTo != 0.3 {
		t.Errorf("%+v", ch[0])
	}
	if got := Expansion([]int{1, 0}, []int{0, 1}, 2); len(got) != 0 {
		t.Errorf("minCells ignored: %+v", got)
	}
}
