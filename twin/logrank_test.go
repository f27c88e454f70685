package twin

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/clinical"
)

// The median split and log-rank test equal R survival's survdiff on the
// published NCCTG lung data (clinical/testdata/lung.csv; survival package
// dataset) split at the median of age, ph.karno (ties at the median) and
// meal.cal (missing values dropped): testdata/expected_logrank.tsv, written
// by R (version and command in its first line) — to 1e-9 relative.
func TestMedianSplitLogRankMatchesR(t *testing.T) {
	tab, err := clinical.Read("../clinical/testdata/lung.csv")
	if err != nil {
		t.Fatal(err)
	}
	tm, ev, ok, err := tab.Outcome("time", "status")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/expected_logrank.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var header []string
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		for i := range c {
			c[i] = strings.TrimSpace(c[i])
		}
		if header == nil {
			header = c
			continue
		}
		want := map[string]float64{}
		for i, h := range header[1:] {
			v, err := strconv.ParseFloat(c[i+1], 64)
			if err != nil {
				t.Fatalf("%s: %v", h, err)
			}
			want[h] = v
		}
		vals, vok, err := tab.Labels(c[0])
		if err != nil {
			t.Fatal(err)
		}
		var x, tt []float64
		var ee []bool
		for i := range vals {
			if !vok[i] || !ok[i] {
				continue
			}
			v, err := strconv.ParseFloat(vals[i], 64)
			if err != nil {
				t.Fatal(err)
			}
			x, tt, ee = append(x, v), append(tt, tm[i]), append(ee, ev[i])
		}
		s, err := MedianSplitLogRank(c[0], x, tt, ee)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{"median": s.Median, "n_high": float64(s.NHigh), "n_low": float64(s.NLow), "obs_high": s.EventsHigh, "obs_low": s.EventsLow,
			"exp_high": s.ExpectedHigh, "exp_low": s.ExpectedLow, "chisq": s.Chisq, "p": s.P}
		for k, w := range want {
			if g := got[k]; math.Abs(g-w) > 1e-9*math.Abs(w) {
				t.Errorf("%s %s: lsc %.12g, R %.12g", c[0], k, g, w)
			}
		}
		n++
	}
	if n != 3 {
		t.Errorf("%d rows checked, want 3", n)
	}
}
