package stats

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Cox proportional hazards as R's survival::coxph (survival 3.5, C routine
// coxfit6): Newton-Raphson from beta = 0 on centred and scaled covariates
// (columns whose values are all in {-1, 0, 1} are left alone, coxph's
// nocenter), step halving when the log likelihood falls, convergence when
// |1 - loglik_old/loglik_new| <= 1e-9, at most 20 iterations; Efron or
// Breslow handling of tied event times. Tests: Wald beta' I beta, likelihood
// ratio 2(l1 - l0), score test at beta = 0. Concordance as coxph reports it
// (Harrell's C of the linear predictor, ties in the predictor counting one
// half, pairs tied in time not comparable unless one is censored).

// Ties is the method for tied event times.
type Ties string

const (
	Efron   Ties = "efron"
	Breslow Ties = "breslow"
)

// CoxTerm is one coefficient.
type CoxTerm struct {
	Term          string
	Coef, SE      float64
	HR            float64
	Lower95       float64 // of the hazard ratio
	Upper95       float64
	Z, P          float64
	MayBeInfinite bool // the log likelihood converged while this coefficient kept moving
}

// Test is a chi-square test.
type Test struct {
	Stat float64
	DF   int
	P    float64
}

// Cox is a fitted model.
type Cox struct {
	N, Events     int
	Terms         []CoxTerm
	LogLik        [2]float64 // null model, fitted
	LRT           Test
	Wald          Test
	Score         Test
	Concordance   float64
	ConcordanceSE float64 // not computed: NaN
	Iter          int
	Converged     bool
	Var           [][]float64
}

// ErrCox reports a model that cannot be fitted.
var ErrCox = errors.New("stats: Cox model")

// CoxPH fits a Cox model. x holds one row per subject; names one per column.
func CoxPH(time []float64, event []bool, x [][]float64, names []string, ties Ties) (*Cox, error) {
	if _, err := ParseTies(string(ties)); err != nil {
		return nil, err
	}
	f, err := newCoxFit(time, event, x, names, ties)
	if err != nil {
		return nil, err
	}
	nr, err := f.newton()
	if err != nil {
		return nil, err
	}
	return f.result(nr, time, event, x, names)
}

// newCoxFit sorts the subjects by time and centres and scales the
// covariates as coxfit6 does.
func newCoxFit(time []float64, event []bool, x [][]float64, names []string, ties Ties) (*coxFit, error) {
	n := len(time)
	if n == 0 || len(event) != n || len(x) != n {
		return nil, ErrNoSubjects
	}
	p := len(names)
	if p == 0 {
		return nil, fmt.Errorf("%w: no covariates", ErrCox)
	}
	// Sort by time ascending; the likelihood walks from the end.
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return time[idx[a]] < time[idx[b]] })
	f := &coxFit{n: n, p: p, efron: ties != Breslow}
	f.time = make([]float64, n)
	f.status = make([]bool, n)
	f.x = make([][]float64, p)
	for k := range f.x {
		f.x[k] = make([]float64, n)
	}
	for i, j := range idx {
		f.time[i], f.status[i] = time[j], event[j]
		if event[j] {
			f.events++
		}
		if len(x[j]) != p {
			return nil, fmt.Errorf("%w: subject %d has %d covariates, want %d", ErrCox, j+1, len(x[j]), p)
		}
		for k := 0; k < p; k++ {
			f.x[k][i] = x[j][k]
		}
	}
	if f.events == 0 {
		return nil, fmt.Errorf("%w: no events, nothing to fit", ErrCox)
	}
	f.scale = make([]float64, p)
	for k := 0; k < p; k++ {
		f.scale[k] = centreScale(f.x[k])
	}
	for k := 0; k < p; k++ {
		v0 := f.x[k][0]
		constant := true
		for _, v := range f.x[k] {
			if v != v0 {
				constant = false
				break
			}
		}
		if constant {
			return nil, fmt.Errorf("%w: covariate %s has a single value; remove it", ErrCox, names[k])
		}
	}
	return f, nil
}

// centreScale centres a covariate on its mean and scales it by n / sum|x -
// mean| in place, and returns the scale; columns whose values all lie in
// {-1, 0, 1} are left alone (coxph's nocenter) with scale 1.
func centreScale(x []float64) float64 {
	zeroOne := true
	for _, v := range x {
		if v != -1 && v != 0 && v != 1 {
			zeroOne = false
			break
		}
	}
	if zeroOne {
		return 1
	}
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var abs float64
	for i := range x {
		x[i] -= mean
		abs += math.Abs(x[i])
	}
	scale := 1.0
	if abs > 0 {
		scale = float64(len(x)) / abs
	}
	for i := range x {
		x[i] *= scale
	}
	return scale
}

