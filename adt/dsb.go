package adt

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/lsc-bio/lsc/matrix"
)

// DSBOptions are the choices of dsb's DSBNormalizeProtein.
type DSBOptions struct {
	Pseudocount  float64  // added before the log; dsb's default 10
	MeanSubtract bool     // scale.factor = "mean.subtract" (else "standardize")
	NoDenoise    bool     // denoise.counts = FALSE: step I only
	Isotypes     []string // isotype controls joined to the background mean for the technical component
}

// DSBStats are the per-protein background and per-cell technical values
// (dsb's return.stats).
type DSBStats struct {
	BackgroundMean, BackgroundSD []float64 // per antibody, of log(empty + pseudocount)
	CellBackground               []float64 // per cell: mean of mixture component 1 (nil without denoising)
	TechnicalComponent           []float64 // per cell: regressed-out covariate (PC1 scores with isotypes)
	LowSD                        []string  // antibodies with background SD < 0.05 (dsb prints them)
}

// ErrDSB is wrapped by dsb input errors.
var ErrDSB = errors.New("dsb")

// DSB normalises cell ADT counts against empty droplets as dsb 2.0.1's
// DSBNormalizeProtein: log(x + pseudocount) standardised by the empty
// droplets' mean and SD per protein (step I), then, unless NoDenoise, the
// per-cell technical component regressed out of every protein (step II):
// the mean of component 1 of a 2-component Gaussian mixture fitted to each
// cell's proteins (mclust, see FitMixture), combined with the isotype
// controls by the first principal component of their standardised values
// when Isotypes are given.
func DSB(cells, empty *Matrix, o DSBOptions) (*Matrix, *DSBStats, error) {
	if o.Pseudocount <= 0 || math.IsNaN(o.Pseudocount) || math.IsInf(o.Pseudocount, 0) {
		return nil, nil, fmt.Errorf("%w: pseudocount %v must be positive", ErrDSB, o.Pseudocount)
	}
	if len(cells.Cells) < 2 || len(empty.Cells) < 2 {
		return nil, nil, fmt.Errorf("%w: need 2 or more cells and empty droplets (have %d and %d)", ErrDSB, len(cells.Cells), len(empty.Cells))
	}
	// match empty-droplet rows to the cells' antibodies by name
	pos := map[string]int{}
	for i, a := range empty.Antibodies {
		pos[a] = i
	}
	var missing, extra []string
	order := make([]int, len(cells.Antibodies))
	for i, a := range cells.Antibodies {
		j, ok := pos[a]
		if !ok {
			missing = append(missing, a)
		}
		order[i] = j
	}
	seen := map[string]bool{}
	for _, a := range cells.Antibodies {
		seen[a] = true
	}
	for _, a := range empty.Antibodies {
		if !seen[a] {
			extra = append(extra, a)
		}
	}
	if len(missing) > 0 || len(extra) > 0 || len(empty.Antibodies) != len(cells.Antibodies) {
		return nil, nil, fmt.Errorf("%w: the cells and the empty droplets must hold the same antibodies; only in the cells: [%s]; only in the empty droplets: [%s]",
			ErrDSB, strings.Join(missing, ", "), strings.Join(extra, ", "))
	}
	iso := make([]int, len(o.Isotypes))
	cpos := map[string]int{}
	for i, a := range cells.Antibodies {
		cpos[a] = i
	}
	for k, a := range o.Isotypes {
		i, ok := cpos[a]
		if !ok {
			return nil, nil, fmt.Errorf("%w: isotype control %q is not an antibody of the input (antibodies: %s)", ErrDSB, a, strings.Join(cells.Antibodies, ", "))
		}
		iso[k] = i
	}
	na, nc := len(cells.Antibodies), len(cells.Cells)
	st := &DSBStats{BackgroundMean: make([]float64, na), BackgroundSD: make([]float64, na)}
	out := &Matrix{Antibodies: cells.Antibodies, Cells: cells.Cells, Values: make([][]float64, na)}
	for a := 0; a < na; a++ {
		u := empty.Values[order[a]]
		l := make([]float64, len(u))
		for i, v := range u {
			if v < 0 || math.IsNaN(v) {
				return nil, nil, fmt.Errorf("%w: empty droplet %s, %s: count %v", ErrDSB, empty.Cells[i], cells.Antibodies[a], v)
			}
			l[i] = math.Log(v + o.Pseudocount)
		}
		var m float64
		for _, v := range l {
			m += v
		}
		m /= float64(len(l))
		sd := sdR(l)
		st.BackgroundMean[a], st.BackgroundSD[a] = m, sd
		if sd < 0.05 {
			st.LowSD = append(st.LowSD, cells.Antibodies[a])
		}
		if !o.MeanSubtract && sd == 0 {
			return nil, nil, fmt.Errorf("%w: %s has the same count in every empty droplet (SD 0): use mean subtraction (dsb scale.factor = \"mean.subtract\")", ErrDSB, cells.Antibodies[a])
		}
		row := make([]float64, nc)
		for c, v := range cells.Values[a] {
			if v < 0 || math.IsNaN(v) {
				return nil, nil, fmt.Errorf("%w: cell %s, %s: count %v", ErrDSB, cells.Cells[c], cells.Antibodies[a], v)
			}
			row[c] = math.Log(v+o.Pseudocount) - m
			if !o.MeanSubtract {
				row[c] /= sd
			}
		}
		out.Values[a] = row
	}
	if o.NoDenoise {
		return out, st, nil
	}
	bg := make([]float64, nc)
	col := make([]float64, na)
	for c := 0; c < nc; c++ {
		for a := 0; a < na; a++ {
			col[a] = out.Values[a][c]
		}
		fit, err := FitMixture(col, 2)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: cell %s: background of its proteins: %w", ErrDSB, cells.Cells[c], err)
		}
		bg[c] = fit.Mean[0]
	}
	st.CellBackground = bg
	cov := bg
	if len(iso) > 0 {
		vars := make([][]float64, 0, len(iso)+1)
		for _, i := range iso {
			vars = append(vars, out.Values[i])
		}
		vars = append(vars, bg)
		names := append(append([]string(nil), o.Isotypes...), "cell background mean")
		pc, err := firstPC(vars, names)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrDSB, err)
		}
		cov = pc
	}
	st.TechnicalComponent = cov
	for a := range out.Values {
		regressOut(out.Values[a], cov)
	}
	return out, st, nil
}

