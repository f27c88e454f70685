package cart

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// table reads a headed TSV as strings (trimmed).
func table(t *testing.T, path string) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	head := strings.Split(sc.Text(), "\t")
	var rows [][]string
	for sc.Scan() {
		r := strings.Split(sc.Text(), "\t")
		for i := range r {
			r[i] = strings.TrimSpace(r[i])
		}
		rows = append(rows, r)
	}
	return head, rows
}

func fnum(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func near(a, b float64) bool {
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))+1e-300
}

// vangalenCounts reads the committed table(sample, CellType) fixture.
func vangalenCounts(t *testing.T) (samples, clusters []string, counts [][]float64) {
	head, rows := table(t, "testdata/propeller/vangalen_counts.tsv")
	clusters = head[1:]
	for _, r := range rows {
		samples = append(samples, r[0])
		var c []float64
		for _, v := range r[1:] {
			c = append(c, fnum(t, v))
		}
		counts = append(counts, c)
	}
	return
}

// check compares a Composition with a speckle output table (columns named
// as propeller names them; the cluster in the first column).
func check(t *testing.T, name string, got *Composition, path string) {
	t.Helper()
	head, rows := table(t, path)
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	if len(rows) != len(got.Rows) {
		t.Fatalf("%s: %d rows, speckle %d", name, len(got.Rows), len(rows))
	}
	byName := map[string]CompositionRow{}
	for _, r := range got.Rows {
		byName[r.Cluster] = r
	}
	stat := "Tstatistic"
	if got.Test == "F" {
		stat = "Fstatistic"
	}
	for _, r := range rows {
		g, ok := byName[r[0]]
		if !ok {
			t.Fatalf("%s: cluster %q missing", name, r[0])
		}
		want := map[string]float64{stat: g.Stat, "P.Value": g.P, "FDR": g.FDR}
		if got.Test == "t" {
			want["PropRatio"] = g.PropRatio
		}
		for i, gr := range got.Groups {
			want["PropMean."+gr] = g.PropMean[i]
		}
		if _, ok := col["BaselineProp.Freq"]; ok {
			want["BaselineProp.Freq"] = g.Baseline
		} else if _, ok := col["BaselineProp"]; ok {
			want["BaselineProp"] = g.Baseline
		}
		for k, v := range want {
			c, ok := col[k]
			if !ok {
				t.Fatalf("%s: no column %s in %v", name, k, head)
			}
			if e := fnum(t, r[c]); !near(v, e) {
				t.Errorf("%s %s %s: %.17g, speckle %.17g", name, r[0], k, v, e)
			}
		}
		if e := fnum(t, r[col["df_prior"]]); !near(g.DFPrior, e) {
			t.Errorf("%s %s: df.prior %.17g, limma %.17g", name, r[0], g.DFPrior, e)
		}
		if e := fnum(t, r[col["s2_prior"]]); !near(got.VarPrior, e) {
			t.Errorf("%s: s2.prior %.17g, limma %.17g", name, got.VarPrior, e)
		}
	}
}

// Real counts: van Galen et al. 2019 cell types per sample, AML vs normal
// marrow (t) and three groups (F), asin and logit, robust FALSE and TRUE;
// expected values from speckle 0.99.7 propeller with limma 3.54.1
// (testdata/propeller/README.md), to 1e-9 relative.
func TestPropellerVanGalen(t *testing.T) {
	for _, robust := range []bool{false, true} {
		testVanGalen(t, robust)
	}
}

func testVanGalen(t *testing.T, robust bool) {
	sfx := ""
	if robust {
		sfx = "_robust"
	}
	samples, clusters, counts := vangalenCounts(t)
	g2 := make([]string, len(samples))
	g3 := make([]string, len(samples))
	three := map[string]string{"AML314-D0": "A", "AML419A-D0": "A", "AML722B-D0": "B", "AML870-D0": "B", "AML997-D0": "B", "BM1": "C"}
	for i, s := range samples {
		g2[i] = "AML"
		if strings.HasPrefix(s, "BM") {
			g2[i] = "BM"
		}
		g3[i] = three[s]
	}
	for _, tr := range []string{TransformAsin, TransformLogit} {
		c, err := Propeller(samples, g2, clusters, counts, tr, robust)
		if err != nil {
			t.Fatal(err)
		}
		if c.Test != "t" || c.DFResid != 4 {
			t.Fatalf("%+v", c)
		}
		check(t, tr+" t"+sfx, c, "testdata/propeller/vangalen_"+tr+"_t"+sfx+".tsv")
		c, err = Propeller(samples, g3, clusters, counts, tr, robust)
		if err != nil {
			t.Fatal(err)
		}
		if c.Test != "F" || c.DFResid != 3 {
			t.Fatalf("%+v", c)
		}
		check(t, tr+" F"+sfx, c, "testdata/propeller/vangalen_"+tr+"_F"+sfx+".tsv")
	}
}

