package twin

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// MichorParams are the rate constants of the four-compartment model of
// Michor et al. (Nature 2005;435:1267): stem (0), progenitor (1),
// differentiated (2) and terminally differentiated (3) cells, normal (x)
// and leukemic (y), all per day. Therapy divides the leukemic
// differentiation rates ay and by by AYReduction and BYReduction; it does
// not act on leukemic stem cells.
//
// The paper's table could not be read here; DefaultMichorParams are the
// values two public implementations quote and agree on:
//   - radivot/myelo (GPL-2, commit ceca6374, 2026-04-02), myelo/R/michor05.R
//     and myelo/demo/michorDemo.R: d0 = 0.003, d1 = 0.008, d2 = 0.05,
//     d3 = 1, ax = 0.8, bx = 5, cx = 100 (used for normal and leukemic
//     terminal production, so cy = cx), ry = 0.008, az = ay = 2 ax = 1.6,
//     bz = by = 2 bx = 10; therapy as ay/(1 + D/D0a) with D = 45 and
//     D0a = 45/99, D0b = 45/749, i.e. reductions 100 and 750 (the comment in
//     CML/michor05/README.md says so); normal stem cells X0 = 2e6 ("needed
//     to get ratio at t=0 about right", michorDemo.R); the measured ratio is
//     (Y3+Z3)/(Y3+Z3+2 X3) (myelo/R/michor05.R and src/michor.c; the
//     README's copy of the model has X3 instead of 2 X3).
//   - paul-bbt/cs-impact-immune-response (commit aa33c1f4, 2023-11-09),
//     model_2/parameters.R: death rates 0.003, 0.008, 0.05, 1 (there scaled
//     by a tuning factor 0.75, which lsc does not use), rn = 0.008,
//     an0 = 1.6 with an1 = an0/100, bn0 = 10 with bn1 = bn0/750, cn0 = 100.
//
// Both agree on every rate; only myelo gives X0 and the ratio. No
// resistant clone (Z) is modelled: u = 0.
type MichorParams struct {
	D0, D1, D2, D3           float64
	AX, BX, CX               float64
	RY, AY, BY, CY           float64
	AYReduction, BYReduction float64
	X0                       float64 // normal stem cells, held at homeostasis; default 2e6 (myelo)
}

var michorNames = []string{"d0", "d1", "d2", "d3", "ax", "bx", "cx", "ry", "ay", "by", "cy", "ay_reduction", "by_reduction", "x0"}

func (p *MichorParams) field(name string) *float64 {
	return map[string]*float64{"d0": &p.D0, "d1": &p.D1, "d2": &p.D2, "d3": &p.D3, "ax": &p.AX, "bx": &p.BX, "cx": &p.CX,
		"ry": &p.RY, "ay": &p.AY, "by": &p.BY, "cy": &p.CY, "ay_reduction": &p.AYReduction, "by_reduction": &p.BYReduction, "x0": &p.X0}[name]
}

