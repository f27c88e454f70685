package input

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/matrix"
)

// shared is ../shared/testdata (real public files, see its MANIFEST.md).
const shared = "../../../shared/testdata/"

func need(t *testing.T, p string) string {
	t.Helper()
	if _, err := os.Stat(shared + p); err != nil {
		t.Skipf("%s not available (../shared/testdata absent)", p)
	}
	return shared + p
}

func collect(t *testing.T, path string, opt Options) *matrix.CSR {
	t.Helper()
	s, err := Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m, err := matrix.Collect(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func same(t *testing.T, a, b *matrix.CSR, names bool) {
	t.Helper()
	if len(a.Cells) != len(b.Cells) || len(a.Feats) != len(b.Feats) || len(a.Data) != len(b.Data) {
		t.Fatalf("shapes differ: %dx%d (%d nz) vs %dx%d (%d nz)", len(a.Cells), len(a.Feats), len(a.Data), len(b.Cells), len(b.Feats), len(b.Data))
	}
	for i := range a.Cells {
		if a.Cells[i] != b.Cells[i] {
			t.Fatalf("cell %d: %s vs %s", i, a.Cells[i], b.Cells[i])
		}
	}
	if names {
		for i := range a.Feats {
			if a.Feats[i].Name != b.Feats[i].Name {
				t.Fatalf("gene %d: %s vs %s", i, a.Feats[i].Name, b.Feats[i].Name)
			}
		}
	}
	for i := range a.Data {
		if a.Data[i] != b.Data[i] || a.Indices[i] != b.Indices[i] {
			t.Fatalf("entry %d differs", i)
		}
	}
}

// The same Cell Ranger 3 matrix as MTX and as HDF5 (scanpy's test data) must
// read identically; expected shape 507 features x 1107 barcodes, 23866
// non-zeros, from the MTX header.
func TestTenxMTXEqualsH5(t *testing.T) {
	a := collect(t, need(t, "10x/scanpy/10x_data/3.0.0/filtered_feature_bc_matrix"), Options{})
	b := collect(t, need(t, "10x/scanpy/10x_data/3.0.0/filtered_feature_bc_matrix.h5"), Options{})
	if len(a.Feats) != 507 || len(a.Cells) != 1107 || len(a.Data) != 23866 {
		t.Fatalf("got %d x %d with %d non-zeros", len(a.Feats), len(a.Cells), len(a.Data))
	}
	same(t, a, b, true)
}

// Cell Ranger 2 layout, MTX and HDF5 (hg19_chr21: 343 genes x 12 barcodes, 12 non-zeros).
func TestTenxV2(t *testing.T) {
	a := collect(t, need(t, "10x/scanpy/10x_data/1.2.0/filtered_gene_bc_matrices/hg19_chr21"), Options{})
	b := collect(t, need(t, "10x/scanpy/10x_data/1.2.0/filtered_gene_bc_matrices_h5.h5"), Options{})
	if len(a.Feats) != 343 || len(a.Cells) != 12 || len(a.Data) != 12 {
		t.Fatalf("got %d x %d with %d non-zeros", len(a.Feats), len(a.Cells), len(a.Data))
	}
	same(t, a, b, true)
	_, err := Open(need(t, "10x/scanpy/10x_data/1.2.0/multiple_genomes.h5"), Options{})
	if err == nil || !strings.Contains(err.Error(), "--genome") {
		t.Fatalf("two genomes without --genome: %v", err)
	}
	c := collect(t, need(t, "10x/scanpy/10x_data/1.2.0/multiple_genomes.h5"), Options{Genome: "hg19_chr21"})
	same(t, a, c, true)
}

// Seurat's cr3.0 mixes 3 Gene Expression and 2 Antibody Capture features: the
// antibodies are kept apart. Seurat's cr2 genes.tsv repeats symbols; they are
// made unique as Seurat's Read10X does (LTB, LTB.1).
func TestTenxFeatureTypesAndDuplicates(t *testing.T) {
	m := collect(t, need(t, "10x/seurat/cr3.0"), Options{})
	if len(m.Feats) != 3 || len(m.Cells) != 5 {
		t.Fatalf("cr3.0: %d genes x %d cells, want 3 x 5", len(m.Feats), len(m.Cells))
	}
	m = collect(t, need(t, "10x/seurat/cr2"), Options{})
	n := map[string]bool{}
	for _, f := range m.Feats {
		if n[f.Name] {
			t.Fatalf("duplicate name %s left", f.Name)
		}
		n[f.Name] = true
	}
	if !n["LTB.1"] {
		t.Fatalf("expected LTB.1 after make-unique")
	}
}

// UCell's sample matrix as a 10x v3 MTX folder and as a CSC-stored h5ad (both
// written from the same R object) must agree to the bit: 20729 x 30.
func TestH5adCSCEqualsMTX(t *testing.T) {
	a := collect(t, need(t, "expression/ucell_sample/ucellsample_v3"), Options{})
	b := collect(t, need(t, "expression/ucell_sample/ucellsample_csc.h5ad"), Options{})
	if len(a.Feats) != 20729 || len(a.Cells) != 30 {
		t.Fatalf("got %d x %d", len(a.Feats), len(a.Cells))
	}
	for i := range a.Data {
		// MTX text holds the float32 values printed in decimal; compare as float32
		if float32(a.Data[i]) != float32(b.Data[i]) {
			t.Fatalf("entry %d: %v vs %v", i, a.Data[i], b.Data[i])
		}
	}
}

// Current-encoding h5ad: dense X (700 x 765) and CSR raw/X; obs index read.
func TestH5adDenseAndRaw(t *testing.T) {
	p := need(t, "h5ad/scanpy/encoding-0.1.0_2025-11/10x_pbmc68k_reduced.h5ad")
	x := collect(t, p, Options{})
	r := collect(t, p, Options{UseRaw: true})
	if len(x.Cells) != 700 || len(x.Feats) != 765 || len(r.Feats) != 765 || len(r.Data) != 174400 {
		t.Fatalf("X %dx%d raw %dx%d nnz %d", len(x.Cells), len(x.Feats), len(r.Cells), len(r.Feats), len(r.Data))
	}
	if x.Cells[0] != "AAAGCCTGGCTAAC-1" {
		t.Fatalf("first cell %s", x.Cells[0])
	}
}

// The same pbmc68k_reduced data written in 2018 (anndata < 0.7, compound
// obs/var, raw.X) and in 2025 (encoding 0.1.0) reads identically: X and raw.
func TestH5adLegacyEqualsCurrent(t *testing.T) {
	old := need(t, "h5ad/scanpy/legacy_2018-10/10x_pbmc68k_reduced.h5ad")
	cur := need(t, "h5ad/scanpy/encoding-0.1.0_2025-11/10x_pbmc68k_reduced.h5ad")
	for _, opt := range []Options{{}, {UseRaw: true}} {
		a, b := collect(t, old, opt), collect(t, cur, opt)
		if strings.Join(a.Cells, ",") != strings.Join(b.Cells, ",") || len(a.Feats) != len(b.Feats) ||
			len(a.Data) != len(b.Data) || len(a.Indptr) != len(b.Indptr) {
			t.Fatalf("raw=%v: %d cells x %d genes, %d values; current %d x %d, %d", opt.UseRaw,
				len(a.Cells), len(a.Feats), len(a.Data), len(b.Cells), len(b.Feats), len(b.Data))
		}
		for i := range a.Feats {
			if a.Feats[i].Name != b.Feats[i].Name {
				t.Fatalf("gene %d: %s vs %s", i, a.Feats[i].Name, b.Feats[i].Name)
			}
		}
		for i := range a.Data {
			if a.Indices[i] != b.Indices[i] || a.Data[i] != b.Data[i] {
				t.Fatalf("raw=%v: value %d differs", opt.UseRaw, i)
			}
		}
	}
}

func TestH5adErrors(t *testing.T) {
	for _, c := range []struct {
		path string
		opt  Options
		want string
	}{
		{"h5ad/scanpy/legacy_2018-10/10x_pbmc68k_reduced.h5ad", Options{Layer: "counts"}, "no layer"},
		{"h5ad/anndata-archives/v0.11.4/adata.h5ad", Options{}, "no X matrix"},
		{"h5ad/scanpy/encoding-0.1.0_2025-11/10x_pbmc68k_reduced.h5ad", Options{Layer: "counts"}, "no layer"},
	} {
		_, err := Open(need(t, c.path), c.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.path, err, c.want)
		}
		if _, ok := formats.AsParseError(err); !ok {
			t.Errorf("%s: not a ParseError: %v", c.path, err)
		}
	}
}

// Dense text, R layout (header one field short): Seurat's pbmc_raw, 230 x 80.
func TestDenseTable(t *testing.T) {
	m := collect(t, need(t, "expression/seurat/pbmc_raw.txt"), Options{})
	if len(m.Feats) != 230 || len(m.Cells) != 80 || m.Feats[0].Name != "MS4A1" || m.Cells[0] != "ATGCCAGAACGACT" {
		t.Fatalf("got %d x %d, %s %s", len(m.Feats), len(m.Cells), m.Feats[0].Name, m.Cells[0])
	}
}

func write(t *testing.T, dir, name, body string) string {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Bad input: each error names the file, the place and a fix.
func TestBadInput(t *testing.T) {
	d := t.TempDir()
	cases := []struct{ path, want string }{
		{write(t, d, "dup.tsv", "gene\ta\tb\nX\t1\t2\nX\t3\t4\n"), "line 3"},
		{write(t, d, "nan.tsv", "gene\ta\tb\nX\t1\tfoo\n"), "column 3 (b)"},
		{write(t, d, "ragged.tsv", "gene\ta\tb\nX\t1\t2\nY\t1\n"), "line 3"},
		{write(t, d, "dupcell.tsv", "gene\ta\ta\nX\t1\t2\n"), "unique"},
		{write(t, d, "empty.tsv", ""), "empty"},
		{filepath.Join(d, "nope"), "cannot read input"},
	}
	mtx := filepath.Join(d, "tenx")
	os.Mkdir(mtx, 0o755)
	write(t, mtx, "features.tsv", "g1\tA\tGene Expression\ng2\tB\tGene Expression\n")
	write(t, mtx, "barcodes.tsv", "c1\nc2\n")
	write(t, mtx, "matrix.mtx", "%%MatrixMarket matrix coordinate integer general\n2 2 3\n1 1 5\n2 2 1\n")
	cases = append(cases, struct{ path, want string }{mtx, "header announces 3 entries"})
	miss := filepath.Join(d, "tenx2")
	os.Mkdir(miss, 0o755)
	write(t, miss, "matrix.mtx", "%%MatrixMarket matrix coordinate integer general\n2 2 0\n")
	cases = append(cases, struct{ path, want string }{miss, "missing"})
	bc := filepath.Join(d, "tenx3")
	os.Mkdir(bc, 0o755)
	write(t, bc, "features.tsv", "g1\tA\tGene Expression\n")
	write(t, bc, "barcodes.tsv", "c1\nc1\n")
	write(t, bc, "matrix.mtx", "%%MatrixMarket matrix coordinate integer general\n1 2 0\n")
	cases = append(cases, struct{ path, want string }{bc, "duplicate barcode"})
	gz := write(t, d, "trunc.tsv.gz", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x4b\x4c\x4a")
	cases = append(cases, struct{ path, want string }{gz, "gzip"})
	for _, c := range cases {
		s, err := Open(c.path, Options{})
		if err == nil {
			_, err = matrix.Collect(s)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want error containing %q", filepath.Base(c.path), err, c.want)
			continue
		}
		if !strings.Contains(err.Error(), filepath.Base(c.path)) {
			t.Errorf("%s: error does not name the file: %v", filepath.Base(c.path), err)
		}
	}
}

// An MTX whose entries are not in cell order is still read correctly.
func TestMTXUnordered(t *testing.T) {
	d := t.TempDir()
	write(t, d, "features.tsv", "g1\tA\tGene Expression\ng2\tB\tAntibody Capture\ng3\tC\tGene Expression\n")
	write(t, d, "barcodes.tsv", "c1\nc2\nc3\n")
	write(t, d, "matrix.mtx", "%%MatrixMarket matrix coordinate integer general\n3 3 4\n3 3 7\n1 1 5\n2 1 9\n3 2 2\n")
	m := collect(t, d, Options{})
	// hand-derived: genes A, C; cell1 {A:5}, cell2 {C:2}, cell3 {C:7}
	want := []struct {
		cell int
		g    int32
		v    float64
	}{{0, 0, 5}, {1, 1, 2}, {2, 1, 7}}
	if len(m.Feats) != 2 || len(m.Data) != 3 {
		t.Fatalf("got %d genes, %d values", len(m.Feats), len(m.Data))
	}
	for k, w := range want {
		if m.Indptr[w.cell] != k || m.Indices[k] != w.g || m.Data[k] != w.v {
			t.Fatalf("entry %d: got cell start %d gene %d value %v", k, m.Indptr[w.cell], m.Indices[k], m.Data[k])
		}
	}
}
