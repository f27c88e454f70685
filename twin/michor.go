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
// lsc ships no values: the paper's table could not be read here. The
// values quoted by public implementations of the model (radivot/myelo's
// michor05.R; paul-bbt/cs-impact-immune-response) are d0 = 0.003,
// d1 = 0.008, d2 = 0.05, d3 = 1, ax = 0.8, bx = 5, cx = 100, ry = 0.008,
// ay = 1.6, by = 10, cy = 100, reductions 100 and 750; the tests use them
// only to check the model structure against the two slopes the paper
// reports, and users supply a parameter file (ReadMichorParams).
type MichorParams struct {
	D0, D1, D2, D3           float64
	AX, BX, CX               float64
	RY, AY, BY, CY           float64
	AYReduction, BYReduction float64
	X0                       float64 // normal stem cells, held at homeostasis; default 1e6
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
		p.X0 = 1e6
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
	Ratio     float64 // y3 / (x3 + y3) x 100: the BCR::ABL1 percentage
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
		out = append(out, MichorDay{Day: d, Ratio: y[3] / (x3 + y[3]) * 100, StemCells: y[0], Leukemic: y})
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