// ReadMichorParams reads "name value" lines (tab, space or comma separated;
// # starts a comment). Every name except x0 is required.
func ReadMichorParams(r io.Reader, path string) (MichorParams, error) {
	var p MichorParams
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	for ln := 1; sc.Scan(); ln++ {
		s := sc.Text()
		if i := strings.IndexByte(s, '#'); i >= 0 {
			s = s[:i]
		}
		f := strings.FieldsFunc(s, func(c rune) bool { return c == '\t' || c == ' ' || c == ',' || c == '=' })
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 {
			return p, fmt.Errorf("%s line %d: want \"name value\", got %q", path, ln, sc.Text())
		}
		name := strings.ToLower(f[0])
		ptr := p.field(name)
		if ptr == nil {
			return p, fmt.Errorf("%s line %d: unknown parameter %q (known: %s)", path, ln, f[0], strings.Join(michorNames, ", "))
		}
		if prev, dup := seen[name]; dup {
			return p, fmt.Errorf("%s line %d: %s already given on line %d", path, ln, name, prev)
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return p, fmt.Errorf("%s line %d: %s = %q is not a positive number", path, ln, name, f[1])
		}
		*ptr, seen[name] = v, ln
	}
	if err := sc.Err(); err != nil {
		return p, fmt.Errorf("%s: %w", path, err)
	}
	var missing []string
	for _, n := range michorNames[:13] {
		if _, ok := seen[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return p, fmt.Errorf("%s: missing %s: give every rate constant of the Michor 2005 model (with its source)", path, strings.Join(missing, ", "))
	}
	if p.X0 == 0 {
		p.X0 = 2e6
	}
	if err := p.check(); err != nil {
		return p, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// michorState is the leukemic compartments y0..y3.
type michorState [4]float64

// normalX3 is the terminally differentiated normal cells with the normal
// stem cells at homeostasis X0 (each compartment at its steady state).
func (p MichorParams) normalX3() float64 {
	x1 := p.AX * p.X0 / p.D1
	x2 := p.BX * x1 / p.D2
	return p.CX * x2 / p.D3
}

// quasiSteady returns y1..y3 in equilibrium with y0 under the untreated
// rates: the state at diagnosis for a given leukemic stem-cell number.
func (p MichorParams) quasiSteady(y0 float64) michorState {
	y1 := p.AY * y0 / p.D1
	y2 := p.BY * y1 / p.D2
	return michorState{y0, y1, y2, p.CY * y2 / p.D3}
}

// step advances the leukemic compartments dt days by classical RK4.
func (p MichorParams) step(y michorState, dt float64, therapy bool) michorState {
	ay, by := p.AY, p.BY
	if therapy {
		ay, by = ay/p.AYReduction, by/p.BYReduction
	}
	f := func(y michorState) michorState {
		return michorState{
			(p.RY - p.D0) * y[0],
			ay*y[0] - p.D1*y[1],
			by*y[1] - p.D2*y[2],
			p.CY*y[2] - p.D3*y[3],
		}
	}
	add := func(a, b michorState, h float64) michorState {
		for i := range a {
			a[i] += h * b[i]
		}
		return a
	}
	k1 := f(y)
	k2 := f(add(y, k1, dt/2))
	k3 := f(add(y, k2, dt/2))
	k4 := f(add(y, k3, dt))
	for i := range y {
		y[i] += dt / 6 * (k1[i] + 2*k2[i] + 2*k3[i] + k4[i])
	}
	return y
}

// MichorDay is the simulated state on one day.
type MichorDay struct {
	Day       float64
	Ratio     float64 // 100 y3 / (y3 + 2 x3): the BCR::ABL1 percentage (myelo michor05.R)
	StemCells float64 // leukemic stem cells y0
	Leukemic  [4]float64
}

// SimulateMichor runs the model from the untreated quasi-steady state with
// y0 leukemic stem cells on day 0: therapy from day 0 until stop (never when
// stop is +Inf), reporting every whole day up to days. RK4 with 0.05-day
// steps (the fastest rate, d3 = 1/day, needs much smaller steps than the
// daily output).
func SimulateMichor(p MichorParams, y0, stop, days float64) []MichorDay {
	x3 := p.normalX3()
	y := p.quasiSteady(y0)
	const dt = 0.05
	out := make([]MichorDay, 0, int(days)+1)
	rec := func(d float64) {
		out = append(out, MichorDay{Day: d, Ratio: y[3] / (2*x3 + y[3]) * 100, StemCells: y[0], Leukemic: y})
	}
	rec(0)
	for d := 1; float64(d) <= days; d++ {
		for k := 0; k < 20; k++ {
			t := float64(d-1) + float64(k)*dt
			y = p.step(y, dt, t < stop)
		}
		rec(float64(d))
	}
	return out
}

// DefaultMichorParams are the rate constants quoted by radivot/myelo and
// paul-bbt/cs-impact-immune-response (see MichorParams for which value
// comes from where).
func DefaultMichorParams() MichorParams {
	return MichorParams{D0: 0.003, D1: 0.008, D2: 0.05, D3: 1, AX: 0.8, BX: 5, CX: 100,
		RY: 0.008, AY: 1.6, BY: 10, CY: 100, AYReduction: 100, BYReduction: 750, X0: 2e6}
}

// michorSource cites DefaultMichorParams in outputs.
const michorSource = "rate constants of Michor et al. 2005 as quoted by radivot/myelo michor05.R (commit ceca6374) and paul-bbt/cs-impact-immune-response model_2/parameters.R (commit aa33c1f4)"

// check rejects constants the closed-form solution cannot use: the four
// decay rates d0 - ry, d1, d2, d3 must differ.
func (p MichorParams) check() error {
	l := p.decay()
	for i := range l {
		for j := i + 1; j < len(l); j++ {
			if math.Abs(l[i]-l[j]) < 1e-6 {
				return fmt.Errorf("the decay rates d0-ry, d1, d2, d3 (%g, %g, %g, %g per day) must differ by at least 1e-6 per day", l[0], l[1], l[2], l[3])
			}
		}
	}
	return nil
}

// decay returns the decay rate of each leukemic compartment: d0 - ry
// (negative: leukemic stem cells grow), d1, d2, d3.
func (p MichorParams) decay() [4]float64 { return [4]float64{p.D0 - p.RY, p.D1, p.D2, p.D3} }

// chain solves the leukemic compartments exactly over t days from y with
// production rates prod (ay, by, cy as they act in this period): each
// compartment is a sum of exponentials, y_k(t) = sum_j C[k][j] e^(-l_j t),
// with C[k][j] = prod_k C[k-1][j] / (l_k - l_j) for j < k and C[k][k] set
// by y_k(0). (The textbook solution of a linear chain with distinct rates;
// SimulateMichor integrates the same equations numerically.)
func (p MichorParams) chain(y michorState, t float64, prod [3]float64) michorState {
	l := p.decay()
	var c [4][4]float64
	c[0][0] = y[0]
	for k := 1; k < 4; k++ {
		sum := 0.0
		for j := 0; j < k; j++ {
			c[k][j] = prod[k-1] * c[k-1][j] / (l[k] - l[j])
			sum += c[k][j]
		}
		c[k][k] = y[k] - sum
	}
	var out michorState
	for k := 0; k < 4; k++ {
		for j := 0; j <= k; j++ {
			out[k] += c[k][j] * math.Exp(-l[j]*t)
		}
	}
	return out
}

// leukemicAt returns the leukemic compartments on day t for one leukemic
// stem cell on day 0 (the model is linear, so y0 scales every compartment):
// untreated quasi-steady state on day 0, therapy with reductions ra, rb
// from day 0 until stop, untreated after. Before day 0 the untreated
// quasi-steady state is scaled by the stem-cell growth e^((ry-d0) t).
func (p MichorParams) leukemicAt(t, ra, rb, stop float64) michorState {
	y := p.quasiSteady(1)
	if t <= 0 {
		g := math.Exp((p.RY - p.D0) * t)
		for i := range y {
			y[i] *= g
		}
		return y
	}
	on := [3]float64{p.AY / ra, p.BY / rb, p.CY}
	if t <= stop {
		return p.chain(y, t, on)
	}
	y = p.chain(y, stop, on)
	return p.chain(y, t-stop, [3]float64{p.AY, p.BY, p.CY})
}

// ratioPercent is the BCR::ABL1 percentage 100 y3 / (y3 + 2 x3) (myelo
// michor05.R: normal cells carry two unfused alleles, leukemic cells one).
func (p MichorParams) ratioPercent(y3 float64) float64 { return 100 * y3 / (y3 + 2*p.normalX3()) }

// y3ForPercent inverts ratioPercent; NaN for 100% and above.
func (p MichorParams) y3ForPercent(r float64) float64 {
	if !(r < 100) || !(r > 0) {
		return math.NaN()
	}
	f := r / 100
	return 2 * p.normalX3() * f / (1 - f)
}
