package clinical

import (
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/lsc-bio/lsc/stats"
)

// Expected values: testdata/tests_expected.json from testdata/make_tests_fixtures.R
// (R 4.2.2: wilcox.test, fisher.test, p.adjust; pROC 1.18.0 roc/ci.auc DeLong;
// maxstat 0.7-25 maxstat.test with smethod = "LogRank", Lau92 and Lau94 p values).
type testsExpected struct {
	Wilcox map[string]struct {
		W, P float64
		X, Y []float64
	} `json:"wilcox"`
	Fisher map[string]struct {
		Table []int
		P     float64
	} `json:"fisher"`
	BH struct {
		P, Adj []float64
	} `json:"bh"`
	ROC map[string]struct {
		AUC, Lower, Upper, SE float64
	} `json:"roc"`
	MaxStat map[string]struct {
		Statistic float64 `json:"statistic"`
		Cutpoint  float64 `json:"cutpoint"`
		PLau92    float64 `json:"p_lau92"`
		PLau94    float64 `json:"p_lau94"`
	} `json:"maxstat"`
}

func loadTests(t *testing.T) *testsExpected {
	b, err := os.ReadFile("testdata/tests_expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var e testsExpected
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	return &e
}

func numCol(t *testing.T, tb *Table, name string) ([]float64, []bool) {
	v, ok, err := tb.Labels(name)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(v))
	for i := range v {
		if ok[i] {
			f, err := strconv.ParseFloat(v[i], 64)
			if err != nil {
				t.Fatal(err)
			}
			out[i] = f
		}
	}
	return out, ok
}

func TestMannWhitneyMatchesR(t *testing.T) {
	e := loadTests(t)
	ex := e.Wilcox["exact_small"]
	mw, _ := stats.MannWhitneyTest(ex.X, ex.Y)
	if !mw.Exact || mw.W != ex.W || !rel(mw.P, ex.P, 1e-9) {
		t.Errorf("exact: %+v, R W %v p %v", mw, ex.W, ex.P)
	}
	lung := table(t, "lung.csv")
	age, _ := numCol(t, lung, "age")
	sex, _ := numCol(t, lung, "sex")
	var a, b []float64
	for i := range age {
		if sex[i] == 1 {
			a = append(a, age[i])
		} else {
			b = append(b, age[i])
		}
	}
	mw, _ = stats.MannWhitneyTest(a, b)
	if ex := e.Wilcox["lung_age_by_sex"]; mw.Exact || mw.W != ex.W || !rel(mw.P, ex.P, 1e-9) {
		t.Errorf("lung: %+v, R W %v p %v", mw, ex.W, ex.P)
	}
	z := table(t, "zeng")
	pc1, _ := numCol(t, z, "PC1")
	npm1, _, _ := z.Labels("NPM1")
	a, b = nil, nil
	for i := range pc1 {
		if npm1[i] == "Positive" {
			a = append(a, pc1[i])
		} else {
			b = append(b, pc1[i])
		}
	}
	mw, _ = stats.MannWhitneyTest(a, b)
	if ex := e.Wilcox["zeng_pc1_by_npm1"]; mw.W != ex.W || !rel(mw.P, ex.P, 1e-9) {
		t.Errorf("zeng: %+v, R W %v p %v", mw, ex.W, ex.P)
	}
}

func TestFisherAndBHMatchR(t *testing.T) {
	e := loadTests(t)
	for name, f := range e.Fisher {
		// R's table vector is column-major: [a, c, b, d] for [[a, b], [c, d]].
		p, err := stats.FisherExact(f.Table[0], f.Table[2], f.Table[1], f.Table[3])
		if err != nil || !rel(p, f.P, 1e-9) {
			t.Errorf("%s: p %v, R %v", name, p, f.P)
		}
	}
	adj := stats.BenjaminiHochberg(e.BH.P)
	for i := range adj {
		if !rel(adj[i], e.BH.Adj[i], 1e-12) {
			t.Errorf("BH %d: %v, R %v", i, adj[i], e.BH.Adj[i])
		}
	}
	if got := stats.BenjaminiHochberg([]float64{0.01, math.NaN(), 0.02}); !math.IsNaN(got[1]) || got[0] != 0.02 || got[2] != 0.02 {
		t.Errorf("BH with NaN: %v (R p.adjust gives 0.02 NA 0.02)", got)
	}
}

func TestROCMatchesPROC(t *testing.T) {
	e := loadTests(t)
	lung := table(t, "lung.csv")
	age, _ := numCol(t, lung, "age")
	st, _ := numCol(t, lung, "status")
	dead := make([]bool, len(st))
	for i := range st {
		dead[i] = st[i] == 2
	}
	r, err := stats.ROCCurve(age, dead, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	ex := e.ROC["lung_age_death"]
	if !rel(r.AUC, ex.AUC, 1e-12) || !rel(r.SE, ex.SE, 1e-9) || !rel(r.CI.Lower, ex.Lower, 1e-9) || !rel(r.CI.Upper, ex.Upper, 1e-9) {
		t.Errorf("lung: AUC %v se %v CI %v, pROC %+v", r.AUC, r.SE, r.CI, ex)
	}
	if c := r.Curve; c[0].Sensitivity != 0 || c[0].Specificity != 1 || c[len(c)-1].Sensitivity != 1 || c[len(c)-1].Specificity != 0 {
		t.Errorf("curve ends %+v %+v", c[0], c[len(c)-1])
	}
	z := table(t, "zeng")
	pc1, _ := numCol(t, z, "PC1")
	npm1, _, _ := z.Labels("NPM1")
	pos := make([]bool, len(npm1))
	for i := range npm1 {
		pos[i] = npm1[i] == "Positive"
	}
	r, _ = stats.ROCCurve(pc1, pos, 0.95)
	ex = e.ROC["zeng_pc1_npm1"]
	if !rel(r.AUC, ex.AUC, 1e-12) || !rel(r.SE, ex.SE, 1e-9) || !rel(r.CI.Lower, ex.Lower, 1e-9) {
		t.Errorf("zeng: AUC %v se %v CI %v, pROC %+v", r.AUC, r.SE, r.CI, ex)
	}
}

func TestMaxStatMatchesR(t *testing.T) {
	e := loadTests(t)
	for _, c := range []struct{ key, file, time, event, marker string }{
		{"lung_age", "lung.csv", "time", "status", "age"},
		{"zeng_pc1", "zeng", "os", "osi", "PC1"},
	} {
		tb := table(t, c.file)
		tm, ev, ok, err := tb.Outcome(c.time, c.event)
		if err != nil {
			t.Fatal(err)
		}
		mk, mok := numCol(t, tb, c.marker)
		rows, _ := Keep(ok, mok)
		var tt, xx []float64
		var ee []bool
		for _, i := range rows {
			tt, ee, xx = append(tt, tm[i]), append(ee, ev[i]), append(xx, mk[i])
		}
		ms, err := stats.MaxStatLogRank(tt, ee, xx, 0.1, 0.9)
		if err != nil {
			t.Fatal(err)
		}
		ex := e.MaxStat[c.key]
		if !rel(ms.Statistic, ex.Statistic, 1e-9) || ms.Cutpoint != ex.Cutpoint || !rel(ms.PLau92, ex.PLau92, 1e-6) || !rel(ms.PLau94, ex.PLau94, 1e-6) {
			t.Errorf("%s: %v cut %v p %v %v, maxstat %+v", c.key, ms.Statistic, ms.Cutpoint, ms.PLau92, ms.PLau94, ex)
		}
	}
}
