package stemcell

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/lsc-bio/lsc/stats"
)

// Burden is one sample's stem-like fraction.
type Burden struct {
	Sample    string
	Patient   string
	Timepoint string
	N         int // cells scored (after restriction)
	NStem     int
	Fraction  float64
	CI        stats.Interval // Wilson 95 %
	Risk      string
	Types     []TypeCount // cell types of a sample without counted cells (N == 0)
}

// Bands are the upper limits of the risk groups, as fractions (default 0.05, 0.15).
type Bands []float64

// Label returns the risk group of a fraction: "<5%", "5-15%", ">15%" for the
// default bands (a fraction exactly on a limit belongs to the group below).
func (b Bands) Label(f float64) string {
	if math.IsNaN(f) || len(b) == 0 {
		return ""
	}
	pct := func(x float64) string { return fmt.Sprintf("%g%%", x*100) }
	for i, lim := range b {
		if f <= lim*(1+1e-12) {
			if i == 0 {
				return "<=" + pct(lim)
			}
			return pct(b[i-1]) + "-" + pct(lim)
		}
	}
	return ">" + pct(b[len(b)-1])
}

// NewBurden counts stem-like cells (score >= t) in scores.
func NewBurden(sample, patient, timepoint string, scores []float64, t float64, bands Bands) Burden {
	b := Burden{Sample: sample, Patient: patient, Timepoint: timepoint}
	for _, s := range scores {
		if math.IsNaN(s) {
			continue
		}
		b.N++
		if s >= t {
			b.NStem++
		}
	}
	b.Fraction = math.NaN()
	b.CI = stats.Interval{Lower: math.NaN(), Upper: math.NaN()}
	if b.N > 0 {
		b.Fraction = float64(b.NStem) / float64(b.N)
		b.CI, _ = stats.Wilson(b.NStem, b.N, 0.95)
		b.Risk = bands.Label(b.Fraction)
	}
	return b
}

// Change is a patient's change from diagnosis to relapse.
type Change struct {
	Patient    string
	From, To   Burden
	FoldChange float64        // To.Fraction / From.Fraction (Inf when From is 0)
	FoldCI     stats.Interval // bootstrap percentile 95 %
	Bootstrap  int
	PropTest   stats.Test // prop.test(c(to, from), c(nTo, nFrom)), continuity-corrected
	Expanded   bool       // significant (p < 0.05) and larger at relapse
}

// Compare measures the change between two burdens, with a bootstrap
// interval for the fold change: cells are resampled with replacement within
// each sample (equivalently, the stem-like count is drawn Binomial(n, p)),
// b times, from a PCG generator seeded with seed.
func Compare(patient string, from, to Burden, b int, seed uint64) Change {
	c := Change{Patient: patient, From: from, To: to, Bootstrap: b}
	c.FoldChange = to.Fraction / from.Fraction
	c.FoldCI = stats.Interval{Lower: math.NaN(), Upper: math.NaN()}
	c.PropTest = TwoProportion(to.NStem, to.N, from.NStem, from.N)
	c.Expanded = c.PropTest.P < 0.05 && to.Fraction > from.Fraction
	if b <= 0 || from.N == 0 || to.N == 0 {
		return c
	}
	rng := rand.New(rand.NewPCG(seed, 0x6c73632d626f6f74)) // "lsc-boot"
	fc := make([]float64, b)
	for i := range fc {
		x := binom(rng, from.N, from.Fraction)
		y := binom(rng, to.N, to.Fraction)
		fc[i] = (float64(y) / float64(to.N)) / (float64(x) / float64(from.N))
	}
	sort.Float64s(fc)
	c.FoldCI = stats.Interval{Lower: quantileInf(fc, 0.025), Upper: quantileInf(fc, 0.975)}
	return c
}

// binom draws Binomial(n, p) by n Bernoulli trials: exact and deterministic
// for a given generator state (n is a sample's cell count).
func binom(r *rand.Rand, n int, p float64) int {
	k := 0
	for i := 0; i < n; i++ {
		if r.Float64() < p {
			k++
		}
	}
	return k
}

// quantileInf is Quantile7 on sorted values that may hold +Inf and NaN
// (0/0 fold changes): NaN sorts first in Go; they are dropped.
func quantileInf(s []float64, q float64) float64 {
	var v []float64
	for _, x := range s {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return math.NaN()
	}
	n := len(v)
	h := float64(n-1) * q
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= n || v[i] == v[i+1] {
		return v[min(i, n-1)]
	}
	if math.IsInf(v[i+1], 1) {
		return math.Inf(1)
	}
	return v[i] + (h-lo)*(v[i+1]-v[i])
}

// TwoProportion is R's prop.test(c(x1, x2), c(n1, n2)) with its default
// continuity correction: a 1-df chi-square test.
func TwoProportion(x1, n1, x2, n2 int) stats.Test {
	if n1 == 0 || n2 == 0 {
		return stats.Test{Stat: math.NaN(), DF: 1, P: math.NaN()}
	}
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	p := float64(x1+x2) / float64(n1+n2)
	if p == 0 || p == 1 {
		return stats.Test{Stat: math.NaN(), DF: 1, P: math.NaN()}
	}
	// R: YATES = min(0.5, |p1 - p2| / (1/n1 + 1/n2)), then
	// sum((|O - E| - YATES)^2 / E) over the 2x2 table with the pooled p.
	obs := [4]float64{float64(x1), float64(n1 - x1), float64(x2), float64(n2 - x2)}
	exp := [4]float64{float64(n1) * p, float64(n1) * (1 - p), float64(n2) * p, float64(n2) * (1 - p)}
	yates := math.Min(0.5, math.Abs(p1-p2)/(1/float64(n1)+1/float64(n2)))
	var chi float64
	for i := range obs {
		d := math.Abs(obs[i]-exp[i]) - yates
		chi += d * d / exp[i]
	}
	return stats.Test{Stat: chi, DF: 1, P: distuv.ChiSquared{K: 1}.Survival(chi)}
}
