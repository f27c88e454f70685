package adt

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/formats/input"
)

// readRefGz reads a reference table (plain or gzip): '#' lines skipped,
// header with a first column then names, one row per cell.
func readRefGz(t *testing.T, path string) (names []string, cells []string, rows map[string][]float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = gz
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	rows = map[string][]float64{}
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "#") || l == "" {
			continue
		}
		fs := strings.Split(l, "\t")
		if names == nil {
			names = fs[1:]
			continue
		}
		v := make([]float64, len(fs)-1)
		for i, s := range fs[1:] {
			if v[i], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
		cells = append(cells, fs[0])
		rows[fs[0]] = v
	}
	return names, cells, rows
}

// relDiff is |a-b| / max(1, |b|): relative for large values, absolute
// near zero (dsb values cross zero).
func relDiff(a, b float64) float64 { return math.Abs(a-b) / math.Max(1, math.Abs(b)) }

const dsbDir = "testdata/dsb/"

func dsbInputs(t *testing.T) (cells, empty *Matrix) {
	return load(t, dsbDir+"cells_counts.tsv.gz"), load(t, dsbDir+"empty_counts.tsv.gz")
}

// compareDSB checks a normalised matrix against dsb's output fixture.
func compareDSB(t *testing.T, got *Matrix, ref string, tol float64) {
	t.Helper()
	abs, cells, rows := readRefGz(t, ref)
	if strings.Join(abs, ",") != strings.Join(got.Antibodies, ",") || len(cells) != len(got.Cells) {
		t.Fatalf("%s: layout differs (%d antibodies, %d cells; got %d, %d)", ref, len(abs), len(cells), len(got.Antibodies), len(got.Cells))
	}
	worst, where := 0.0, ""
	for c, name := range got.Cells {
		want, ok := rows[name]
		if !ok {
			t.Fatalf("%s: cell %s missing", ref, name)
		}
		for a := range abs {
			if d := relDiff(got.Values[a][c], want[a]); d > worst || math.IsNaN(d) {
				worst, where = d, name+" "+abs[a]
			}
		}
	}
	t.Logf("%s: largest difference to dsb %.3g (%s)", ref, worst, where)
	if !(worst <= tol) {
		t.Errorf("%s: largest difference to dsb %g at %s, tolerance %g", ref, worst, where, tol)
	}
}

// dsb 2.0.1 DSBNormalizeProtein on its own example data (first 200 cells,
// first 300 empty droplets; testdata/dsb/README.md has the R calls).
// Step I is closed-form: 1e-12. Step II fits a mixture per cell by EM
// stopped at a relative log-likelihood change of 1e-5 (mclust's default);
// lsc runs the same iterations from the same start, so only summation
// order differs (3e-13 seen). Tolerance 1e-9 (relative, absolute below 1):
// room for another summation order or FMA, far below what a different EM
// stopping point gives (the rule tolerates log-likelihood changes of 1e-5).
func TestDSBReference(t *testing.T) {
	cells, empty := dsbInputs(t)
	iso := []string{"MouseIgG1kappaisotype_PROT", "MouseIgG2akappaisotype_PROT", "Mouse IgG2bkIsotype_PROT", "RatIgG2bkIsotype_PROT"}
	n, _, err := DSB(cells, empty, DSBOptions{Pseudocount: 10, NoDenoise: true})
	if err != nil {
		t.Fatal(err)
	}
	compareDSB(t, n, dsbDir+"dsb_step1.tsv.gz", 1e-12)
	n, st, err := DSB(cells, empty, DSBOptions{Pseudocount: 10, Isotypes: iso})
	if err != nil {
		t.Fatal(err)
	}
	compareDSB(t, n, dsbDir+"dsb_isotypes.tsv.gz", 1e-9)
	// the per-cell background means (dsb's technical_stats)
	_, _, tech := readRefGz(t, dsbDir+"dsb_technical_stats.tsv.gz")
	worst := 0.0
	for c, name := range cells.Cells {
		want := tech[name]
		worst = math.Max(worst, relDiff(st.CellBackground[c], want[len(want)-2]))
	}
	t.Logf("cell background means: largest difference %.3g", worst)
	if !(worst <= 1e-9) {
		t.Errorf("cell background means differ from dsb by %g", worst)
	}
	n, _, err = DSB(cells, empty, DSBOptions{Pseudocount: 10})
	if err != nil {
		t.Fatal(err)
	}
	compareDSB(t, n, dsbDir+"dsb_no_isotypes.tsv.gz", 1e-9)
	n, _, err = DSB(cells, empty, DSBOptions{Pseudocount: 5, MeanSubtract: true, NoDenoise: true})
	if err != nil {
		t.Fatal(err)
	}
	compareDSB(t, n, dsbDir+"dsb_step1_meansubtract_pc5.tsv.gz", 1e-12)
}

