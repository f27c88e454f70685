package cart

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// contigCSV writes a 10x contig table: each cell gets one TRA and one TRB
// chain with the clone's junctions.
func contigCSV(t *testing.T, path string, clones map[string]int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("barcode,is_cell,contig_id,high_confidence,length,chain,v_gene,d_gene,j_gene,c_gene,full_length,productive,cdr3,cdr3_nt,reads,umis,raw_clonotype_id,raw_consensus_id\n")
	cell := 0
	for _, name := range []string{"X", "Y"} {
		for k := 0; k < clones[name]; k++ {
			code := []byte("AAAAAAAAAAAAAAAA")
			for i, n := 15, cell; n > 0; i, n = i-1, n/4 {
				code[i] = "ACGT"[n%4]
			}
			bc := string(code) + "-1"
			cell++
			fmt.Fprintf(&b, "%s,True,%s_1,True,500,TRA,TRAV1,None,TRAJ1,TRAC,True,True,CA%sF,TGT%sTTT,100,5,c,None\n", bc, bc, name, name)
			fmt.Fprintf(&b, "%s,True,%s_2,True,500,TRB,TRBV1,None,TRBJ1,TRBC1,True,True,CB%sF,TGC%sTTC,100,5,c,None\n", bc, bc, name, name)
		}
	}
	os.WriteFile(path, []byte(b.String()), 0o644)
}

// Clone X: 2 of 4 cells before, 6 of 7 after; clone Y: 2 of 4, then 1 of 7.
// R 4.2.2: fisher.test(matrix(c(6,1,2,2),2,byrow=TRUE))$p.value and
// fisher.test(matrix(c(1,6,2,2),2,byrow=TRUE))$p.value are both
// 0.49090909090909074, and so are their BH adjustments.
func TestStudyExpansion(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	contigCSV(t, a, map[string]int{"X": 2, "Y": 2})
	contigCSV(t, b, map[string]int{"X": 6, "Y": 1})
	res, err := Run([]Sample{{"pre", "P1", "apheresis", "CR", "", a, ""}, {"post", "P1", "d28", "CR", "", b, ""}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Expansion) != 2 {
		t.Fatalf("%+v", res.Expansion)
	}
	for _, e := range res.Expansion {
		if math.Abs(e.P-0.49090909090909074) > 1e-12 || math.Abs(e.PAdj-0.49090909090909074) > 1e-12 || e.FromSample != "pre" || e.ToSample != "post" {
			t.Errorf("%+v", e)
		}
	}
	x := res.Expansion[0]
	if x.From != 2 || x.To != 6 {
		x = res.Expansion[1]
	}
	if x.From != 2 || x.To != 6 || math.Abs(x.Log2FC-math.Log2(6.5/8/(2.5/5))) > 1e-12 {
		t.Errorf("clone X %+v", x)
	}
}