// regressOut removes from y its least-squares fit on x (with an
// intercept), keeping the intercept: limma's removeBatchEffect(y,
// covariates = x), which subtracts beta * x.
func regressOut(y, x []float64) {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
	}
	if sxx == 0 {
		return
	}
	b := sxy / sxx
	for i := range y {
		y[i] -= b * x[i]
	}
}

// firstPC returns the scores on the first principal component of the
// variables (each centred and scaled to unit SD, as R's prcomp(scale =
// TRUE)); the sign is arbitrary, as in R.
func firstPC(vars [][]float64, names []string) ([]float64, error) {
	p, n := len(vars), len(vars[0])
	z := make([][]float64, p)
	for j, v := range vars {
		var m float64
		for _, x := range v {
			m += x
		}
		m /= float64(n)
		sd := sdR(v)
		if sd == 0 || math.IsNaN(sd) {
			return nil, fmt.Errorf("%s is constant across cells: it cannot be scaled for the technical component (drop it from --isotypes)", names[j])
		}
		z[j] = make([]float64, n)
		for i, x := range v {
			z[j][i] = (x - m) / sd
		}
	}
	c := make([][]float64, p)
	for a := range c {
		c[a] = make([]float64, p)
		for b := range c[a] {
			var s float64
			for i := 0; i < n; i++ {
				s += z[a][i] * z[b][i]
			}
			c[a][b] = s / float64(n-1)
		}
	}
	vec := topEigenvector(c)
	sc := make([]float64, n)
	for i := range sc {
		for j := 0; j < p; j++ {
			sc[i] += z[j][i] * vec[j]
		}
	}
	return sc, nil
}