func TestDSBErrors(t *testing.T) {
	cells, empty := dsbInputs(t)
	if _, _, err := DSB(cells, empty, DSBOptions{Pseudocount: 10, Isotypes: []string{"IgG9"}}); !errors.Is(err, ErrDSB) || !strings.Contains(err.Error(), "IgG9") {
		t.Errorf("unknown isotype: %v", err)
	}
	short := &Matrix{Antibodies: cells.Antibodies[:3], Cells: empty.Cells, Values: empty.Values[:3]}
	if _, _, err := DSB(cells, short, DSBOptions{Pseudocount: 10}); !errors.Is(err, ErrDSB) || !strings.Contains(err.Error(), cells.Antibodies[3]) {
		t.Errorf("missing antibodies: %v", err)
	}
	if _, _, err := DSB(cells, empty, DSBOptions{}); !errors.Is(err, ErrDSB) {
		t.Errorf("pseudocount 0: %v", err)
	}
	// empty droplets in another row order give the same result
	rev := &Matrix{Cells: empty.Cells}
	for a := len(empty.Antibodies) - 1; a >= 0; a-- {
		rev.Antibodies = append(rev.Antibodies, empty.Antibodies[a])
		rev.Values = append(rev.Values, empty.Values[a])
	}
	a, _, _ := DSB(cells, empty, DSBOptions{Pseudocount: 10, NoDenoise: true})
	b, _, err := DSB(cells, rev, DSBOptions{Pseudocount: 10, NoDenoise: true})
	if err != nil || a.Values[5][7] != b.Values[5][7] {
		t.Errorf("reordered empty droplets: %v", err)
	}
	// EmptyDroplets leaves out the cells and filters by total
	raw := &Matrix{Antibodies: []string{"A", "B"}, Cells: []string{"c1", "e1", "e2", "e3"}, Values: [][]float64{{50, 1, 10, 0}, {50, 2, 30, 0}}}
	e, err := EmptyDroplets(raw, &Matrix{Cells: []string{"c1"}}, 1, 40)
	if err != nil || strings.Join(e.Cells, ",") != "e1,e2" || e.Values[1][1] != 30 {
		t.Errorf("EmptyDroplets: %+v %v", e, err)
	}
	if _, err := EmptyDroplets(raw, &Matrix{Cells: []string{"c1"}}, 100, 0); !errors.Is(err, ErrDSB) {
		t.Errorf("no empty droplets left: %v", err)
	}
}

// ReadEmptyDroplets on a raw matrix leaves out the input's cells and keeps
// droplets by ADT total (hand-derived from the files' counts): the
// Cell Ranger 3 folder's ADT totals are 0, 70000, 0, 5, 4532; with cells
// 1-2 left out and totals >= 1, droplets 4 and 5 remain; at most 100
// leaves one, an error. A dense table (antibodies in rows) goes the other
// path.
func TestReadEmptyDroplets(t *testing.T) {
	path := "../../shared/testdata/10x/seurat/cr3.0"
	if _, err := os.Stat(path); err == nil {
		all := load(t, path)
		cells := &Matrix{Cells: all.Cells[:2]}
		src, err := input.Open(path, input.Options{})
		if err != nil {
			t.Fatal(err)
		}
		e, err := ReadEmptyDroplets(src, cells, 1, 0)
		src.Close()
		if err != nil || strings.Join(e.Cells, ",") != strings.Join(all.Cells[3:], ",") || e.Values[1][1] != 1200 || strings.Join(e.Antibodies, ",") != "CD3,CD19" {
			t.Errorf("10x: %+v %v", e, err)
		}
		src, _ = input.Open(path, input.Options{})
		if _, err := ReadEmptyDroplets(src, cells, 1, 100); !errors.Is(err, ErrDSB) || !strings.Contains(err.Error(), "1 empty droplets left of 5") {
			t.Errorf("10x, max 100: %v", err)
		}
		src.Close()
	}
	tab := filepath.Join(t.TempDir(), "raw.tsv")
	os.WriteFile(tab, []byte("antibody\tc1\te1\te2\te3\nA\t50\t1\t10\t0\nB\t50\t2\t30\t0\n"), 0o644)
	src, err := input.Open(tab, input.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	e, err := ReadEmptyDroplets(src, &Matrix{Cells: []string{"c1"}}, 0, 40)
	if err != nil || strings.Join(e.Cells, ",") != "e1,e2,e3" || e.Values[1][1] != 30 || e.Values[0][2] != 0 {
		t.Errorf("dense: %+v %v", e, err)
	}
}
