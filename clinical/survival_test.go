package clinical

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/stats"
)

// Expected values: testdata/survival_expected.json, written by
// testdata/make_fixtures.R with R 4.2.2 and survival 3.5.3 (Debian
// r-cran-survival): survfit/summary.survfit, survdiff and coxph on
// survival's lung and aml datasets and on the 949-patient AML cohort of
// Zeng et al. 2022 (../shared/testdata). Tolerances as the issue sets them:
// 1e-6 relative for estimates, 1e-5 for p-values.

type kmExp struct {
	Strata      []string   `json:"strata"`
	Rows        []kmRow    `json:"rows"`
	N           []float64  `json:"n"`
	Events      []float64  `json:"events"`
	Median      []*float64 `json:"median"`
	MedianLower []*float64 `json:"median_lower"`
	MedianUpper []*float64 `json:"median_upper"`
}

type kmRow struct {
	Strata  string   `json:"strata"`
	Time    float64  `json:"time"`
	NRisk   int      `json:"n_risk"`
	NEvent  int      `json:"n_event"`
	NCensor int      `json:"n_censor"`
	Surv    float64  `json:"surv"`
	StdErr  *float64 `json:"std_err"`
	Lower   *float64 `json:"lower"`
	Upper   *float64 `json:"upper"`
}

type lrExp struct {
	Chisq    float64   `json:"chisq"`
	DF       int       `json:"df"`
	P        float64   `json:"p"`
	N        []int     `json:"n"`
	Observed []float64 `json:"observed"`
	Expected []float64 `json:"expected"`
}

type coxExp struct {
	N, Events   int
	Terms       []string  `json:"terms"`
	Coef        []float64 `json:"coef"`
	SE          []float64 `json:"se"`
	Z           []float64 `json:"z"`
	P           []float64 `json:"p"`
	Lower95     []float64 `json:"lower95"`
	Upper95     []float64 `json:"upper95"`
	LogLik      []float64 `json:"loglik"`
	LRT         []float64 `json:"lrt"`
	Wald        []float64 `json:"wald"`
	Score       []float64 `json:"score"`
	Concordance float64   `json:"concordance"`
}

type expected struct {
	KM      map[string]kmExp  `json:"km"`
	LogRank map[string]lrExp  `json:"logrank"`
	Cox     map[string]coxExp `json:"cox"`
}

