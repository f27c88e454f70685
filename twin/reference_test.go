package twin

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/mrd"
)

// expectedRow is one line of testdata/expected.tsv, written by
// testdata/fit.R (R 4.2.2, optim Nelder-Mead + BFGS from a grid of starts,
// uniroot on the profile deviance; see testdata/README.md).
type expectedRow struct {
	patient, fraction, model, param string
	est, lo, hi                     float64
}

func readExpected(t *testing.T, path string) []expectedRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	var out []expectedRow
	num := func(s string) float64 {
		if s == "" {
			return math.NaN()
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return v
	}
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		out = append(out, expectedRow{c[0], c[1], c[2], c[3], num(c[4]), num(c[5]), num(c[6])})
	}
	return out
}

// close1e4 compares to 1e-4 relative; bounds R reports as underflowed
// (< 1e-300: its profile never crossed) must be 0 here.
func close1e4(got, want float64) bool {
	if math.IsNaN(want) {
		return true
	}
	if want < 1e-300 && want >= 0 {
		return got == 0
	}
	if want == 0 {
		return got == 0
	}
	return math.Abs(got-want) <= 1e-4*math.Abs(want)
}

func loadTestSeries(t *testing.T) (*mrd.Assessment, []Series) {
	t.Helper()
	d, err := mrd.ReadMeasurements("testdata/measurements.csv")
	if err != nil {
		t.Fatal(err)
	}
	p, err := mrd.ReadPatients("testdata/patients.csv")
	if err != nil {
		t.Fatal(err)
	}
	a, err := mrd.Assess(d, p, mrd.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	return a, SeriesFromMRD(a)
}

// Every estimate, log-likelihood and profile bound equals R's independent
// fit of the same likelihood to 1e-4 relative.
func TestDeclineMatchesR(t *testing.T) {
	_, series := loadTestSeries(t)
	exp := readExpected(t, "testdata/expected.tsv")
	fits := map[string]*Decline{}
	for _, s := range series {
		f, err := FitDecline(s.Obs)
		if err != nil {
			if s.Patient != "T3" {
				t.Errorf("%s %s: %v", s.Patient, s.Fraction, err)
			}
			continue
		}
		fits[s.Patient+"\x00"+s.Fraction] = f
	}
	if _, ok := fits["T3\x00PB"]; ok {
		t.Error("T3 has two samples: must be not estimable")
	}
	checked := 0
	for _, e := range exp {
		f := fits[e.patient+"\x00"+e.fraction]
		if e.model == "shared second slope" {
			continue
		}
		if f == nil {
			t.Errorf("%s %s: no fit", e.patient, e.fraction)
			continue
		}
		switch {
		case e.param == "loglik" && e.model == "monophasic":
			got := f.LogLik
			if f.Model == "biphasic" {
				got = f.LogLik - f.LRT/2
			}
			if !close1e4(got, e.est) {
				t.Errorf("%s %s mono loglik %v, R %v", e.patient, e.fraction, got, e.est)
			}
		case e.param == "loglik":
			if !close1e4(f.BiLogLik, e.est) {
				t.Errorf("%s %s bi loglik %v, R %v", e.patient, e.fraction, f.BiLogLik, e.est)
			}
		case e.model != f.Model:
			continue // R writes the parameters of the rejected model without intervals
		case strings.HasPrefix(e.param, "day_"):
			var pct float64
			for _, m := range Milestones {
				if "day_"+m.Name == e.param {
					pct = m.Percent
				}
			}
			est, lo, hi := f.CrossingDay(pct)
			if !close1e4(est, e.est) || !close1e4(lo, e.lo) || !close1e4(hi, e.hi) {
				t.Errorf("%s %s %s: %v [%v, %v], R %v [%v, %v]", e.patient, e.fraction, e.param, est, lo, hi, e.est, e.lo, e.hi)
			}
		case strings.HasPrefix(e.param, "log10_level_day"):
			day, _ := strconv.ParseFloat(strings.TrimPrefix(e.param, "log10_level_day"), 64)
			est, lo, hi := f.LevelInterval(day)
			if !close1e4(est, e.est) || !close1e4(lo, e.lo) || !close1e4(hi, e.hi) {
				t.Errorf("%s %s %s: %v [%v, %v], R %v [%v, %v]", e.patient, e.fraction, e.param, est, lo, hi, e.est, e.lo, e.hi)
			}
		default:
			var p Param
			for _, q := range f.Params {
				if q.Name == e.param {
					p = q
				}
			}
			if !close1e4(p.Estimate, e.est) || !close1e4(p.Lower, e.lo) || !close1e4(p.Upper, e.hi) {
				t.Errorf("%s %s %s: %v [%v, %v], R %v [%v, %v]", e.patient, e.fraction, e.param, p.Estimate, p.Lower, p.Upper, e.est, e.lo, e.hi)
			}
		}
		checked++
	}
	if checked < 24 {
		t.Errorf("only %d expected values checked", checked)
	}
}

// The stem-vs-blood likelihood-ratio test equals R's joint fit.
func TestCompareSlopesMatchesR(t *testing.T) {
	a, _ := loadTestSeries(t)
	res, err := FitMRD(a, Options{GridPoints: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Comparisons) != 1 {
		t.Fatalf("%d comparisons, want 1 (T1 CD34+CD38- vs PB)", len(res.Comparisons))
	}
	c := res.Comparisons[0]
	for _, e := range readExpected(t, "testdata/expected.tsv") {
		if e.model != "shared second slope" {
			continue
		}
		got := map[string]float64{"loglik": c.LogLikJoint, "lrt": c.LRT, "p": c.P}[e.param]
		if !close1e4(got, e.est) {
			t.Errorf("%s: %v, R %v", e.param, got, e.est)
		}
	}
	if !c.Shallower {
		t.Errorf("simulated stem slope 0.0005 vs blood 0.004 per day: want shallower, got %+v", c)
	}
}

func BenchmarkFitDecline(b *testing.B) {
	d, _ := mrd.ReadMeasurements("testdata/measurements.csv")
	p, _ := mrd.ReadPatients("testdata/patients.csv")
	a, _ := mrd.Assess(d, p, mrd.DefaultParams())
	s := SeriesFromMRD(a)[0] // T1 PB: biphasic, 18 samples, 4 undetectable
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := FitDecline(s.Obs); err != nil {
			b.Fatal(err)
		}
	}
}
