package twin

import (
	"math"
	"sort"
)

// NCA is the non-compartmental analysis of one CAR-T course, computed as
// pharmacometric tools do (PKNCA 0.11 defaults; Gabrielsson & Weiner,
// Pharmacokinetic and Pharmacodynamic Data Analysis, 5th ed.):
//
//   - Below-limit samples (BLQ): before the first measurable sample they
//     count as 0; between measurable samples they are dropped; after the
//     last measurable sample they count as 0 (PKNCA's conc.blq default,
//     first = keep, middle = drop, last = keep).
//   - Day 0: when the course has no sample on day 0 or earlier, C(0) = 0 is
//     assumed (no CAR-T cells before infusion).
//   - AUC: linear-up log-down trapezoids (log when the level falls between
//     two positive values, linear otherwise); AUC0-T interpolates on the same
//     rule at T, and is not estimable (NaN) when the last sample is before T.
//   - Terminal half-life: log-linear least squares on the last n >= 3
//     measurable samples after Tmax; n maximises the adjusted R^2, the
//     largest n within 1e-4 of the best wins; requires a falling slope.
type NCA struct {
	Cmax, Tmax     float64
	Clast, Tlast   float64
	AUC28, AUC90   float64 // NaN when the course ends before day 28 / 90
	HalfLife       float64 // days; NaN when not estimable
	LambdaZ        float64 // per day
	AdjR2          float64
	HalfLifePoints int
	Note           string
}

type cp struct{ t, c float64 }

// ncaPoints applies the BLQ rule and the day-0 rule.
func ncaPoints(s []CARTSample) []cp {
	first, last := -1, -1
	for i, x := range s {
		if !x.BLQ {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	var pts []cp
	for i, x := range s {
		switch {
		case !x.BLQ:
			pts = append(pts, cp{x.Day, x.Value})
		case first < 0 || i < first || i > last:
			pts = append(pts, cp{x.Day, 0})
		}
	}
	if len(pts) == 0 || pts[0].t > 0 {
		pts = append([]cp{{0, 0}}, pts...)
	}
	return pts
}

// ComputeNCA computes the NCA of one course.
func ComputeNCA(s []CARTSample) NCA {
	n := NCA{Cmax: math.NaN(), Tmax: math.NaN(), Clast: math.NaN(), Tlast: math.NaN(), AUC28: math.NaN(), AUC90: math.NaN(),
		HalfLife: math.NaN(), LambdaZ: math.NaN(), AdjR2: math.NaN()}
	pts := ncaPoints(s)
	for _, p := range pts {
		if p.c > 0 && (math.IsNaN(n.Cmax) || p.c > n.Cmax) {
			n.Cmax, n.Tmax = p.c, p.t
		}
		if p.c > 0 {
			n.Clast, n.Tlast = p.c, p.t
		}
	}
	if math.IsNaN(n.Cmax) {
		n.Note = "no measurable sample"
		return n
	}
	n.AUC28 = aucTo(pts, 28)
	n.AUC90 = aucTo(pts, 90)
	n.halfLife(pts)
	return n
}

// segment is the linear-up log-down area between two points.
func segment(a, b cp) float64 {
	dt := b.t - a.t
	if b.c < a.c && b.c > 0 {
		return (a.c - b.c) / math.Log(a.c/b.c) * dt
	}
	return (a.c + b.c) / 2 * dt
}

// interp is the level at t between a and b on the same rule.
func interp(a, b cp, t float64) float64 {
	f := (t - a.t) / (b.t - a.t)
	if b.c < a.c && b.c > 0 {
		return a.c * math.Pow(b.c/a.c, f)
	}
	return a.c + f*(b.c-a.c)
}

func aucTo(pts []cp, T float64) float64 {
	if pts[len(pts)-1].t < T {
		return math.NaN()
	}
	var auc float64
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		if a.t >= T {
			break
		}
		if b.t > T {
			b = cp{T, interp(a, b, T)}
		}
		if a.t < 0 { // pre-infusion samples do not count towards AUC from day 0
			if b.t <= 0 {
				continue
			}
			a = cp{0, interp(a, pts[i], 0)}
		}
		auc += segment(a, b)
	}
	return auc
}

func (n *NCA) halfLife(pts []cp) {
	var x, y []float64
	for _, p := range pts {
		if p.t > n.Tmax && p.c > 0 && p.t <= n.Tlast {
			x = append(x, p.t)
			y = append(y, math.Log(p.c))
		}
	}
	type cand struct {
		k           int
		adj, lambda float64
	}
	var cs []cand
	for k := 3; k <= len(x); k++ {
		xs, ys := x[len(x)-k:], y[len(y)-k:]
		slope, r2 := lsq(xs, ys)
		adj := 1 - (1-r2)*float64(k-1)/float64(k-2)
		if slope < 0 {
			cs = append(cs, cand{k, adj, -slope})
		}
	}
	if len(cs) == 0 {
		n.Note = "terminal half-life not estimable: fewer than 3 falling measurable samples after Tmax"
		return
	}
	best := math.Inf(-1)
	for _, c := range cs {
		best = math.Max(best, c.adj)
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].k > cs[j].k })
	for _, c := range cs {
		if c.adj >= best-1e-4 {
			n.LambdaZ, n.AdjR2, n.HalfLifePoints = c.lambda, c.adj, c.k
			n.HalfLife = math.Ln2 / c.lambda
			return
		}
	}
}

// lsq returns the least-squares slope and R^2 of y on x.
func lsq(x, y []float64) (slope, r2 float64) {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxx, sxy, syy float64
	for i := range x {
		sxx += (x[i] - mx) * (x[i] - mx)
		sxy += (x[i] - mx) * (y[i] - my)
		syy += (y[i] - my) * (y[i] - my)
	}
	slope = sxy / sxx
	if syy == 0 {
		return slope, 1
	}
	return slope, sxy * sxy / (sxx * syy)
}
