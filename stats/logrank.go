package stats

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// LogRank is the k-sample log-rank test as R's survdiff (rho = 0).
type LogRank struct {
	Groups   []string
	N        []int
	Observed []float64
	Expected []float64
	Var      [][]float64
	Chisq    float64
	DF       int
	P        float64
}

// ErrGroups reports a test that needs at least two groups.
var ErrGroups = errors.New("stats: the log-rank test needs at least two groups")

// ErrSingular reports a variance or information matrix that cannot be
// inverted (collinear groups or covariates).
var ErrSingular = errors.New("stats: singular matrix")

// LogRankTest compares survival between groups (labels sorted, as R orders
// factor levels). strata, when not nil, gives a stratum per subject: the
// test sums observed, expected and variance over strata (survdiff with
// strata()).
func LogRankTest(time []float64, event []bool, group []string, strata []string) (*LogRank, error) {
	n := len(time)
	if n == 0 || len(event) != n || len(group) != n || (strata != nil && len(strata) != n) {
		return nil, ErrNoSubjects
	}
	lr := &LogRank{Groups: levels(group)}
	k := len(lr.Groups)
	if k < 2 {
		return nil, ErrGroups
	}
	gi := map[string]int{}
	for i, g := range lr.Groups {
		gi[g] = i
	}
	lr.N = make([]int, k)
	lr.Observed, lr.Expected = make([]float64, k), make([]float64, k)
	lr.Var = make([][]float64, k)
	for i := range lr.Var {
		lr.Var[i] = make([]float64, k)
	}
	for _, g := range group {
		lr.N[gi[g]]++
	}
	var stratumOf func(i int) string
	if strata == nil {
		stratumOf = func(int) string { return "" }
	} else {
		stratumOf = func(i int) string { return strata[i] }
	}
	byStratum := map[string][]int{}
	for i := 0; i < n; i++ {
		byStratum[stratumOf(i)] = append(byStratum[stratumOf(i)], i)
	}
	names := make([]string, 0, len(byStratum))
	for s := range byStratum {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, s := range names {
		idx := byStratum[s]
		sort.SliceStable(idx, func(a, b int) bool { return time[idx[a]] > time[idx[b]] }) // descending
		risk := make([]float64, k)                                                        // at risk per group, built from the end
		// Walk from the largest time down, adding subjects; at each event
		// time the risk set is everyone with time >= t.
		var times []float64
		type step struct {
			d     []float64
			risk  []float64
			total float64
		}
		var steps []step
		for i := 0; i < len(idx); {
			t := time[idx[i]]
			d := make([]float64, k)
			for i < len(idx) && time[idx[i]] == t {
				j := idx[i]
				risk[gi[group[j]]]++
				if event[j] {
					d[gi[group[j]]]++
				}
				i++
			}
			times = append(times, t)
			steps = append(steps, step{d: d, risk: append([]float64(nil), risk...)})
		}
		for _, st := range steps {
			var dt, nt float64
			for g := 0; g < k; g++ {
				dt += st.d[g]
				nt += st.risk[g]
			}
			if dt == 0 {
				continue
			}
			for g := 0; g < k; g++ {
				lr.Observed[g] += st.d[g]
				lr.Expected[g] += dt * st.risk[g] / nt
			}
			if nt > 1 {
				f := dt * (nt - dt) / (nt * nt * (nt - 1))
				for g := 0; g < k; g++ {
					for h := 0; h < k; h++ {
						v := -st.risk[g] * st.risk[h]
						if g == h {
							v += st.risk[g] * nt
						}
						lr.Var[g][h] += f * v
					}
				}
			}
		}
	}
	// chisq = (O-E)' V^- (O-E) on the groups with positive expected count,
	// leaving one out, as survdiff.
	var keep []int
	for g := 0; g < k; g++ {
		if lr.Expected[g] > 0 {
			keep = append(keep, g)
		}
	}
	lr.DF = len(keep) - 1
	if lr.DF < 1 {
		lr.Chisq, lr.P = 0, math.NaN()
		lr.DF = 0
		return lr, nil
	}
	m := len(keep) - 1
	v := mat.NewDense(m, m, nil)
	diff := mat.NewVecDense(m, nil)
	for a := 0; a < m; a++ {
		diff.SetVec(a, lr.Observed[keep[a]]-lr.Expected[keep[a]])
		for b := 0; b < m; b++ {
			v.Set(a, b, lr.Var[keep[a]][keep[b]])
		}
	}
	var sol mat.VecDense
	if err := sol.SolveVec(v, diff); err != nil {
		return nil, fmt.Errorf("%w: the log-rank variance matrix: %v", ErrSingular, err)
	}
	lr.Chisq = mat.Dot(diff, &sol)
	lr.P = distuv.ChiSquared{K: float64(lr.DF)}.Survival(lr.Chisq)
	return lr, nil
}

func levels(g []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range g {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	SortLevels(out)
	return out
}

// SortLevels orders factor levels as R's factor() does for these values:
// numerically when every level is a number, else as strings (byte order;
// R's locale collation may differ for mixed case). Levels that are the same
// number written differently ("1", "1.0") keep byte order among
// themselves, so the order never depends on the input's.
func SortLevels(l []string) {
	type level struct {
		v float64
		s string
	}
	nums := make([]level, len(l))
	for i, s := range l {
		v, err := parseFloat(s)
		if err != nil {
			sort.Strings(l)
			return
		}
		nums[i] = level{v, s}
	}
	sort.Slice(nums, func(a, b int) bool {
		if nums[a].v != nums[b].v {
			return nums[a].v < nums[b].v
		}
		return nums[a].s < nums[b].s
	})
	for i := range nums {
		l[i] = nums[i].s
	}
}
