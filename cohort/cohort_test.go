package cohort

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/clinical"
	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
	"github.com/lsc-bio/lsc/stats"
)

// Expected values: testdata/expected.json from testdata/make_fixtures.R
// (R 4.2.2, survival 3.5.3, pROC 1.18.0) on a synthetic 40-sample cohort.
func TestCohortMatchesR(t *testing.T) {
	var ex struct {
		Scores   map[string]float64 `json:"scores"`
		Cut      float64            `json:"cut"`
		LogRank  struct{ Chisq, P float64 }
		CoxGroup struct {
			Terms []string
			Coef  []float64
			N     int
		} `json:"cox_group"`
		CoxScore struct {
			Terms []string
			Coef  []float64
			N     int
		} `json:"cox_score"`
		AUC     float64   `json:"auc"`
		AUCCI   []float64 `json:"auc_ci"`
		WilcoxP float64   `json:"wilcox_p"`
	}
	b, err := os.ReadFile("testdata/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ex); err != nil {
		t.Fatal(err)
	}
	src, err := input.Open("testdata/expr.tsv", input.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	tb, err := clinical.Read("testdata/clinical.csv")
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := signature.Lookup("LSC17")
	res, err := Run(src, sig, tb, Options{Score: score.Options{Method: "weighted"}, Time: "os", Event: "os_event",
		Covariates: []string{"age"}, Response: "response", Ties: stats.Efron})
	if err != nil {
		t.Fatal(err)
	}
	close := func(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }
	for _, s := range res.Samples {
		if !close(s.Score, ex.Scores[s.ID], 1e-12) {
			t.Errorf("%s: score %v, R %v", s.ID, s.Score, ex.Scores[s.ID])
		}
		if want := map[bool]string{true: "high", false: "low"}[ex.Scores[s.ID] > ex.Cut]; s.Group != want {
			t.Errorf("%s: group %s, want %s", s.ID, s.Group, want)
		}
	}
	if !close(res.Cut, ex.Cut, 1e-12) || !close(res.KM.LogRank.Chisq, ex.LogRank.Chisq, 1e-6) || !close(res.KM.LogRank.P, ex.LogRank.P, 1e-5) {
		t.Errorf("cut %v log-rank %v %v, R %v %+v", res.Cut, res.KM.LogRank.Chisq, res.KM.LogRank.P, ex.Cut, ex.LogRank)
	}
	// R names the group term grphigh; lsc names it <signature>_grouphigh.
	if res.CoxGroup.N != ex.CoxGroup.N || res.CoxGroup.Terms[0].Term != "LSC17_grouphigh" {
		t.Errorf("group model n %d terms %v", res.CoxGroup.N, res.CoxGroup.Terms)
	}
	for i, c := range ex.CoxGroup.Coef {
		if !close(res.CoxGroup.Terms[i].Coef, c, 1e-6) {
			t.Errorf("group model %s: %v, R %v", res.CoxGroup.Terms[i].Term, res.CoxGroup.Terms[i].Coef, c)
		}
	}
	for i, c := range ex.CoxScore.Coef {
		if !close(res.CoxScore.Terms[i].Coef, c, 1e-6) {
			t.Errorf("score model %s: %v, R %v", res.CoxScore.Terms[i].Term, res.CoxScore.Terms[i].Coef, c)
		}
	}
	if !close(res.ROC.AUC, ex.AUC, 1e-12) || !close(res.ROC.CI.Lower, ex.AUCCI[0], 1e-9) || !close(res.ROC.CI.Upper, ex.AUCCI[1], 1e-9) || !close(res.MannWhitney.P, ex.WilcoxP, 1e-9) {
		t.Errorf("ROC %v %v, MW p %v; R %v %v %v", res.ROC.AUC, res.ROC.CI, res.MannWhitney.P, ex.AUC, ex.AUCCI, ex.WilcoxP)
	}
	if strings.Join(res.NotInClinical, ",") != "" || len(res.NoExpression) != 0 {
		t.Errorf("unmatched %v %v", res.NotInClinical, res.NoExpression)
	}
}

// The continuous score's hazard ratio per SD equals R's coxph on
// score / sd(score) over the model's complete rows:
// testdata/expected_persd.json from testdata/make_persd.R (R 4.2.2, survival 3.5.3).
func TestScorePerSDMatchesR(t *testing.T) {
	var ex struct {
		N                                     int
		SD, Coef, SE, HR, Lower95, Upper95, P float64
	}
	b, err := os.ReadFile("testdata/expected_persd.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ex); err != nil {
		t.Fatal(err)
	}
	src, err := input.Open("testdata/expr.tsv", input.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	tb, err := clinical.Read("testdata/clinical.csv")
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := signature.Lookup("LSC17")
	res, err := Run(src, sig, tb, Options{Score: score.Options{Method: "weighted"}, Time: "os", Event: "os_event", Covariates: []string{"age"}})
	if err != nil {
		t.Fatal(err)
	}
	close := func(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1e-300, math.Abs(b)) }
	p := res.ScorePerSD
	if p == nil || res.CoxScore.N != ex.N || !close(res.ScoreSD, ex.SD, 1e-12) || !close(p.Coef, ex.Coef, 1e-6) || !close(p.SE, ex.SE, 1e-6) ||
		!close(p.HR, ex.HR, 1e-6) || !close(p.Lower95, ex.Lower95, 1e-6) || !close(p.Upper95, ex.Upper95, 1e-6) || !close(p.P, ex.P, 1e-5) ||
		p.Term != "LSC17_score per SD" {
		t.Errorf("per SD %+v (SD %v), R %+v", p, res.ScoreSD, ex)
	}
}

// Unknown options are refused before any work, not turned into a Cox
// failure note or a default.
func TestRunRejectsOptions(t *testing.T) {
	tb, err := clinical.Read("testdata/clinical.csv")
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := signature.Lookup("LSC17")
	if _, err := Run(nil, sig, tb, Options{Time: "os", Event: "os_event", Ties: "exact"}); !errors.Is(err, stats.ErrOption) {
		t.Errorf("ties exact: %v", err)
	}
	if _, err := Run(nil, sig, tb, Options{Time: "os", Event: "os_event", Cut: "jenks"}); !errors.Is(err, ErrCut) {
		t.Errorf("cut jenks: %v", err)
	}
}

func TestParseCut(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Cut
		err  bool
	}{{"", Cut{Method: "median"}, false}, {"median", Cut{Method: "median"}, false}, {"maxstat", Cut{Method: "maxstat"}, false},
		{"0.42", Cut{Method: "fixed", Value: 0.42}, false}, {"-1e3", Cut{Method: "fixed", Value: -1000}, false},
		{"jenks", Cut{}, true}, {"NaN", Cut{}, true}, {"Max", Cut{}, true}} {
		got, err := ParseCut(c.in)
		if got != c.want || (err != nil) != c.err || (c.err && !errors.Is(err, ErrCut)) {
			t.Errorf("ParseCut(%q) = %+v, %v", c.in, got, err)
		}
	}
}