func loadExpected(t *testing.T) *expected {
	b, err := os.ReadFile("testdata/survival_expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var e expected
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	return &e
}

func rel(got, want, tol float64) bool {
	if math.IsNaN(got) && math.IsNaN(want) {
		return true
	}
	if got == want {
		return true
	}
	return math.Abs(got-want) <= tol*math.Max(math.Abs(want), 1e-300) || math.Abs(got-want) <= tol*1e-3
}

func pv(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

const zengPath = "../../shared/testdata/leukemia/amlhierarchies_zeng2022/Survival_Hierarchy_TCGA_BEAT_GSE6891.csv"

func table(t *testing.T, name string) *Table {
	path := filepath.Join("testdata", name)
	if name == "zeng" {
		path = zengPath
		if _, err := os.Stat(path); err != nil {
			t.Skip("../shared/testdata absent")
		}
	}
	tb, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// groupKM fits one curve per group as survfit(Surv(time, event) ~ group).
func groupKM(t *testing.T, tb *Table, timeCol, eventCol, group string, conf stats.ConfType) ([]string, []*stats.KM) {
	tm, ev, ok, err := tb.Outcome(timeCol, eventCol)
	if err != nil {
		t.Fatal(err)
	}
	labels := make([]string, len(tm))
	gok := ok
	if group != "" {
		var err error
		labels, gok, err = tb.Labels(group)
		if err != nil {
			t.Fatal(err)
		}
	}
	rows, _ := Keep(ok, gok)
	by := map[string][]int{}
	for _, i := range rows {
		by[labels[i]] = append(by[labels[i]], i)
	}
	names := SortedKeys(by)
	stats.SortLevels(names)
	var fits []*stats.KM
	for _, g := range names {
		var tt []float64
		var ee []bool
		for _, i := range by[g] {
			tt, ee = append(tt, tm[i]), append(ee, ev[i])
		}
		k, err := stats.KaplanMeier(tt, ee, conf, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		fits = append(fits, k)
	}
	return names, fits
}

func TestKaplanMeierMatchesR(t *testing.T) {
	e := loadExpected(t)
	cases := []struct {
		key, file, time, event, group string
		conf                          stats.ConfType
		full                          bool
	}{
		{"lung_all", "lung.csv", "time", "status", "", stats.ConfLog, true},
		{"lung_sex", "lung.csv", "time", "status", "sex", stats.ConfLog, true},
		{"lung_sex_loglog", "lung.csv", "time", "status", "sex", stats.ConfLogLog, true},
		{"lung_sex_plain", "lung.csv", "time", "status", "sex", stats.ConfPlain, true},
		{"aml_x", "aml.csv", "time", "status", "x", stats.ConfLog, true},
		{"zeng_pc1", "zeng", "os", "osi", "PC1_cat", stats.ConfLog, false},
		{"zeng_cohort", "zeng", "os", "osi", "Cohort", stats.ConfLog, false},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			ex := e.KM[c.key]
			names, fits := groupKM(t, table(t, c.file), c.time, c.event, c.group, c.conf)
			if len(fits) != len(ex.Strata) {
				t.Fatalf("%d strata, R has %d", len(fits), len(ex.Strata))
			}
			for g, k := range fits {
				if c.group != "" && ex.Strata[g] != c.group+"="+names[g] {
					t.Errorf("stratum %d: %s, R %s", g, names[g], ex.Strata[g])
				}
				if float64(k.N) != ex.N[g] || float64(k.Events) != ex.Events[g] {
					t.Errorf("%s: n %d events %d, R %v %v", names[g], k.N, k.Events, ex.N[g], ex.Events[g])
				}
				for _, m := range [][2]float64{{k.Median, pv(ex.Median[g])}, {k.MedianLower, pv(ex.MedianLower[g])}, {k.MedianUpper, pv(ex.MedianUpper[g])}} {
					if !rel(m[0], m[1], 1e-6) {
						t.Errorf("%s: median/CI %v, R %v", names[g], m[0], m[1])
					}
				}
				var rows []kmRow
				for _, r := range ex.Rows {
					if c.group == "" || r.Strata == ex.Strata[g] {
						rows = append(rows, r)
					}
				}
				if c.full {
					if len(rows) != len(k.Rows) {
						t.Fatalf("%s: %d rows, R %d", names[g], len(k.Rows), len(rows))
					}
					for i, r := range rows {
						got := k.Rows[i]
						if got.Time != r.Time || got.NRisk != r.NRisk || got.NEvent != r.NEvent || got.NCensor != r.NCensor {
							t.Fatalf("%s row %d: %+v, R %+v", names[g], i, got, r)
						}
						if !rel(got.Surv, r.Surv, 1e-6) || !rel(got.StdErr, pv(r.StdErr), 1e-6) || !rel(got.Lower, pv(r.Lower), 1e-6) || !rel(got.Upper, pv(r.Upper), 1e-6) {
							t.Errorf("%s t=%v: %v %v [%v, %v], R %v %v [%v, %v]", names[g], r.Time, got.Surv, got.StdErr, got.Lower, got.Upper, r.Surv, pv(r.StdErr), pv(r.Lower), pv(r.Upper))
						}
					}
					continue
				}
				// Summaries at fixed times: the last row at or before t.
				for _, r := range rows {
					var at stats.KMRow
					for _, kr := range k.Rows {
						if kr.Time <= r.Time {
							at = kr
						}
					}
					if s := k.SurvivalAt(r.Time); !rel(s, r.Surv, 1e-6) {
						t.Errorf("%s: SurvivalAt(%v) = %v, R %v", names[g], r.Time, s, r.Surv)
					}
					if n := k.AtRisk([]float64{r.Time})[0]; n != r.NRisk {
						t.Errorf("%s at %v: n at risk %d, R %d", names[g], r.Time, n, r.NRisk)
					}
					if !rel(at.Surv, r.Surv, 1e-6) || !rel(at.StdErr, pv(r.StdErr), 1e-6) || !rel(at.Lower, pv(r.Lower), 1e-6) || !rel(at.Upper, pv(r.Upper), 1e-6) {
						t.Errorf("%s at %v: %+v, R %+v", names[g], r.Time, at, r)
					}
				}
			}
		})
	}
}

func TestLogRankMatchesR(t *testing.T) {
	e := loadExpected(t)
	for _, c := range []struct{ key, file, time, event, group, strata string }{
		{"lung_sex", "lung.csv", "time", "status", "sex", ""},
		{"aml_x", "aml.csv", "time", "status", "x", ""},
		{"zeng_pc1", "zeng", "os", "osi", "PC1_cat", ""},
		{"zeng_cohort", "zeng", "os", "osi", "Cohort", ""},
		{"zeng_pc1_by_cohort", "zeng", "os", "osi", "PC1_cat", "Cohort"},
	} {
		t.Run(c.key, func(t *testing.T) {
			ex := e.LogRank[c.key]
			tb := table(t, c.file)
			lr, err := tb.LogRank(c.time, c.event, c.group, c.strata)
			if err != nil {
				t.Fatal(err)
			}
			if !rel(lr.Chisq, ex.Chisq, 1e-6) || lr.DF != ex.DF || !rel(lr.P, ex.P, 1e-5) {
				t.Errorf("chisq %v df %d p %v, R %v %d %v", lr.Chisq, lr.DF, lr.P, ex.Chisq, ex.DF, ex.P)
			}
			for i := range ex.N {
				if lr.N[i] != ex.N[i] || !rel(lr.Observed[i], ex.Observed[i], 1e-9) || !rel(lr.Expected[i], ex.Expected[i], 1e-6) {
					t.Errorf("group %s: n %d O %v E %v, R %d %v %v", lr.Groups[i], lr.N[i], lr.Observed[i], lr.Expected[i], ex.N[i], ex.Observed[i], ex.Expected[i])
				}
			}
		})
	}
}

func TestCoxMatchesR(t *testing.T) {
	e := loadExpected(t)
	for _, c := range []struct {
		key, file, time, event string
		covs                   []string
		ref                    map[string]string
		ties                   stats.Ties
		rTerms                 []string // R's names when they differ from ours (relevel)
	}{
		{"lung_age_sex_efron", "lung.csv", "time", "status", []string{"age", "sex"}, nil, stats.Efron, nil},
		{"lung_age_sex_breslow", "lung.csv", "time", "status", []string{"age", "sex"}, nil, stats.Breslow, nil},
		{"lung_age_sex_ecog", "lung.csv", "time", "status", []string{"age", "sex", "ph.ecog"}, nil, stats.Efron, nil},
		{"aml_x", "aml.csv", "time", "status", []string{"x"}, nil, stats.Efron, nil},
		{"zeng_pc1_age_risk_npm1", "zeng", "os", "osi", []string{"PC1_cat", "Age", "CytogeneticRisk", "NPM1"}, nil, stats.Efron, nil},
		{"zeng_pc1_age_risk_npm1_breslow", "zeng", "os", "osi", []string{"PC1_cat", "Age", "CytogeneticRisk", "NPM1"}, nil, stats.Breslow, nil},
		{"zeng_pc1_ref_low", "zeng", "os", "osi", []string{"PC1_cat", "WBC"}, map[string]string{"PC1_cat": "Low"}, stats.Efron, []string{"PC1_catHigh", "WBC"}},
	} {
		t.Run(c.key, func(t *testing.T) {
			ex := e.Cox[c.key]
			tb := table(t, c.file)
			tm, ev, ok, err := tb.Outcome(c.time, c.event)
			if err != nil {
				t.Fatal(err)
			}
			d, err := tb.Design(c.covs, c.ref)
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := Keep(ok, d.OK)
			var tt []float64
			var ee []bool
			var xx [][]float64
			for _, i := range rows {
				tt, ee, xx = append(tt, tm[i]), append(ee, ev[i]), append(xx, d.X[i])
			}
			fit, err := stats.CoxPH(tt, ee, xx, d.Names, c.ties)
			if err != nil {
				t.Fatal(err)
			}
			want := ex.Terms
			if c.rTerms != nil {
				want = c.rTerms
			}
			if fit.N != ex.N || fit.Events != ex.Events || strings.Join(d.Names, ",") != strings.Join(want, ",") {
				t.Fatalf("n %d events %d terms %v, R %d %d %v", fit.N, fit.Events, d.Names, ex.N, ex.Events, want)
			}
			for i, term := range fit.Terms {
				if !rel(term.Coef, ex.Coef[i], 1e-6) || !rel(term.SE, ex.SE[i], 1e-6) || !rel(term.Z, ex.Z[i], 1e-6) ||
					!rel(term.Lower95, ex.Lower95[i], 1e-6) || !rel(term.Upper95, ex.Upper95[i], 1e-6) || !rel(term.P, ex.P[i], 1e-5) {
					t.Errorf("%s: coef %v se %v z %v p %v [%v, %v], R %v %v %v %v [%v, %v]", term.Term, term.Coef, term.SE, term.Z, term.P, term.Lower95, term.Upper95,
						ex.Coef[i], ex.SE[i], ex.Z[i], ex.P[i], ex.Lower95[i], ex.Upper95[i])
				}
				if term.MayBeInfinite {
					t.Errorf("%s flagged infinite", term.Term)
				}
			}
			if !rel(fit.LogLik[0], ex.LogLik[0], 1e-9) || !rel(fit.LogLik[1], ex.LogLik[1], 1e-9) {
				t.Errorf("loglik %v, R %v", fit.LogLik, ex.LogLik)
			}
			for _, tc := range []struct {
				name string
				got  stats.Test
				want []float64
			}{{"lrt", fit.LRT, ex.LRT}, {"wald", fit.Wald, ex.Wald}, {"score", fit.Score, ex.Score}} {
				if !rel(tc.got.Stat, tc.want[0], 1e-6) || float64(tc.got.DF) != tc.want[1] || !rel(tc.got.P, tc.want[2], 1e-5) {
					t.Errorf("%s %+v, R %v", tc.name, tc.got, tc.want)
				}
			}
			if !rel(fit.Concordance, ex.Concordance, 1e-9) {
				t.Errorf("concordance %v, R %v", fit.Concordance, ex.Concordance)
			}
		})
	}
}
