package repertoire

import (
	"reflect"
	"testing"

	"github.com/lsc-bio/lsc/airr"
)

// fixtureCells builds the cells of scirpy's conftest fixture
// adata_define_clonotype_clusters (scverse/scirpy efe49e6,
// src/scirpy/tests/conftest.py): junction_aa of VJ_1, VJ_2, VDJ_1, VDJ_2
// and the receptor_type column, "" = nan.
func fixtureCells() []Cell {
	rows := [][6]string{
		{"cell1", "AAA", "AHA", "KKY", "KKK", "TCR"},
		{"cell2", "AAA", "AHA", "KKY", "KKK", "TCR"},
		{"cell3", "BBB", "AHA", "KKY", "KKK", "TCR"},
		{"cell4", "BBB", "AHA", "BBB", "KKK", "BCR"},
		{"cell5", "AAA", "", "KKY", "KKK", "BCR"},
		{"cell5.noir", "", "", "", "", ""},
		{"cell6", "AAA", "", "KKY", "CCC", "TCR"},
		{"cell7", "AAA", "AHA", "ZZZ", "", "TCR"},
		{"cell8", "AAA", "", "KKK", "", "TCR"},
		{"cell9", "", "", "KKK", "", "BCR"},
		{"cell10", "", "", "", "", "BCR"},
	}
	ch := func(s string) *airr.Chain {
		if s == "" {
			return nil
		}
		return &airr.Chain{JunctionAA: s, Junction: s}
	}
	cells := make([]Cell, len(rows))
	for i, r := range rows {
		cells[i] = Cell{ID: r[0], VJ: [2]*airr.Chain{ch(r[1]), ch(r[2])}, VDJ: [2]*airr.Chain{ch(r[3]), ch(r[4])}, ReceptorType: r[5]}
	}
	return cells
}

// TestDefineScirpy checks every identity case of scirpy's
// test_clonotype_clusters_end_to_end (same_v_gene=False) and
// test_clonotypes_end_to_end1: clone ids (-1 = nan) and sizes.
func TestDefineScirpy(t *testing.T) {
	const nan = -1
	cases := []struct {
		arms, dual string
		noGroup    bool
		want, size []int
	}{
		{"all", "all", true, []int{0, 0, 1, 2, 3, nan, 4, 5, 6, 7, nan}, []int{2, 2, 1, 1, 1, nan, 1, 1, 1, 1, nan}},
		{"any", "any", true, []int{0, 0, 0, 0, 0, nan, 0, 0, 0, 0, nan}, []int{9, 9, 9, 9, 9, nan, 9, 9, 9, 9, nan}},
		{"all", "any", true, []int{0, 0, 0, 0, 0, nan, 0, 1, 0, 2, nan}, []int{7, 7, 7, 7, 7, nan, 7, 1, 7, 1, nan}},
		{"any", "all", true, []int{0, 0, 0, 0, 0, nan, 0, 0, 0, 0, nan}, []int{9, 9, 9, 9, 9, nan, 9, 9, 9, 9, nan}},
		{"all", "primary_only", true, []int{0, 0, 1, 2, 0, nan, 0, 3, 4, 5, nan}, []int{4, 4, 1, 1, 4, nan, 4, 1, 1, 1, nan}},
		{"VDJ", "primary_only", true, []int{0, 0, 0, 1, 0, nan, 0, 2, 3, 3, nan}, []int{5, 5, 5, 1, 5, nan, 5, 1, 2, 2, nan}},
		{"any", "any", false, []int{0, 0, 0, 1, 1, nan, 0, 0, 0, 1, nan}, []int{6, 6, 6, 3, 3, nan, 6, 6, 6, 3, nan}},
	}
	for _, c := range cases {
		cells := fixtureCells()
		res, err := Define(cells, Options{Sequence: "aa", ReceptorArms: c.arms, DualIR: c.dual, NoGroup: c.noGroup})
		if err != nil {
			t.Fatal(err)
		}
		size := make([]int, len(cells))
		for i, id := range res.ID {
			size[i] = nan
			if id >= 0 {
				size[i] = res.Size[id]
			}
		}
		if !reflect.DeepEqual(res.ID, c.want) || !reflect.DeepEqual(size, c.size) {
			t.Errorf("%s/%s group=%v: ids %v sizes %v, scirpy %v %v", c.arms, c.dual, !c.noGroup, res.ID, size, c.want, c.size)
		}
	}
}

// TestDefineScirpyNT is scirpy's test_clonotypes_end_to_end1
// (adata_define_clonotypes, nt identity, receptor_arms all, dual_ir all,
// within_group None): ["0","0","1","2",nan], sizes [2,2,1,1,nan].
func TestDefineScirpyNT(t *testing.T) {
	rows := [][4]string{{"AAA", "ATA", "GGC", "CCC"}, {"AAA", "ATA", "GGC", "CCC"}, {"GGG", "ATA", "GGC", "CCC"}, {"GGG", "ATA", "GGG", "CCC"}, {}}
	var cells []Cell
	for _, r := range rows {
		c := Cell{}
		for k := 0; k < 2; k++ {
			if r[k] != "" {
				c.VJ[k] = &airr.Chain{Junction: r[k]}
			}
			if r[2+k] != "" {
				c.VDJ[k] = &airr.Chain{Junction: r[2+k]}
			}
		}
		cells = append(cells, c)
	}
	res, err := Define(cells, Options{ReceptorArms: "all", DualIR: "all", NoGroup: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 0, 1, 2, -1}; !reflect.DeepEqual(res.ID, want) {
		t.Errorf("ids %v, scirpy %v", res.ID, want)
	}
	if want := []int{2, 1, 1}; !reflect.DeepEqual(res.Size, want) {
		t.Errorf("sizes %v, scirpy %v", res.Size, want)
	}
}

func TestDefineBadOption(t *testing.T) {
	if _, err := Define(nil, Options{DualIR: "both"}); err == nil {
		t.Error("unknown dual_ir accepted")
	}
}
