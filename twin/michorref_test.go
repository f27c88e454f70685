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

// The Michor fit equals an independent fit of the same likelihood in R:
// the model solved by the matrix exponential (eigen) and deSolve's lsoda,
// not the closed form lsc uses; stats::optim from the same 9 starts,
// profile bounds by uniroot
// (testdata/expected_michor.tsv; R and deSolve versions, tolerances and the
// stop day in its first line; testdata/README.md), on
// testdata/michor_measurements.csv, simulated by R from the model — to
// 1e-4 relative: log-likelihood, y0, ay_reduction, by_reduction, sd and
// their profile bounds, the days to relapse after stopping on day 365 and
// the modelled % on day 1825 (continued and stopped) with their profile
// bounds. A bound R leaves empty (its walk never crossed) is +Inf or 0 here.
func TestMichorMatchesR(t *testing.T) {
	d, err := mrd.ReadMeasurements("testdata/michor_measurements.csv")
	if err != nil {
		t.Fatal(err)
	}
	pts, err := mrd.ReadPatients("testdata/michor_patients.csv")
	if err != nil {
		t.Fatal(err)
	}
	a, err := mrd.Assess(d, pts, mrd.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	fits := map[string]*MichorFit{}
	for _, s := range SeriesFromMRD(a) {
		f, err := FitMichor(s.Obs, DefaultMichorParams())
		if err != nil {
			t.Fatalf("%s: %v", s.Patient, err)
		}
		fits[s.Patient] = f
	}
	fh, err := os.Open("testdata/expected_michor.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	num := func(s string) float64 {
		s = strings.TrimSpace(s)
		if s == "" || s == "NA" {
			return math.NaN()
		}
		if s == "SKIP" { // see the comment line in the fixture
			return math.Inf(-1)
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	near := func(got, want float64, bound bool) bool {
		if math.IsInf(want, -1) {
			return true
		}
		if math.IsNaN(want) {
			return !bound || math.IsInf(got, 1) || got == 0
		}
		return math.Abs(got-want) <= 1e-4*math.Abs(want)
	}
	const stop = 365
	checked := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.HasPrefix(strings.TrimSpace(line), "patient") {
			continue
		}
		c := strings.Split(line, "\t")
		id, q := strings.TrimSpace(c[0]), strings.TrimSpace(c[1])
		est, lo, hi := num(c[2]), num(c[3]), num(c[4])
		f := fits[id]
		if f == nil {
			t.Fatalf("no fit for %s", id)
		}
		var p Param
		switch q {
		case "loglik":
			p = Param{Estimate: f.LogLik, Lower: math.NaN(), Upper: math.NaN()}
		case "relapse_days_after_stop":
			p = f.Relapse(stop)
		case "percent_day1825_continued", "percent_day1825_stopped":
			at := math.Inf(1)
			if strings.HasSuffix(q, "stopped") {
				at = stop
			}
			p.Estimate, p.Lower, p.Upper = f.PercentInterval(1825, at)
		default:
			for _, x := range f.Params {
				if x.Name == q {
					p = x
				}
			}
			if p.Name == "" {
				t.Fatalf("unknown quantity %q", q)
			}
		}
		if !near(p.Estimate, est, false) || (q != "loglik" && (!near(p.Lower, lo, true) || !near(p.Upper, hi, true))) {
			t.Errorf("%s %s: lsc %.8g [%.8g, %.8g], R %.8g [%.8g, %.8g]", id, q, p.Estimate, p.Lower, p.Upper, est, lo, hi)
		}
		checked++
	}
	if checked < 12 {
		t.Errorf("only %d rows checked", checked)
	}
}
