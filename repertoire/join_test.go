package repertoire

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestJoinRules(t *testing.T) {
	vdj := []CellKey{{"S1", "AAACCTGAGATAGCAT-1"}, {"S1", "AAACCTGAGTACGCCC-1"}, {"S2", "AAACCTGAGATAGCAT-1"}}
	samples := []string{"S1", "S2"}
	cases := []struct {
		name string
		expr []string
		rule string
		want []int
	}{
		{"Seurat add.cell.ids", []string{"S2_AAACCTGAGATAGCAT-1", "S1_AAACCTGAGATAGCAT-1", "S1_AAACCTGAGTACGCCC-1"}, "sample affix", []int{1, 2, 0}},
		{"scanpy concat index_unique='-'", []string{"AAACCTGAGATAGCAT-1-S1", "AAACCTGAGTACGCCC-1-S1", "AAACCTGAGATAGCAT-1-S2"}, "sample affix", []int{0, 1, 2}},
		{"Cell Ranger aggr", []string{"AAACCTGAGATAGCAT-1", "AAACCTGAGTACGCCC-1", "AAACCTGAGATAGCAT-2"}, "aggr well", []int{0, 1, 2}},
	}
	for _, c := range cases {
		idx, rule, n, err := Join(c.expr, vdj, samples, 0.5)
		if err != nil || rule != c.rule || n != 3 || !reflect.DeepEqual(idx, c.want) {
			t.Errorf("%s: %v %s %d %v", c.name, idx, rule, n, err)
		}
	}
	// one sample: exact, and the core alone when the expression side dropped "-1"
	one := []CellKey{{"S1", "AAACCTGAGATAGCAT-1"}, {"S1", "AAACCTGAGTACGCCC-1"}}
	if _, rule, n, err := Join([]string{"AAACCTGAGTACGCCC-1", "AAACCTGAGATAGCAT-1"}, one, []string{"S1"}, 0.5); err != nil || rule != "exact" || n != 2 {
		t.Errorf("exact: %s %d %v", rule, n, err)
	}
	if _, rule, n, err := Join([]string{"AAACCTGAGTACGCCC", "AAACCTGAGATAGCAT"}, one, []string{"S1"}, 0.5); err != nil || rule != "barcode core" || n != 2 {
		t.Errorf("core: %s %d %v", rule, n, err)
	}
}

// A join that matches few cells is an error showing both sides.
func TestJoinMismatch(t *testing.T) {
	vdj := []CellKey{{"P1_pre", "AAACCTGAGATAGCAT-1"}, {"P1_pre", "AAACCTGAGTACGCCC-1"}}
	_, _, _, err := Join([]string{"cell_1", "cell_2", "cell_3"}, vdj, []string{"P1_pre"}, 0.5)
	if !errors.Is(err, ErrJoin) || !strings.Contains(err.Error(), `"P1_pre: AAACCTGAGATAGCAT-1"`) || !strings.Contains(err.Error(), `"cell_1", "cell_2", "cell_3"`) {
		t.Errorf("%v", err)
	}
}
