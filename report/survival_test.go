package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/clinical"
	"github.com/lsc-bio/lsc/cohort"
	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/formats/sheet"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
	"github.com/lsc-bio/lsc/stats"
)

func table(text string) *clinical.Table {
	sh, err := sheet.Parse(strings.NewReader(text), "example.csv")
	if err != nil {
		panic(err)
	}
	return &clinical.Table{Sheet: sh}
}

// The first six rows of survival's lung data. R 4.2.2 / survival 3.5.3:
// survfit gives n 6, events 4, median 669, 0.95 LCL 306, UCL NA.
const lung6 = "time,status,sex\n306,2,1\n455,2,1\n1010,1,1\n210,2,2\n883,2,1\n1022,1,1\n"

func ExampleKMText() {
	km, _ := table(lung6).KaplanMeier("time", "status", "", stats.ConfLog, 0.95)
	report.KMText(os.Stdout, km, report.KMOptions{ConfType: stats.ConfLog, ConfLevel: 0.95, AtRisk: []float64{0, 500}})
	// Output:
	// group  n  events  median  95% CI
	// all    6  4       669     306, NA
	//
	// number at risk (survival)
	// group  0          500
	// all    6 (1.000)  3 (0.500)
}

// R 4.2.2 / survival 3.5.3 survdiff(Surv(time, status) ~ sex) on the same
// rows: chisq 5, expected 3.8333 and 0.16667, p 0.0253473186774683.
func ExampleLogRankJSON() {
	lr, _ := table(lung6).LogRank("time", "status", "sex", "")
	report.LogRankJSON(os.Stdout, lr)
	// Output:
	// {
	//   "chisq": 5,
	//   "df": 1,
	//   "p": 0.025347318677468204,
	//   "groups": [
	//     {
	//       "name": "1",
	//       "n": 5,
	//       "observed": 3,
	//       "expected": 3.8333333333333335
	//     },
	//     {
	//       "name": "2",
	//       "n": 1,
	//       "observed": 1,
	//       "expected": 0.16666666666666666
	//     }
	//   ],
	//   "dropped_missing": 0
	// }
}

// The writers' bytes on lung.csv and the cohort fixture are kept in
// testdata/golden (go test -update rewrites them). They were checked equal
// to the outputs of lsc before the writers moved into this package, except
// where binary noise is now removed (one survival value of lung_km.json).
func TestGolden(t *testing.T) {
	lung, km := lungBySex(t)
	lr, err := lung.LogRank("time", "status", "sex", "")
	if err != nil {
		t.Fatal(err)
	}
	cox, err := lung.Cox("time", "status", []string{"age", "sex", "ph.ecog"}, nil, stats.Efron)
	if err != nil {
		t.Fatal(err)
	}
	src, err := input.Open("../cohort/testdata/expr.tsv", input.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	clin, err := clinical.Read("../cohort/testdata/clinical.csv")
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := signature.Lookup("LSC17")
	res, err := cohort.Run(src, sig, clin, cohort.Options{Score: score.Options{Method: "weighted"}, Time: "os", Event: "os_event",
		Covariates: []string{"age"}, Response: "response", Cut: "maxstat"})
	if err != nil {
		t.Fatal(err)
	}
	kmo := report.KMOptions{ConfType: stats.ConfLog, ConfLevel: 0.95}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"lung_km.json":       func(b *bytes.Buffer) error { return report.KMJSON(b, km, kmo) },
		"lung_km.txt":        func(b *bytes.Buffer) error { return report.KMText(b, km, kmo) },
		"lung_logrank.json":  func(b *bytes.Buffer) error { return report.LogRankJSON(b, lr) },
		"lung_logrank.txt":   func(b *bytes.Buffer) error { return report.LogRankText(b, lr) },
		"lung_cox.json":      func(b *bytes.Buffer) error { return report.CoxJSON(b, cox, stats.Efron) },
		"lung_cox.txt":       func(b *bytes.Buffer) error { return report.CoxText(b, cox, stats.Efron) },
		"cohort_scores.tsv":  func(b *bytes.Buffer) error { return report.CohortScores(b, res) },
		"cohort_km.tsv":      func(b *bytes.Buffer) error { return report.KMTable(b, res.KM) },
		"cohort_cox.tsv":     func(b *bytes.Buffer) error { return report.CohortModels(b, res) },
		"cohort_tests.tsv":   func(b *bytes.Buffer) error { return report.CohortTests(b, res) },
		"cohort_summary.txt": func(b *bytes.Buffer) error { return report.CohortSummary(b, res) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(name, err)
		}
		path := filepath.Join("testdata", "golden", name)
		if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" { // declared in update_test.go (package report)
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs from %s (go test -update rewrites it)", name, path)
		}
	}
}