// topEigenvector returns the unit eigenvector of the symmetric matrix a
// with the largest eigenvalue (cyclic Jacobi rotations).
func topEigenvector(a [][]float64) []float64 {
	p := len(a)
	m := make([][]float64, p)
	v := make([][]float64, p)
	for i := range m {
		m[i] = append([]float64(nil), a[i]...)
		v[i] = make([]float64, p)
		v[i][i] = 1
	}
	for sweep := 0; sweep < 100; sweep++ {
		var off float64
		for i := 0; i < p; i++ {
			for j := i + 1; j < p; j++ {
				off += m[i][j] * m[i][j]
			}
		}
		if off < 1e-30 {
			break
		}
		for i := 0; i < p; i++ {
			for j := i + 1; j < p; j++ {
				if m[i][j] == 0 {
					continue
				}
				theta := (m[j][j] - m[i][i]) / (2 * m[i][j])
				t := 1 / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				if theta < 0 {
					t = -t
				}
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				for k := 0; k < p; k++ {
					mki, mkj := m[k][i], m[k][j]
					m[k][i] = c*mki - s*mkj
					m[k][j] = s*mki + c*mkj
				}
				for k := 0; k < p; k++ {
					mik, mjk := m[i][k], m[j][k]
					m[i][k] = c*mik - s*mjk
					m[j][k] = s*mik + c*mjk
				}
				for k := 0; k < p; k++ {
					vki, vkj := v[k][i], v[k][j]
					v[k][i] = c*vki - s*vkj
					v[k][j] = s*vki + c*vkj
				}
			}
		}
	}
	best := 0
	for i := 1; i < p; i++ {
		if m[i][i] > m[best][best] {
			best = i
		}
	}
	out := make([]float64, p)
	for k := range out {
		out[k] = v[k][best]
	}
	return out
}

// EmptyDroplets returns the droplets of raw that are not cells of cells
// (by barcode) and whose antibody total is at least min and, when max >
// 0, at most max: dsb's background. raw may already hold only empty
// droplets. Antibodies are kept as in raw (DSB matches them by name).
func EmptyDroplets(raw, cells *Matrix, min, max float64) (*Matrix, error) {
	keep := emptyKeep(cells, min, max)
	out := &Matrix{Antibodies: raw.Antibodies, Values: make([][]float64, len(raw.Values))}
	for j, c := range raw.Cells {
		var t float64
		for a := range raw.Values {
			t += raw.Values[a][j]
		}
		if !keep(c, t) {
			continue
		}
		out.Cells = append(out.Cells, c)
		for a := range raw.Values {
			out.Values[a] = append(out.Values[a], raw.Values[a][j])
		}
	}
	return out, checkEmpty(out, len(raw.Cells), min, max)
}

// ReadEmptyDroplets reads the empty droplets from src as EmptyDroplets
// selects them, without holding the other droplets of a raw matrix.
func ReadEmptyDroplets(src matrix.Source, cells *Matrix, min, max float64) (*Matrix, error) {
	out, err := FromSourceSelect(src, emptyKeep(cells, min, max))
	if err != nil {
		return nil, err
	}
	return out, checkEmpty(out, len(src.CellNames()), min, max)
}

func emptyKeep(cells *Matrix, min, max float64) func(string, float64) bool {
	isCell := make(map[string]bool, len(cells.Cells))
	for _, c := range cells.Cells {
		isCell[c] = true
	}
	return func(c string, t float64) bool {
		return !isCell[c] && t >= min && (max <= 0 || t <= max)
	}
}

func checkEmpty(m *Matrix, of int, min, max float64) error {
	if len(m.Cells) >= 2 {
		return nil
	}
	lim := "no upper limit"
	if max > 0 {
		lim = fmt.Sprintf("at most %v", max)
	}
	return fmt.Errorf("%w: %d empty droplets left of %d droplets (not cells of the input, ADT total at least %v, %s): give the raw matrix or a matrix of empty droplets, or widen --empty-min/--empty-max",
		ErrDSB, len(m.Cells), of, min, lim)
}
