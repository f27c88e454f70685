package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The survival commands end to end on survival's lung data; expected numbers
// are R 4.2.2 / survival 3.5.3 output in clinical/testdata/survival_expected.json.
func TestSurvivalCLI(t *testing.T) {
	raw, err := os.ReadFile("../../clinical/testdata/survival_expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var exp struct {
		KM map[string]struct {
			Median []float64 `json:"median"`
		} `json:"km"`
		LogRank map[string]struct {
			Chisq float64 `json:"chisq"`
			P     float64 `json:"p"`
		} `json:"logrank"`
		Cox map[string]struct {
			Coef        []float64 `json:"coef"`
			LogLik      []float64 `json:"loglik"`
			Concordance float64   `json:"concordance"`
		} `json:"cox"`
	}
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}
	lung := "../../clinical/testdata/lung.csv"
	run := func(args ...string) []byte {
		t.Helper()
		code, out, errs := runLSC(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errs)
		}
		return []byte(out)
	}
	var km struct {
		Strata []struct {
			Name   string  `json:"name"`
			Median float64 `json:"median"`
			Table  []struct {
				StdErr *float64 `json:"std_err"`
			} `json:"table"`
		} `json:"strata"`
		Dropped int `json:"dropped_missing"`
	}
	json.Unmarshal(run("survival", "km", "--data", lung, "--time", "time", "--event", "status", "--group", "sex", "--json"), &km)
	if len(km.Strata) != 2 || km.Strata[0].Name != "1" || km.Strata[0].Median != exp.KM["lung_sex"].Median[0] || km.Strata[1].Median != exp.KM["lung_sex"].Median[1] {
		t.Errorf("km json: %+v", km.Strata)
	}
	var lr struct {
		Chisq  float64 `json:"chisq"`
		P      float64 `json:"p"`
		Groups []struct {
			Name string `json:"name"`
		} `json:"groups"`
	}
	json.Unmarshal(run("survival", "logrank", "--data", lung, "--time", "time", "--event", "status", "--group", "sex", "--json"), &lr)
	if math.Abs(lr.Chisq-exp.LogRank["lung_sex"].Chisq) > 1e-6*lr.Chisq || len(lr.Groups) != 2 {
		t.Errorf("logrank json: %+v", lr)
	}
	var cox struct {
		N       int `json:"n"`
		Dropped int `json:"dropped_missing"`
		Terms   []struct {
			Term string  `json:"term"`
			Coef float64 `json:"coef"`
		} `json:"terms"`
		LogLik      []float64 `json:"loglik"`
		Concordance float64   `json:"concordance"`
		Warnings    []string  `json:"warnings"`
	}
	json.Unmarshal(run("survival", "cox", "--data", lung, "--time", "time", "--event", "status", "--covariates", "age,sex,ph.ecog", "--json"), &cox)
	e := exp.Cox["lung_age_sex_ecog"]
	if cox.N != 227 || cox.Dropped != 1 || len(cox.Terms) != 3 || math.Abs(cox.Terms[2].Coef-e.Coef[2]) > 1e-6*math.Abs(e.Coef[2]) ||
		math.Abs(cox.LogLik[1]-e.LogLik[1]) > 1e-9*math.Abs(e.LogLik[1]) || len(cox.Warnings) != 0 {
		t.Errorf("cox json: %+v", cox)
	}
	// Separation is reported, not hidden.
	sep := filepath.Join(t.TempDir(), "sep.csv")
	os.WriteFile(sep, []byte("t,e,x\n1,1,a\n2,1,a\n3,1,a\n4,1,b\n5,1,b\n6,1,b\n"), 0o644)
	out := string(run("survival", "cox", "--data", sep, "--time", "t", "--event", "e", "--covariates", "x"))
	if !strings.Contains(out, "WARNING") || !strings.Contains(out, "separation") {
		t.Errorf("separation not reported:\n%s", out)
	}
	// A plot is written, and not overwritten without --force.
	svg := filepath.Join(t.TempDir(), "km.svg")
	run("survival", "km", "--data", lung, "--time", "time", "--event", "status", "--group", "sex", "--plot", svg, "--bands")
	if b, _ := os.ReadFile(svg); !strings.Contains(string(b), "Number at risk") || !strings.Contains(string(b), "log-rank p") {
		t.Error("plot lacks the at-risk table or the p value")
	}
	if code, _, _ := runLSC(t, "survival", "km", "--data", lung, "--time", "time", "--event", "status", "--plot", svg); code != 2 {
		t.Error("plot overwritten without --force")
	}
	// Unknown column: exit 1, file named.
	if code, _, errs := runLSC(t, "survival", "km", "--data", lung, "--time", "days", "--event", "status"); code != 1 || !strings.Contains(errs, "lung.csv") || !strings.Contains(errs, `no column "days"`) {
		t.Errorf("unknown column: %d %s", code, errs)
	}
	// Unknown option values are usage errors (exit 2) naming the flag.
	for _, args := range [][]string{
		{"survival", "km", "--data", lung, "--time", "time", "--event", "status", "--conf-type", "logit"},
		{"survival", "cox", "--data", lung, "--time", "time", "--event", "status", "--covariates", "age", "--ties", "exact"},
	} {
		if code, _, errs := runLSC(t, args...); code != 2 || !strings.Contains(errs, "--"+args[len(args)-2][2:]) {
			t.Errorf("%v: exit %d %s", args, code, errs)
		}
	}
}

// Issue 11 item 3: a time column that is empty for every censored patient
// stops with the explanation (it was dropped as missing: n = 103, 103 events
// on TCGA). Fixture: clinical/testdata/censored_times.csv (hand-made).
func TestSurvivalMissingTimesOfCensored(t *testing.T) {
	code, out, errs := runLSC(t, "survival", "km", "--data", "../../clinical/testdata/censored_times.csv", "--time", "days_to_death", "--event", "vital_status")
	if code != 1 || out != "" || !strings.Contains(errs, "censored_times.csv line 3") || !strings.Contains(errs, "4 of the 4 censored") ||
		!strings.Contains(errs, "days_to_last_follow_up") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
}

// Issue 11 items 9, 11, 16: the --plot file is checked before the data are
// read; a tab-separated file named .csv reads; --quiet is accepted.
func TestSurvivalConsistency(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "km.svg")
	os.WriteFile(svg, []byte("x"), 0o644)
	if code, _, errs := runLSC(t, "survival", "km", "--data", "missing.csv", "--time", "t", "--event", "e", "--plot", svg); code != 2 || !strings.Contains(errs, "km.svg") {
		t.Errorf("existing --plot: exit %d %s", code, errs)
	}
	code, out, errs := runLSC(t, "survival", "km", "-q", "--data", "../../clinical/testdata/tab_named.csv", "--time", "time", "--event", "status")
	// lung rows 1-6: deaths at 210, 306, 455, 883; censored 1010, 1022. S is
	// exactly 0.5 from 455 to 883, so the median is the midpoint; R 4.2.2
	// survival 3.5.3 survfit prints n 6, events 4, median 669, 0.95LCL 306,
	// 0.95UCL NA.
	if code != 0 || errs != "" || !strings.Contains(out, "all    6  4       669     306, NA") {
		t.Errorf("tab-separated .csv: exit %d\n%s%s", code, out, errs)
	}
}