// newtonResult is the state at the end of the Newton-Raphson iteration, on
// the scaled covariates.
type newtonResult struct {
	beta      []float64
	ll0, ll   float64
	score     float64 // score test statistic at beta = 0
	u         []float64
	imat      [][]float64
	iter      int
	converged bool
}

// newton runs coxfit6's Newton-Raphson iteration from beta = 0: step halving
// when the log likelihood falls (or is not finite), convergence when
// |1 - loglik_old/loglik_new| <= 1e-9, at most 20 iterations.
func (f *coxFit) newton() (*newtonResult, error) {
	const eps, maxIter = 1e-9, 20
	p := f.p
	beta := make([]float64, p)
	ll0, u, imat := f.iter(beta)
	ch, ok := chol(imat)
	if !ok {
		return nil, fmt.Errorf("%w: the information matrix is singular at beta = 0 (collinear covariates?)", ErrCox)
	}
	a := ch.solve(u)
	r := &newtonResult{beta: beta, ll0: ll0, score: dot(u, a)}
	best := ll0
	newbeta := make([]float64, p)
	for k := range beta {
		newbeta[k] = beta[k] + a[k]
	}
	halving := 0.0
	iter := 1
	for ; iter <= maxIter; iter++ {
		newlk, nu, ni := f.iter(newbeta)
		finite := !math.IsNaN(newlk) && !math.IsInf(newlk, 0)
		for k := range nu {
			if math.IsNaN(nu[k]) || math.IsInf(nu[k], 0) {
				finite = false
			}
		}
		if finite && math.Abs(1-best/newlk) <= eps {
			best = newlk
			copy(beta, newbeta)
			r.u, r.imat = nu, ni
			r.converged = true
			break
		}
		if !finite || newlk < best {
			halving++
			for k := range newbeta {
				newbeta[k] = (newbeta[k] + halving*beta[k]) / (halving + 1)
			}
			continue
		}
		halving = 0
		best = newlk
		c, ok := chol(ni)
		if !ok {
			return nil, fmt.Errorf("%w: the information matrix became singular (collinear covariates or separation)", ErrCox)
		}
		step := c.solve(nu)
		for k := range beta {
			beta[k] = newbeta[k]
			newbeta[k] += step[k]
		}
	}
	if !r.converged {
		iter = maxIter
		best, r.u, r.imat = f.iter(beta)
	}
	r.iter, r.ll = iter, best
	return r, nil
}

// result turns the iteration's end state into coefficients on the original
// scale with their variance, and the Wald, likelihood-ratio and score tests
// and the concordance.
func (f *coxFit) result(nr *newtonResult, time []float64, event []bool, x [][]float64, names []string) (*Cox, error) {
	const eps = 1e-9
	p, n := f.p, f.n
	res := &Cox{N: n, Events: f.events, Iter: nr.iter, Converged: nr.converged}
	res.LogLik = [2]float64{nr.ll0, nr.ll}
	cf, ok := chol(nr.imat)
	if !ok {
		return nil, fmt.Errorf("%w: the information matrix is singular at the estimate", ErrCox)
	}
	inv := cf.inverse()
	// Back to the original scale.
	res.Var = make([][]float64, p)
	for i := 0; i < p; i++ {
		res.Var[i] = make([]float64, p)
		for j := 0; j < p; j++ {
			res.Var[i][j] = inv[i][j] * f.scale[i] * f.scale[j]
		}
	}
	coef := make([]float64, p)
	uo := make([]float64, p)
	for k := 0; k < p; k++ {
		coef[k] = nr.beta[k] * f.scale[k]
		uo[k] = nr.u[k] / f.scale[k]
	}
	z := distuv.UnitNormal.Quantile(0.975)
	for k := 0; k < p; k++ {
		se := math.Sqrt(res.Var[k][k])
		t := CoxTerm{Term: names[k], Coef: coef[k], SE: se, HR: math.Exp(coef[k]),
			Lower95: math.Exp(coef[k] - z*se), Upper95: math.Exp(coef[k] + z*se), Z: coef[k] / se}
		t.P = 2 * distuv.UnitNormal.Survival(math.Abs(t.Z))
		// coxph's check: |u %*% var| > eps and > sqrt(eps)*|coef|.
		var infs float64
		for j := 0; j < p; j++ {
			infs += uo[j] * res.Var[j][k]
		}
		infs = math.Abs(infs)
		if nr.converged && infs > eps && infs > math.Sqrt(eps)*math.Abs(coef[k]) {
			t.MayBeInfinite = true
		}
		res.Terms = append(res.Terms, t)
	}
	chi := distuv.ChiSquared{K: float64(p)}
	res.LRT = Test{Stat: 2 * (res.LogLik[1] - res.LogLik[0]), DF: p}
	res.LRT.P = chi.Survival(res.LRT.Stat)
	// Wald: coef' var^-1 coef = (scaled beta)' I (scaled beta).
	var w float64
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			w += nr.beta[i] * nr.imat[i][j] * nr.beta[j]
		}
	}
	res.Wald = Test{Stat: w, DF: p, P: chi.Survival(w)}
	res.Score = Test{Stat: nr.score, DF: p, P: chi.Survival(nr.score)}
	// Concordance of the linear predictor.
	lp := make([]float64, n)
	for i := 0; i < n; i++ {
		for k := 0; k < p; k++ {
			lp[i] += coef[k] * x[i][k]
		}
	}
	res.Concordance = Concordance(time, event, lp)
	res.ConcordanceSE = math.NaN()
	return res, nil
}

