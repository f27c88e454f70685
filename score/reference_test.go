package score

import (
	"bufio"
	"compress/gzip"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/signature"
)

// The expected scores come from the reference implementations run on van
// Galen 2019 sample AML870-D0 (GEO GSM3587984): UCell 2.17.0, AUCell 1.25.2
// (mean, min and max over seeds 1..20), singscore 1.29.1, GSVA 1.46.0 and
// Seurat 4.3.0 under R 4.2.2; see testdata/reference/README.md for the exact
// calls. The input is the committed demo copy of the same GEO file.
const (
	refInput = "../demo/data/GSM3587984_AML870-D0.dem.txt.gz"
	refSets  = "../testdata/reference/aml870_sets.gmt"
	refTable = "../testdata/reference/aml870_expected.tsv.gz"
)

type refKey struct{ method, set, cell string }
type refVal struct{ score, lo, hi float64 }

func loadReference(t testing.TB) map[refKey]refVal {
	f, err := os.Open(refTable)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(gz)
	out := map[refKey]refVal{}
	sc.Scan()
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		p := func(s string) float64 {
			if s == "NA" {
				return math.NaN()
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		out[refKey{f[0], f[1], f[2]}] = refVal{p(f[3]), p(f[4]), p(f[5])}
	}
	return out
}

func runRef(t testing.TB, method string, opt Options, sigs []signature.Signature) *Result {
	src, err := input.Open(refInput, input.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	opt.Method = method
	res, err := Run(src, sigs, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func refSigs(t testing.TB) []signature.Signature {
	s, err := signature.LoadFile(refSets, signature.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func compare(t *testing.T, res *Result, ref map[refKey]refVal, refMethod string, tol float64, rel bool) {
	t.Helper()
	worst := 0.0
	n := 0
	for s, r := range res.Signatures {
		for c, cell := range res.Cells {
			want, ok := ref[refKey{refMethod, r.Sig.Name, cell}]
			if !ok {
				t.Fatalf("no reference for %s %s %s", refMethod, r.Sig.Name, cell)
			}
			got := res.Scores[s][c]
			d := math.Abs(got - want.score)
			if rel {
				d /= math.Max(1, math.Abs(want.score))
			}
			worst = math.Max(worst, d)
			if d > tol {
				if n < 5 {
					t.Errorf("%s %s %s: got %.10g want %.10g", refMethod, r.Sig.Name, cell, got, want.score)
				}
				n++
			}
		}
	}
	if n > 0 {
		t.Errorf("%s: %d scores off by more than %g", refMethod, n, tol)
	}
	t.Logf("%s: largest difference %.3g", refMethod, worst)
}

func TestReferenceUCell(t *testing.T) {
	ref := loadReference(t)
	compare(t, runRef(t, "ucell", Options{}, refSigs(t)), ref, "ucell", 1e-6, false)
}

func TestReferenceSingscore(t *testing.T) {
	ref := loadReference(t)
	compare(t, runRef(t, "singscore", Options{}, refSigs(t)), ref, "singscore", 1e-6, false)
}

func TestReferenceSingscoreUpDown(t *testing.T) {
	ref := loadReference(t)
	sets := refSigs(t)
	// the reference scored the first set as up and the second as down
	sig := signature.Signature{Name: sets[0].Name + "_vs_" + sets[1].Name, Up: sets[0].Up, Down: sets[1].Up}
	compare(t, runRef(t, "singscore", Options{}, []signature.Signature{sig}), ref, "singscore_updown", 1e-6, false)
}

func TestReferenceSSGSEA(t *testing.T) {
	ref := loadReference(t)
	compare(t, runRef(t, "ssgsea", Options{}, refSigs(t)), ref, "ssgsea_raw", 1e-6, true)
	compare(t, runRef(t, "ssgsea", Options{SSGSEANorm: true}, refSigs(t)), ref, "ssgsea_norm", 1e-6, true)
}

func TestReferenceZscore(t *testing.T) {
	ref := loadReference(t)
	compare(t, runRef(t, "zscore", Options{}, refSigs(t)), ref, "zscore", 1e-6, true)
}

func TestReferenceAUCell(t *testing.T) {
	ref := loadReference(t)
	res := runRef(t, "aucell", Options{}, refSigs(t))
	out := 0
	worst := 0.0
	for s, r := range res.Signatures {
		for c, cell := range res.Cells {
			w := ref[refKey{"aucell", r.Sig.Name, cell}]
			got := res.Scores[s][c]
			worst = math.Max(worst, math.Abs(got-w.score))
			// inside the spread of 20 random tie-breakings, with float slack
			if got < w.lo-1e-9 || got > w.hi+1e-9 {
				out++
				if out < 5 {
					t.Errorf("%s %s: %.6g outside AUCell's range [%.6g, %.6g] (mean %.6g)", r.Sig.Name, cell, got, w.lo, w.hi, w.score)
				}
			}
		}
	}
	t.Logf("aucell: largest distance to the 20-seed mean %.3g", worst)
}

func TestReferenceModuleScore(t *testing.T) {
	ref := loadReference(t)
	res := runRef(t, "modulescore", Options{Seed: 1, NCtrl: 100}, refSigs(t)) // Seurat ran with ctrl = min(100, floor(27899/24/2)) = 100
	for s, r := range res.Signatures {
		var x, y []float64
		for c, cell := range res.Cells {
			x = append(x, res.Scores[s][c])
			y = append(y, ref[refKey{"seurat_modulescore", r.Sig.Name, cell}].score)
		}
		rho := pearson(x, y)
		t.Logf("%s: Pearson r with Seurat AddModuleScore = %.4f", r.Sig.Name, rho)
		if rho < 0.95 {
			t.Errorf("%s: correlation with Seurat %.4f < 0.95", r.Sig.Name, rho)
		}
	}
}

func pearson(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}
