package table

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// A semicolon-separated table and a tab-separated one named .csv read the
// same (issue 11 item 11); the values are those written.
func TestDelimiters(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"semi.csv": "gene;s1;s2\nA;1;0\nB;0.5;2\n",
		"tab.csv":  "gene\ts1\ts2\nA\t1\t0\nB\t0.5\t2\n",
		"r.tsv":    "s1,s2\nA,1,0\nB,0.5,2\n",
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		m, err := ReadFile(p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(m.Cells, []string{"s1", "s2"}) || !reflect.DeepEqual(m.Indptr, []int{0, 2, 3}) ||
			!reflect.DeepEqual(m.Data, []float64{1, 0.5, 2}) || !reflect.DeepEqual(m.Indices, []int32{0, 1, 1}) {
			t.Errorf("%s: %+v", name, m)
		}
	}
}

// A semicolon table without a gene-column name (R write.table) read from a
// reader: values by hand.
func TestReadFromReader(t *testing.T) {
	m, err := Read(strings.NewReader("c1;c2\nGATA1;1;0\nCD34;0;2.5\n"), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Cells) != 2 || len(m.Feats) != 2 || m.Feats[1].Name != "CD34" || m.Data[len(m.Data)-1] != 2.5 {
		t.Fatalf("%+v", m)
	}
	if _, err := Read(strings.NewReader(""), "empty.tsv"); err == nil || !strings.Contains(err.Error(), "empty.tsv") {
		t.Errorf("empty: %v", err)
	}
}
