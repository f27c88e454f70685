package stats

import (
	"errors"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// Maximally selected log-rank statistic for an optimal cut point, as R's
// maxstat 0.7-25 (Hothorn & Lausen 2003): maxstat.test(Surv(t, e) ~ x,
// smethod = "LogRank"). Log-rank scores are those of exactRankTests'
// cscores (ties take the largest rank); for each candidate cut (a distinct
// marker value leaving between minprop and maxprop of the subjects at or
// below it) the sum of the scores below is standardised with its
// permutation mean and variance, and the cut with the largest absolute
// statistic wins. Adjusted p values: Lausen & Schumacher (1992) ("Lau92")
// and Lausen, Sauerbrei & Schumacher (1994) ("Lau94").

// ErrNoCutpoint reports a marker with no cut leaving the required
// proportions of subjects on both sides.
var ErrNoCutpoint = errors.New("stats: no cut point leaves the required proportions on both sides")

// MaxStat is the result of a cut-point search.
type MaxStat struct {
	Statistic float64
	Cutpoint  float64 // subjects with marker <= Cutpoint form the low group
	PLau92    float64
	PLau94    float64
	Cuts      []float64
	Stats     []float64
}

// MaxStatLogRank searches the cut point of marker that best separates
// survival.
func MaxStatLogRank(time []float64, event []bool, marker []float64, minprop, maxprop float64) (*MaxStat, error) {
	n := len(time)
	if n < 2 || len(event) != n || len(marker) != n {
		return nil, ErrNoSubjects
	}
	// Log-rank scores.
	ot := make([]int, n)
	for i := range ot {
		ot[i] = i
	}
	sort.SliceStable(ot, func(a, b int) bool { return time[ot[a]] < time[ot[b]] })
	rt := make([]int, n) // 1-based rank, ties -> largest
	for i := 0; i < n; {
		j := i
		for j+1 < n && time[ot[j+1]] == time[ot[i]] {
			j++
		}
		for k := i; k <= j; k++ {
			rt[ot[k]] = j + 1
		}
		i = j + 1
	}
	fact := make([]float64, n)
	for i := 0; i < n; i++ {
		if event[i] {
			fact[i] = 1 / float64(n-rt[i]+1)
		}
	}
	cum := make([]float64, n) // cumsum of fact in time order
	var s float64
	for k, i := range ot {
		s += fact[i]
		cum[k] = s
	}
	scores := make([]float64, n)
	for i := 0; i < n; i++ {
		e := 0.0
		if event[i] {
			e = 1
		}
		scores[i] = e - cum[rt[i]-1]
	}
	// Order by marker.
	ox := make([]int, n)
	for i := range ox {
		ox[i] = i
	}
	sort.SliceStable(ox, func(a, b int) bool { return marker[ox[a]] < marker[ox[b]] })
	y := make([]float64, n)
	x := make([]float64, n)
	for k, i := range ox {
		y[k], x[k] = scores[i], marker[i]
	}
	var ms []int
	lo, hi := int(math.Floor(float64(n)*minprop)), int(math.Floor(float64(n)*maxprop))
	for k := 0; k < n; k++ {
		if k > 0 && x[k] == x[k-1] {
			continue
		}
		m := k // observations strictly below x[k]
		if m >= max(1, lo) && m <= hi {
			ms = append(ms, m)
		}
	}
	if len(ms) == 0 {
		return nil, ErrNoCutpoint
	}
	var ss, ss2 float64
	for _, v := range y {
		ss += v
		ss2 += v * v
	}
	cy := make([]float64, n)
	s = 0
	for k, v := range y {
		s += v
		cy[k] = s
	}
	N := float64(n)
	res := &MaxStat{Statistic: -1}
	for _, m := range ms {
		fm := float64(m)
		e := fm / N * ss
		v := fm * (N - fm) / (N * N * (N - 1)) * (N*ss2 - ss*ss)
		t := math.Abs((cy[m-1] - e) / math.Sqrt(v))
		res.Cuts = append(res.Cuts, x[m-1])
		res.Stats = append(res.Stats, t)
		if t > res.Statistic {
			res.Statistic, res.Cutpoint = t, x[m-1]
		}
	}
	res.PLau92 = pLausen92(res.Statistic, minprop, maxprop)
	res.PLau94 = pLausen94(res.Statistic, n, ms)
	return res, nil
}

func pLausen92(b, minprop, maxprop float64) float64 {
	if b < 1 {
		return 1
	}
	db := distuv.UnitNormal.Prob(b)
	p := 4*db/b + db*(b-1/b)*math.Log(maxprop*(1-minprop)/((1-maxprop)*minprop))
	return math.Max(p, 0)
}

func pLausen94(b float64, n int, m []int) float64 {
	var d float64
	N := float64(n)
	for i := 0; i+1 < len(m); i++ {
		m1, m2 := float64(m[i]), float64(m[i+1])
		t := math.Sqrt(1 - m1*(N-m2)/((N-m1)*m2))
		d += 1 / math.Pi * math.Exp(-b*b/2) * (t - (b*b/4-1)*t*t*t/6)
	}
	return 1 - (distuv.UnitNormal.CDF(b) - distuv.UnitNormal.CDF(-b)) + d
}
