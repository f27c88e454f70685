package adt

import (
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// mclust's Mclust(x, G = 2) per antibody of the CBMC CITE-seq data after
// Seurat's CLR (margin 2), for models E,V (best BIC), E and V
// (testdata/mixture_cbmc_clr2.tsv; R calls in its header and
// testdata/README.md). EM stopped at mclust's 1e-5 relative change: lsc
// runs the same iterations from the same start, so the parameters agree to
// rounding (4e-15 seen); tolerance 1e-9 relative (absolute below 1), loose
// enough for another summation order or FMA, far below what a different EM
// stopping point gives. The threshold is R's grid + uniroot search for
// the point where the high component takes over, against lsc's
// closed-form root; the E,V rows go through Positive (lsc adt positive).
func TestMixtureMclustCBMC(t *testing.T) {
	path := "../../shared/testdata/citeseq/GSE100866/GSE100866_CBMC_8K_13AB_10X-ADT_umi.csv.gz"
	if _, err := os.Stat(path); err != nil {
		t.Skip("shared test data absent")
	}
	m, err := CLR(load(t, path), 2)
	if err != nil {
		t.Fatal(err)
	}
	pos, err := Positive(m, PositiveOptions{Method: ControlMixture})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/mixture_cbmc_clr2.tsv")
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for i, a := range m.Antibodies {
		idx[a] = i
	}
	rows, worst := 0, 0.0
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if strings.HasPrefix(l, "#") || strings.HasPrefix(l, "antibody\t") {
			continue
		}
		f := strings.Split(l, "\t")
		a, ok := idx[f[0]]
		if !ok {
			t.Fatalf("antibody %s not in the data", f[0])
		}
		var fit *Mixture
		if f[1] == "E,V" {
			// Mclust's default models: through lsc adt positive's path
			th := pos.Thresholds[a]
			if th.Antibody != f[0] || th.Mixture == nil || th.Called != !math.IsNaN(th.Threshold) {
				t.Fatalf("%s: positivity %+v", f[0], th)
			}
			if !math.IsNaN(th.Threshold) && th.Threshold != th.Mixture.Crossing() {
				t.Errorf("%s: threshold %v, crossing %v", f[0], th.Threshold, th.Mixture.Crossing())
			}
			fit = th.Mixture
		} else if fit, err = FitMixture(m.Values[a], 2, strings.Split(f[1], ",")...); err != nil {
			t.Fatalf("%s %s: %v", f[0], f[1], err)
		}
		if fit.Model != f[2] {
			t.Errorf("%s models %s: chose %s, mclust %s", f[0], f[1], fit.Model, f[2])
			continue
		}
		got := []float64{fit.Mean[0], fit.Mean[1], fit.Var[0], fit.Var[1], fit.Pro[0], fit.Pro[1], fit.Loglik, fit.BIC, fit.Crossing()}
		names := []string{"mean1", "mean2", "var1", "var2", "pro1", "pro2", "loglik", "bic", "threshold"}
		for k, g := range got {
			want := parseF(t, f[3+k])
			d := relDiff(g, want)
			if math.IsNaN(g) && math.IsNaN(want) {
				d = 0
			}
			worst = math.Max(worst, d)
			if !(d <= 1e-9) {
				t.Errorf("%s %s %s: %v, mclust %v", f[0], f[1], names[k], g, want)
			}
		}
		rows++
	}
	t.Logf("%d fits, largest difference to mclust %.3g", rows, worst)
	if rows != 39 {
		t.Errorf("%d reference rows, want 13 antibodies x 3", rows)
	}
}

func parseF(t *testing.T, s string) float64 {
	t.Helper()
	if s == "NA" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return v
}
