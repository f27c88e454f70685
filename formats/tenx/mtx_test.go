package tenx

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/matrix"
)

// Seurat's Cell Ranger 3 test folder (3 genes, 2 antibodies, 5 cells): the
// antibody counts are kept apart, with the values of matrix.mtx (rows 4-5):
// cell 2 CD3 70000; cell 4 CD3 5; cell 5 CD3 3332, CD19 1200 (the file ends without a newline).
func TestAntibodyCaptureKept(t *testing.T) {
	dir := "../../../shared/testdata/10x/seurat/cr3.0"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared/testdata absent")
	}
	m, err := OpenMTX(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := m.OtherMatrix(); err == nil {
		t.Error("other matrix given before the cells were read")
	}
	var ch matrix.Chunk
	genes := 0
	for {
		err := m.Next(&ch, 2)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		genes += len(ch.Indices)
	}
	if genes != 4 || len(m.Features()) != 3 || len(m.Other()) != 2 {
		t.Errorf("gene entries %d, features %d, other %d", genes, len(m.Features()), len(m.Other()))
	}
	o, err := m.OtherMatrix()
	if err != nil {
		t.Fatal(err)
	}
	want := map[[2]int]float64{{1, 0}: 70000, {3, 0}: 5, {4, 0}: 3332, {4, 1}: 1200}
	got := map[[2]int]float64{}
	for c := range o.Cells {
		idx, val := o.Row(c)
		for k, j := range idx {
			got[[2]int{c, int(j)}] = val[k]
		}
	}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("cell %d antibody %d: %v, want %v", k[0]+1, k[1]+1, got[k], v)
		}
	}
	if o.Feats[0].Name != "CD3" || o.Feats[1].Type != "Antibody Capture" {
		t.Errorf("features %+v", o.Feats)
	}
}

// A symbol repeated in features.tsv is made unique and said so, with its
// name, in the reader's notes (issue 11 item 15). Folder written here.
func TestRepeatedGenesNoted(t *testing.T) {
	dir := mtxFolder(t, "E1\tTBCE\tGene Expression\nE2\tTBCE\tGene Expression\nE3\tHLF\tGene Expression\nE4\tPDE11A\tGene Expression\nE5\tPDE11A\tGene Expression\n", "c1\n", "%%MatrixMarket matrix coordinate integer general\n5 1 1\n2 1 3\n")
	m, err := OpenMTX(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.feats[1].Name != "TBCE.1" || m.feats[4].Name != "PDE11A.1" {
		t.Errorf("names: %+v", m.feats)
	}
	notes := strings.Join(m.Info().Notes, "; ")
	if !strings.Contains(notes, "2 gene symbols repeat") || !strings.Contains(notes, "TBCE, PDE11A") {
		t.Errorf("notes: %q", notes)
	}
}

// MakeUnique names repeats as R's make.unique does (Seurat's Read10X calls
// it). Expected names printed by R 4.2.2, e.g.
// Rscript -e 'make.unique(c("A","A","A.1"))' -> "A" "A.2" "A.1".
func TestMakeUniqueAsR(t *testing.T) {
	for _, c := range []struct {
		in, want, repeated []string
	}{
		{[]string{"A", "B", "C"}, []string{"A", "B", "C"}, nil},
		{[]string{"A", "A", "A.1"}, []string{"A", "A.2", "A.1"}, []string{"A"}},
		{[]string{"A", "A.1", "A", "A"}, []string{"A", "A.1", "A.2", "A.3"}, []string{"A"}},
		{[]string{"B", "A", "A", "B", "A.1", "A"}, []string{"B", "A", "A.2", "B.1", "A.1", "A.3"}, []string{"A", "B"}},
		{[]string{"A.1", "A", "A"}, []string{"A.1", "A", "A.2"}, []string{"A"}},
	} {
		fs := make([]matrix.Feature, len(c.in))
		for i, n := range c.in {
			fs[i] = matrix.Feature{ID: "E" + n, Name: n}
		}
		rep := MakeUnique(fs)
		for i := range fs {
			if fs[i].Name != c.want[i] || fs[i].ID != "E"+c.in[i] {
				t.Errorf("%q: %d is %q (ID %q), want %q", c.in, i, fs[i].Name, fs[i].ID, c.want[i])
			}
		}
		if strings.Join(rep, ",") != strings.Join(c.repeated, ",") {
			t.Errorf("%q: repeated %q, want %q", c.in, rep, c.repeated)
		}
	}
}