// The committed counts are those of the GEO annotation files (when the
// shared test data is present).
func TestVanGalenCountsFromGEO(t *testing.T) {
	files, _ := filepath.Glob("../../shared/testdata/leukemia/vangalen2019_GSE116256/*.anno.txt.gz")
	if len(files) == 0 {
		t.Skip("shared test data not present")
	}
	samples, clusters, counts := vangalenCounts(t)
	want := map[[2]string]float64{}
	for i, s := range samples {
		for j, c := range clusters {
			want[[2]string{s, c}] = counts[i][j]
		}
	}
	got := map[[2]string]float64{}
	for _, f := range files {
		s := strings.TrimSuffix(filepath.Base(f), ".anno.txt.gz")
		s = s[strings.Index(s, "_")+1:]
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		gz, err := gzip.NewReader(fh)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(gz)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		sc.Scan()
		ct := -1
		for i, h := range strings.Split(sc.Text(), "\t") {
			if h == "CellType" {
				ct = i
			}
		}
		for sc.Scan() {
			got[[2]string{s, strings.Split(sc.Text(), "\t")[ct]}]++
		}
		fh.Close()
	}
	for k, v := range got {
		if want[k] != v {
			t.Errorf("%v: %v cells, fixture %v", k, v, want[k])
		}
	}
}

// Real proportions: Zeng et al. 2022 CIBERSORTx fractions of sorted LSC
// fractions, four sort gates (F) and CD34+ vs CD34- (t); expected values
// from speckle 0.99.7 propeller.anova / propeller.ttest (robust FALSE and
// TRUE).
func TestPropellerZeng(t *testing.T) {
	f, err := os.Open("../../shared/testdata/leukemia/amlhierarchies_zeng2022/CIBERSORTx_LSC_Fractions.csv")
	if err != nil {
		t.Skip("shared test data not present")
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	clusters := recs[0][1:15]
	var samples, gate, cd34 []string
	var props [][]float64
	for _, r := range recs[1:] {
		var p []float64
		var sum float64
		for _, v := range r[1:15] {
			x := fnum(t, v)
			p = append(p, x)
			sum += x
		}
		for i := range p {
			p[i] /= sum
		}
		g := r[0][strings.LastIndex(r[0], "_")+1:]
		c := "CD34m"
		if strings.Contains(g, "CD34p") {
			c = "CD34p"
		}
		samples, gate, cd34, props = append(samples, r[0]), append(gate, g), append(cd34, c), append(props, p)
	}
	for _, robust := range []bool{false, true} {
		sfx := ""
		if robust {
			sfx = "_robust"
		}
		c, err := PropellerProps(samples, gate, clusters, props, robust)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "zeng F"+sfx, c, "testdata/propeller/zeng_asin_F"+sfx+".tsv")
		// speckle orders the t-test groups as the design columns: CD34m, CD34p
		c, err = PropellerProps(samples, cd34, clusters, props, robust)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "zeng t"+sfx, c, "testdata/propeller/zeng_asin_t"+sfx+".tsv")
	}
}

// Hand case: two clusters with proportions p and 1-p have equal residual
// variances after asin(sqrt) (asin sqrt(1-p) = pi/2 - asin sqrt p), so
// limma's prior df is infinite and the moderated variance is the pooled
// one. Group A: p = 1/4, 3/4 (pi/6, pi/3); group B: 0, 1/2 (0, pi/4).
// Means pi/4 and pi/8; RSS = 2(pi/12)^2 + 2(pi/8)^2 = 13 pi^2/288 on 2 df;
// t = (pi/8) / sqrt(13 pi^2/576) = 3/sqrt(13); df.total = min(Inf, pooled 4)
// = 4, p = 1 - 261/(61 sqrt 61) (see stats.TestTFTails).
func TestPropellerHand(t *testing.T) {
	counts := [][]float64{{1, 3}, {3, 1}, {0, 4}, {2, 2}}
	c, err := Propeller([]string{"a1", "a2", "b1", "b2"}, []string{"A", "A", "B", "B"}, []string{"x", "y"}, counts, TransformAsin, false)
	if err != nil {
		t.Fatal(err)
	}
	wantT, wantP := 3/math.Sqrt(13), 1-261/(61*math.Sqrt(61))
	x, y := c.Rows[0], c.Rows[1]
	if !math.IsInf(c.DFPrior, 1) || !near(x.Stat, wantT) || !near(y.Stat, -wantT) || !near(x.P, wantP) || !near(y.FDR, wantP) {
		t.Errorf("%+v %+v %+v", c, x, y)
	}
	// PropMean A = (1/4+3/4)/2 = 1/2, B = (0+1/2)/2 = 1/4: ratio 2; baseline 6/16
	if x.PropMean[0] != 0.5 || x.PropMean[1] != 0.25 || x.PropRatio != 2 || x.Baseline != 6.0/16 {
		t.Errorf("%+v", x)
	}
	if _, err := Propeller([]string{"a", "b"}, []string{"A", "B"}, []string{"x", "y"}, [][]float64{{1, 1}, {1, 2}}, TransformAsin, false); err == nil {
		t.Error("no residual df accepted")
	}
	if _, err := Propeller([]string{"a", "b", "c"}, []string{"A", "B", "B"}, []string{"x"}, [][]float64{{1}, {0}, {2}}, TransformAsin, false); err == nil || !strings.Contains(err.Error(), "sample b has no cells") {
		t.Errorf("%v", err)
	}
}

// A cluster without cells anywhere is refused (speckle never sees one).
func TestPropellerEmptyCluster(t *testing.T) {
	_, err := Propeller([]string{"a", "b", "c"}, []string{"A", "B", "B"}, []string{"x", "y"}, [][]float64{{1, 0}, {2, 0}, {3, 0}}, TransformAsin, false)
	if err == nil || !strings.Contains(err.Error(), "cluster y has no cells") {
		t.Errorf("%v", err)
	}
}
