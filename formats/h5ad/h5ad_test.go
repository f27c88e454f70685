package h5ad

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/matrix"
	"github.com/lsc-bio/lsc/matrix/synth"
)

// A CSR h5ad whose data and indices span 125 gzip+shuffle chunks reads back
// exactly as the matrix it was written from (the chunk-aligned reading in
// hdf5x, including chunks split between cell blocks).
func TestChunkedCSRReadsExactly(t *testing.T) {
	f, err := Open("testdata/synth_chunked.h5ad", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := matrix.Collect(f)
	if err != nil {
		t.Fatal(err)
	}
	want, err := matrix.Collect(synth.New(2000, 300, 800, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Cells) != 300 || len(got.Indices) != len(want.Indices) {
		t.Fatalf("%d cells, %d non-zeros; want 300, %d", len(got.Cells), len(got.Indices), len(want.Indices))
	}
	for i := range want.Indices {
		if got.Indices[i] != want.Indices[i] || got.Data[i] != want.Data[i] {
			t.Fatalf("entry %d: (%d, %v), want (%d, %v)", i, got.Indices[i], got.Data[i], want.Indices[i], want.Data[i])
		}
	}
}

// The same with blocks of 7 cells, so that reads start and end inside chunks.
func TestChunkedCSRSmallBlocks(t *testing.T) {
	f, err := Open("testdata/synth_chunked.h5ad", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, _ := matrix.Collect(synth.New(2000, 300, 800, 1))
	var c matrix.Chunk
	k := 0
	for f.Next(&c, 7) == nil {
		for i := 0; i < c.Cells; i++ {
			idx, val := c.Row(i)
			wi, wv := want.Row(c.Start + i)
			if len(idx) != len(wi) {
				t.Fatalf("cell %d: %d values, want %d", c.Start+i, len(idx), len(wi))
			}
			for j := range idx {
				if idx[j] != wi[j] || val[j] != wv[j] {
					t.Fatalf("cell %d differs", c.Start+i)
				}
			}
			k++
		}
	}
	if k != 300 {
		t.Errorf("%d cells", k)
	}
}

// Files written by anndata 0.7 (LZF filter, variable-length strings, the
// __categories layout) read as h5py reads them (testdata/anndata07_expected.json).
func TestAnnData07MatchesH5py(t *testing.T) {
	raw, err := os.ReadFile("testdata/anndata07_expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var exp map[string]struct {
		Obs, Var []string
		Data     []float64
		Indices  []int32
		Indptr   []int
		ObsCat   []*string `json:"obs_cat"`
	}
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}
	for v, e := range exp {
		path := "../../../shared/testdata/h5ad/anndata-archives/" + v + "/adata.h5ad"
		if _, err := os.Stat(path); err != nil {
			t.Skip("../shared/testdata absent")
		}
		f, err := Open(path, Options{})
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if strings.Join(f.CellNames(), ",") != strings.Join(e.Obs, ",") {
			t.Errorf("%s obs names %v", v, f.CellNames())
		}
		var names []string
		for _, ft := range f.Features() {
			names = append(names, ft.Name)
		}
		if strings.Join(names, ",") != strings.Join(e.Var, ",") {
			t.Errorf("%s var names %v", v, names)
		}
		m, err := matrix.Collect(f)
		if err != nil {
			t.Fatal(err)
		}
		// h5py's CSR may hold explicit zeros; lsc drops them: compare cell by cell.
		for c := 0; c < len(e.Indptr)-1; c++ {
			var wi []int32
			var wv []float64
			for k := e.Indptr[c]; k < e.Indptr[c+1]; k++ {
				if e.Data[k] != 0 {
					wi, wv = append(wi, e.Indices[k]), append(wv, e.Data[k])
				}
			}
			gi, gv := m.Row(c)
			if len(gi) != len(wi) {
				t.Fatalf("%s cell %d: %d values, h5py %d", v, c, len(gi), len(wi))
			}
			for k := range gi {
				if gi[k] != wi[k] || gv[k] != wv[k] {
					t.Fatalf("%s cell %d differs", v, c)
				}
			}
		}
		cat, err := f.ObsColumn("obs_cat")
		if err != nil {
			t.Fatalf("%s obs_cat: %v", v, err)
		}
		for i, w := range e.ObsCat {
			if w != nil && cat[i] != *w {
				t.Errorf("%s obs_cat[%d] = %q, h5py %q", v, i, cat[i], *w)
			}
		}
		f.Close()
	}
}

// Files written by anndata < 0.7 (scanpy's 2018 pbmc68k_reduced: compound
// obs/var, uns/<col>_categories, raw.X) read as anndata 0.8.0 reads them
// (testdata/legacy_expected.json: names, categoricals, and per-cell count,
// sum and sum of squares of the non-zero values of X and raw.X).
func TestLegacyMatchesAnnData(t *testing.T) {
	raw, err := os.ReadFile("testdata/legacy_expected.json")
	if err != nil {
		t.Fatal(err)
	}
	type mat struct {
		Var        []string
		Nnz        []int
		Sum, Sumsq []float64
		Row0Idx    []int32   `json:"row0_idx"`
		Row0Val    []float64 `json:"row0_val"`
	}
	var exp map[string]json.RawMessage
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"legacy_2018-08", "legacy_2018-10"} {
		var e struct {
			X, Raw     mat
			Obs        []string
			BulkLabels []string `json:"bulk_labels"`
			Louvain    []string
			NGenes     []int `json:"n_genes"`
		}
		if err := json.Unmarshal(exp[v], &e); err != nil {
			t.Fatal(err)
		}
		path := "../../../shared/testdata/h5ad/scanpy/" + v + "/10x_pbmc68k_reduced.h5ad"
		if _, err := os.Stat(path); err != nil {
			t.Skip("../shared/testdata absent")
		}
		for _, useRaw := range []bool{false, true} {
			want := e.X
			if useRaw {
				want = e.Raw
			}
			f, err := Open(path, Options{UseRaw: useRaw})
			if err != nil {
				t.Fatalf("%s raw=%v: %v", v, useRaw, err)
			}
			if strings.Join(f.CellNames(), ",") != strings.Join(e.Obs, ",") {
				t.Errorf("%s obs names differ", v)
			}
			var names []string
			for _, ft := range f.Features() {
				names = append(names, ft.Name)
			}
			if strings.Join(names, ",") != strings.Join(want.Var, ",") {
				t.Errorf("%s raw=%v var names differ: %d vs %d", v, useRaw, len(names), len(want.Var))
			}
			m, err := matrix.Collect(f)
			if err != nil {
				t.Fatalf("%s raw=%v: %v", v, useRaw, err)
			}
			for c := range e.Obs {
				idx, val := m.Row(c)
				var s, s2 float64
				for _, x := range val {
					s += x
					s2 += x * x
				}
				if len(idx) != want.Nnz[c] || math.Abs(s-want.Sum[c]) > 1e-9*math.Abs(want.Sum[c])+1e-12 ||
					math.Abs(s2-want.Sumsq[c]) > 1e-9*want.Sumsq[c]+1e-12 {
					t.Fatalf("%s raw=%v cell %d: %d values, sum %v, sumsq %v; anndata %d, %v, %v",
						v, useRaw, c, len(idx), s, s2, want.Nnz[c], want.Sum[c], want.Sumsq[c])
				}
			}
			idx, val := m.Row(0)
			for k := range want.Row0Idx {
				if idx[k] != want.Row0Idx[k] || val[k] != want.Row0Val[k] {
					t.Fatalf("%s raw=%v cell 0 entry %d: (%d, %v), anndata (%d, %v)", v, useRaw, k, idx[k], val[k], want.Row0Idx[k], want.Row0Val[k])
				}
			}
			for col, w := range map[string][]string{"bulk_labels": e.BulkLabels, "louvain": e.Louvain} {
				got, err := f.ObsColumn(col)
				if err != nil {
					t.Fatalf("%s %s: %v", v, col, err)
				}
				if strings.Join(got, "|") != strings.Join(w, "|") {
					t.Errorf("%s %s differs from anndata: %v...", v, col, got[:3])
				}
			}
			ng, err := f.ObsColumn("n_genes")
			if err != nil || ng[0] != fmt.Sprint(e.NGenes[0]) || ng[len(ng)-1] != fmt.Sprint(e.NGenes[len(ng)-1]) {
				t.Errorf("%s n_genes %v (%v)", v, ng[:2], err)
			}
			f.Close()
		}
	}
}

// A CSR row that lists a gene twice (scipy's non-canonical form) is an
// error naming the file, the cell and the gene, not a row holding the gene
// twice. testdata/repeat_gene.h5ad: cell 2 (c2) lists g3 twice (README).
func TestRepeatedGene(t *testing.T) {
	a, err := Open("testdata/repeat_gene.h5ad", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var ch matrix.Chunk
	err = a.Next(&ch, 10)
	if err == nil || !strings.Contains(err.Error(), "repeat_gene.h5ad") || !strings.Contains(err.Error(), "cell 2 (c2) lists gene g3 twice") {
		t.Fatalf("got %v", err)
	}
}
