package table

import (
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
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

// Values spelled every way a count or a number can be (leading zeros, a
// negative zero, exponents, quotes, spaces) read as strconv.ParseFloat reads
// them; zeros are dropped and each cell's genes stay in file order.
func TestValueSpellings(t *testing.T) {
	m, err := Read(strings.NewReader("g\ta\tb\tc\nG1\t007\t-0\t\"1e3\"\nG2\t 0 \t2.50\t123456789012345\nG3\t0.0\t1234567890123456789\t0\n"), "v.tsv")
	if err != nil {
		t.Fatal(err)
	}
	want := &struct {
		indptr  []int
		indices []int32
		data    []float64
	}{[]int{0, 1, 3, 5}, []int32{0, 1, 2, 0, 1}, []float64{7, 2.5, 1234567890123456789, 1000, 123456789012345}}
	if !reflect.DeepEqual(m.Indptr, want.indptr) || !reflect.DeepEqual(m.Indices, want.indices) || !reflect.DeepEqual(m.Data, want.data) {
		t.Errorf("got %v %v %v", m.Indptr, m.Indices, m.Data)
	}
}

// A real van Galen et al. 2019 count table (GEO GSE116256, AML722B-D0) read
// by Read equals the same file split naively here (strings.Split on tabs,
// strconv.ParseFloat on every field), cell by cell.
func TestVanGalenAgainstNaiveSplit(t *testing.T) {
	p := "../../../shared/testdata/leukemia/vangalen2019_GSE116256/GSM3587980_AML722B-D0.dem.txt.gz"
	m, err := ReadFile(p)
	if err != nil {
		t.Skip("../shared/testdata absent")
	}
	fh, _ := os.Open(p)
	defer fh.Close()
	zr, err := gzip.NewReader(fh)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(zr)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	head := strings.Split(lines[0], "\t")
	if !reflect.DeepEqual(m.Cells, head[1:]) || len(m.Feats) != len(lines)-1 {
		t.Fatalf("%d cells %d genes, file %d %d", len(m.Cells), len(m.Feats), len(head)-1, len(lines)-1)
	}
	dense := make([][]float64, len(head)-1)
	for c := range dense {
		dense[c] = make([]float64, len(lines)-1)
	}
	for g, ln := range lines[1:] {
		f := strings.Split(ln, "\t")
		if m.Feats[g].Name != f[0] {
			t.Fatalf("gene %d: %q, file %q", g, m.Feats[g].Name, f[0])
		}
		for c, s := range f[1:] {
			dense[c][g], _ = strconv.ParseFloat(s, 64)
		}
	}
	nnz := 0
	for c := range dense {
		got := make([]float64, len(lines)-1)
		for k := m.Indptr[c]; k < m.Indptr[c+1]; k++ {
			got[m.Indices[k]] = m.Data[k]
			if k > m.Indptr[c] && m.Indices[k] <= m.Indices[k-1] {
				t.Fatalf("cell %d: genes out of order", c)
			}
		}
		if !reflect.DeepEqual(got, dense[c]) {
			t.Fatalf("cell %s differs", m.Cells[c])
		}
		for _, v := range dense[c] {
			if v != 0 {
				nnz++
			}
		}
	}
	if nnz != len(m.Data) {
		t.Errorf("%d stored values, %d non-zeros in the file", len(m.Data), nnz)
	}
}

// A table whose non-zeros fill several of the reader's entry blocks (4,096,
// 4,096, 8,192, ... entries) gives, cell by cell, the genes and values
// written, with all-zero genes at the start, in the middle and at the end.
func TestReadManyBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const G, C = 2003, 47
	val := make([][]float64, G)
	var b strings.Builder
	b.WriteString("gene")
	for c := range C {
		fmt.Fprintf(&b, "\tS%d", c)
	}
	b.WriteByte('\n')
	for g := range G {
		val[g] = make([]float64, C)
		fmt.Fprintf(&b, "G%d", g)
		empty := g < 3 || g == 1000 || g >= G-4
		for c := range C {
			if !empty && r.IntN(2) == 0 {
				val[g][c] = float64(1+r.IntN(500)) / 4
			}
			fmt.Fprintf(&b, "\t%v", val[g][c])
		}
		b.WriteByte('\n')
	}
	m, err := Read(strings.NewReader(b.String()), "blocks.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Cells) != C || len(m.Feats) != G {
		t.Fatalf("%d cells, %d genes", len(m.Cells), len(m.Feats))
	}
	n := 0
	for c := range C {
		k := m.Indptr[c]
		for g := range G {
			if val[g][c] == 0 {
				continue
			}
			if k >= m.Indptr[c+1] || int(m.Indices[k]) != g || m.Data[k] != val[g][c] {
				t.Fatalf("cell %d: entry %d is gene %d = %v, want gene %d = %v", c, k, m.Indices[k], m.Data[k], g, val[g][c])
			}
			k++
			n++
		}
		if k != m.Indptr[c+1] {
			t.Fatalf("cell %d: %d entries, want %d", c, m.Indptr[c+1]-m.Indptr[c], k-m.Indptr[c])
		}
	}
	if n < 40000 {
		t.Fatalf("only %d non-zeros: the test wants several blocks", n)
	}
}
