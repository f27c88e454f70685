package repertoire

import (
	"reflect"
	"testing"

	"github.com/lsc-bio/lsc/airr"
)

// Hand-derived: junctions of 20 aa; at 0.85 identity up to 3 mismatches
// (20 * 0.15 = 3) join. c1-c2 differ in 3 -> joined; c3 differs from c2 in 2
// more places (5 from c1) -> joined to c2, so to c1 (single linkage); c4 has
// 4 mismatches to all -> alone; c5 has another V gene -> alone; c6 another
// length -> alone; c7 no heavy chain -> -1; c8 same as c1 with another
// allele -> joined.
func TestBClusters(t *testing.T) {
	h := func(v, j, aa string) Cell {
		return Cell{VDJ: [2]*airr.Chain{{Locus: "IGH", VCall: v, JCall: j, JunctionAA: aa}}}
	}
	base := "CARDYYGSGSYYNWFDPWGQ"
	mut := func(s string, pos ...int) string {
		b := []byte(s)
		for _, p := range pos {
			b[p] = 'A' + (b[p]-'A'+1)%26
		}
		return string(b)
	}
	c2 := mut(base, 3, 7, 11)
	cells := []Cell{
		h("IGHV3-23*01", "IGHJ4*02", base),
		h("IGHV3-23*01", "IGHJ4*02", c2),
		h("IGHV3-23*01", "IGHJ4*02", mut(c2, 15, 16)),
		h("IGHV3-23*01", "IGHJ4*02", mut(base, 0, 1, 2, 5)),
		h("IGHV1-69*01", "IGHJ4*02", base),
		h("IGHV3-23*01", "IGHJ4*02", base+"W"),
		{VJ: [2]*airr.Chain{{Locus: "IGK", JunctionAA: "CQQYF"}}},
		h("IGHV3-23*04", "IGHJ4*01", base),
	}
	got := BClusters(cells, 0.85)
	want := []int{0, 0, 0, 1, 2, 3, -1, 0}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%v, want %v", got, want)
	}
	// at identity 1 only identical junctions join
	if got := BClusters(cells, 1); !reflect.DeepEqual(got, []int{0, 1, 2, 3, 4, 5, -1, 0}) {
		t.Errorf("identity 1: %v", got)
	}
}

// strict: the same junction nt with other genes is another clonotype.
func TestStrict(t *testing.T) {
	cells := []Cell{
		{VJ: [2]*airr.Chain{{VCall: "TRAV1", JCall: "TRAJ2", Junction: "TGT"}}, VDJ: [2]*airr.Chain{{VCall: "TRBV1", JCall: "TRBJ1", Junction: "TGC"}}},
		{VJ: [2]*airr.Chain{{VCall: "TRAV1", JCall: "TRAJ2", Junction: "TGT"}}, VDJ: [2]*airr.Chain{{VCall: "TRBV1", JCall: "TRBJ1", Junction: "TGC"}}},
		{VJ: [2]*airr.Chain{{VCall: "TRAV9", JCall: "TRAJ2", Junction: "TGT"}}, VDJ: [2]*airr.Chain{{VCall: "TRBV1", JCall: "TRBJ1", Junction: "TGC"}}},
	}
	res, _ := Define(cells, Options{Sequence: "strict", DualIR: "all"})
	if !reflect.DeepEqual(res.ID, []int{0, 0, 1}) {
		t.Errorf("strict %v", res.ID)
	}
	res, _ = Define(cells, Options{Sequence: "nt", DualIR: "all"})
	if !reflect.DeepEqual(res.ID, []int{0, 0, 0}) {
		t.Errorf("nt %v", res.ID)
	}
}
