package twin

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// michorDays are the sampling days of the recovery simulations (as in
// testdata/michor_measurements.csv: monthly then quarterly for 4 years).
var michorDays = []float64{0, 30, 60, 90, 180, 270, 365, 456, 547, 638, 729, 820, 911, 1002, 1093, 1184, 1275, 1366, 1457}

// simulateMichorObs draws one course from the model with known
// parameters: log10 % + N(0, sd), censored below limit (log10 %).
func simulateMichorObs(rng *rand.Rand, c MichorParams, y0, ra, rb, sd, limit float64) []Obs {
	var obs []Obs
	for _, d := range michorDays {
		mu := math.Log10(c.ratioPercent(y0 * c.leukemicAt(d, ra, rb, math.Inf(1))[3]))
		y := mu + sd*rng.NormFloat64()
		if y < limit {
			obs = append(obs, Obs{Day: d, Y: math.NaN(), Censored: true, Limit: limit})
		} else {
			obs = append(obs, Obs{Day: d, Y: y})
		}
	}
	return obs
}

// Parameter recovery for the Michor fit: courses simulated (seeded) from
// y0 = 2.5e5, ay_reduction 30, by_reduction 750, SD 0.25 log10, 19 samples
// over 4 years, detection limit 0.003 % (the trough of the course is often
// undetectable); the profile-likelihood 95%
// intervals of y0, by_reduction and ay_reduction must cover the truth in
// about 95% of courses. 30 courses by default (about 10 CPU seconds;
// 80-100% accepted, which still fails a badly wrong interval); LSC_SLOW=1
// runs 300 (binomial SD 1.3%: 89-99% accepted).
func TestMichorCoverage(t *testing.T) {
	nsim, lo, hi := 30, 0.80, 1.0
	if os.Getenv("LSC_SLOW") != "" {
		nsim, lo, hi = 300, 0.89, 0.99
	}
	rng := rand.New(rand.NewPCG(2005, 16))
	c := DefaultMichorParams()
	truth := []float64{2.5e5, 30, 750, 0.25}
	cover := make([]int, 4)
	censored := 0
	for s := 0; s < nsim; s++ {
		obs := simulateMichorObs(rng, c, truth[0], truth[1], truth[2], truth[3], math.Log10(0.003))
		for _, o := range obs {
			if o.Censored {
				censored++
			}
		}
		f, err := FitMichor(obs, c)
		if err != nil {
			t.Fatal(err)
		}
		for k, p := range f.Params {
			if p.Lower <= truth[k] && truth[k] <= p.Upper {
				cover[k]++
			}
		}
	}
	t.Logf("coverage over %d courses: y0 %d, ay_reduction %d, by_reduction %d, sd %d; %d of %d samples censored", nsim, cover[0], cover[1], cover[2], cover[3], censored, nsim*len(michorDays))
	for k, c := range cover {
		if r := float64(c) / float64(nsim); r < lo || r > hi {
			t.Errorf("%s coverage %.3f outside %.2f-%.2f", michorFitNames[k], r, lo, hi)
		}
	}
	if censored == 0 {
		t.Error("no censored samples: the test must exercise censoring")
	}
}