// Concordance is Harrell's C for a risk score (higher = shorter survival):
// over pairs where the shorter time is an event (an event tied in time with
// a censoring counts as earlier; two tied events are not comparable),
// (concordant + tied/2) / (concordant + discordant + tied). Subjects are
// visited from the longest time down, those still at risk kept in a
// Fenwick tree over the ranks of their scores: O(n log n).
func Concordance(time []float64, event []bool, risk []float64) float64 {
	n := len(time)
	for _, v := range risk {
		if math.IsNaN(v) {
			return concordancePairs(time, event, risk)
		}
	}
	ranks := sortedCopy(risk)
	rank := func(v float64) int { return sort.SearchFloat64s(ranks, v) + 1 } // 1-based
	tree := make([]float64, n+1)
	add := func(i int) {
		for ; i <= n; i += i & -i {
			tree[i]++
		}
	}
	sum := func(i int) (s float64) { // subjects with rank <= i
		for ; i > 0; i -= i & -i {
			s += tree[i]
		}
		return s
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return time[idx[a]] > time[idx[b]] })
	var conc, disc, tied, inTree float64
	for k := 0; k < n; {
		end := k
		for end < n && time[idx[end]] == time[idx[k]] {
			end++
		}
		// Censored subjects at this time count as later than its events.
		for _, i := range idx[k:end] {
			if !event[i] {
				add(rank(risk[i]))
				inTree++
			}
		}
		for _, i := range idx[k:end] {
			if !event[i] {
				continue
			}
			r := rank(risk[i])
			below, upTo := sum(r-1), sum(r) // ranks of equal scores coincide
			conc += below
			tied += upTo - below
			disc += inTree - upTo
		}
		for _, i := range idx[k:end] {
			if event[i] {
				add(rank(risk[i]))
				inTree++
			}
		}
		k = end
	}
	return (conc + tied/2) / (conc + disc + tied)
}

// concordancePairs is Concordance by visiting every pair, O(n^2): the
// definition, used when a score is NaN (every comparison with it a tie)
// and by the tests as the reference.
func concordancePairs(time []float64, event []bool, risk []float64) float64 {
	var conc, disc, tied float64
	n := len(time)
	for i := 0; i < n; i++ {
		if !event[i] {
			continue
		}
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			if time[j] < time[i] || (time[j] == time[i] && event[j]) {
				continue
			}
			switch {
			case risk[i] > risk[j]:
				conc++
			case risk[i] < risk[j]:
				disc++
			default:
				tied++
			}
		}
	}
	return (conc + tied/2) / (conc + disc + tied)
}

type coxFit struct {
	n, p   int
	events int
	efron  bool
	scale  []float64 // per covariate: the factor coxfit6 scaled it by
	time   []float64
	status []bool
	x      [][]float64 // [covariate][subject], sorted by time
}

