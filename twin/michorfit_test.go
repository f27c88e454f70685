package twin

import (
	"math"
	"testing"
)

// The closed-form solution of the leukemic chain (leukemicAt) equals the
// numerical integration of the same equations (SimulateMichor: classical
// RK4, 0.05-day steps) to 1e-7 relative, under continued therapy and with
// therapy stopped on day 400, for the quoted constants and for other
// reductions.
func TestMichorClosedFormMatchesRK4(t *testing.T) {
	c := DefaultMichorParams()
	for _, r := range [][2]float64{{100, 750}, {30, 20}, {1e4, 5}} {
		c.AYReduction, c.BYReduction = r[0], r[1]
		for _, stop := range []float64{math.Inf(1), 400} {
			sim := SimulateMichor(c, 1e5, stop, 900)
			for _, d := range []int{0, 1, 7, 60, 399, 400, 401, 450, 900} {
				y := c.leukemicAt(float64(d), r[0], r[1], stop)
				for k := 0; k < 4; k++ {
					if got, want := 1e5*y[k], sim[d].Leukemic[k]; math.Abs(got-want) > 1e-7*math.Abs(want) {
						t.Errorf("reductions %v stop %v day %d y%d: closed form %.10g, RK4 %.10g", r, stop, d, k, got, want)
					}
				}
				if got, want := c.ratioPercent(1e5*y[3]), sim[d].Ratio; math.Abs(got-want) > 1e-7*want {
					t.Errorf("ratio day %d: %g vs %g", d, got, want)
				}
			}
		}
	}
}

func TestMichorNotEstimable(t *testing.T) {
	obs := []Obs{{Day: 0, Y: 1}, {Day: 30, Y: 0.5}, {Day: 60, Y: 0}, {Day: 90, Y: math.NaN(), Censored: true, Limit: -2}}
	if _, err := FitMichor(obs, DefaultMichorParams()); err != ErrNotEstimable {
		t.Errorf("3 detectable samples: got %v, want ErrNotEstimable", err)
	}
}

// Equal decay rates have no closed form here: a clear error.
func TestMichorParamsEqualRates(t *testing.T) {
	c := DefaultMichorParams()
	c.D2 = c.D1
	if err := c.check(); err == nil {
		t.Error("d1 = d2 accepted")
	}
}