// iter returns the log partial likelihood, score and information at beta.
func (f *coxFit) iter(beta []float64) (float64, []float64, [][]float64) {
	p := f.p
	u := make([]float64, p)
	imat := make([][]float64, p)
	cmat, cmat2 := make([][]float64, p), make([][]float64, p)
	for i := range imat {
		imat[i], cmat[i], cmat2[i] = make([]float64, p), make([]float64, p), make([]float64, p)
	}
	a, a2 := make([]float64, p), make([]float64, p)
	var loglik, denom float64
	for person := f.n - 1; person >= 0; {
		dtime := f.time[person]
		ndead := 0
		var denom2 float64
		for person >= 0 && f.time[person] == dtime {
			var zb float64
			for i := 0; i < p; i++ {
				zb += beta[i] * f.x[i][person]
			}
			risk := math.Exp(zb)
			if !f.status[person] {
				denom += risk
				for i := 0; i < p; i++ {
					a[i] += risk * f.x[i][person]
					for j := 0; j <= i; j++ {
						cmat[i][j] += risk * f.x[i][person] * f.x[j][person]
					}
				}
			} else {
				ndead++
				denom2 += risk
				loglik += zb
				for i := 0; i < p; i++ {
					u[i] += f.x[i][person]
					a2[i] += risk * f.x[i][person]
					for j := 0; j <= i; j++ {
						cmat2[i][j] += risk * f.x[i][person] * f.x[j][person]
					}
				}
			}
			person--
		}
		if ndead == 0 {
			continue
		}
		if !f.efron || ndead == 1 {
			denom += denom2
			loglik -= float64(ndead) * math.Log(denom)
			for i := 0; i < p; i++ {
				a[i] += a2[i]
				m := a[i] / denom
				u[i] -= float64(ndead) * m
				for j := 0; j <= i; j++ {
					cmat[i][j] += cmat2[i][j]
					imat[j][i] += float64(ndead) * (cmat[i][j] - m*a[j]) / denom
				}
			}
		} else {
			d := float64(ndead)
			for k := 0; k < ndead; k++ {
				denom += denom2 / d
				loglik -= math.Log(denom)
				for i := 0; i < p; i++ {
					a[i] += a2[i] / d
					m := a[i] / denom
					u[i] -= m
					for j := 0; j <= i; j++ {
						cmat[i][j] += cmat2[i][j] / d
						imat[j][i] += (cmat[i][j] - m*a[j]) / denom
					}
				}
			}
		}
		for i := 0; i < p; i++ {
			a2[i] = 0
			for j := 0; j < p; j++ {
				cmat2[i][j] = 0
			}
		}
	}
	// imat was filled in its upper triangle; make it symmetric.
	for i := 0; i < p; i++ {
		for j := i + 1; j < p; j++ {
			imat[j][i] = imat[i][j]
		}
	}
	return loglik, u, imat
}

type cholesky struct {
	c mat.Cholesky
	p int
}

func chol(m [][]float64) (*cholesky, bool) {
	p := len(m)
	s := mat.NewSymDense(p, nil)
	for i := 0; i < p; i++ {
		for j := i; j < p; j++ {
			s.SetSym(i, j, m[i][j])
		}
	}
	c := &cholesky{p: p}
	if ok := c.c.Factorize(s); !ok {
		return nil, false
	}
	if c.c.Cond() > 1/(2.220446049250313e-16*1e3) {
		return nil, false
	}
	return c, true
}

func (c *cholesky) solve(b []float64) []float64 {
	var x mat.VecDense
	if err := c.c.SolveVecTo(&x, mat.NewVecDense(c.p, append([]float64(nil), b...))); err != nil {
		out := make([]float64, c.p)
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	return x.RawVector().Data
}

func (c *cholesky) inverse() [][]float64 {
	var inv mat.SymDense
	c.c.InverseTo(&inv)
	out := make([][]float64, c.p)
	for i := range out {
		out[i] = make([]float64, c.p)
		for j := range out[i] {
			out[i][j] = inv.At(i, j)
		}
	}
	return out
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// PerUnit returns the term for the covariate measured in units of k (e.g.
// its standard deviation): coefficient and standard error times k, the
// hazard ratio and its interval recomputed, z and p unchanged. It equals
// coxph's fit on x/k.
func (t CoxTerm) PerUnit(k float64) CoxTerm {
	z := distuv.UnitNormal.Quantile(0.975)
	u := t
	u.Coef, u.SE = t.Coef*k, t.SE*k
	u.HR = math.Exp(u.Coef)
	u.Lower95, u.Upper95 = math.Exp(u.Coef-z*u.SE), math.Exp(u.Coef+z*u.SE)
	return u
}
