package adt

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/lsc-bio/lsc/stats"
)

// Positivity methods.
const (
	ControlIsotype = "isotype" // threshold: a quantile of an isotype control antibody in the same cells
	ControlFMO     = "fmo"     // threshold: a quantile of the same antibody in a control sample (FMO-like)
	ControlMixture = "mixture" // threshold: where the posteriors of a 2-component Gaussian mixture cross
)

// PositiveOptions choose how each marker's threshold is set.
type PositiveOptions struct {
	Method   string            // ControlIsotype, ControlFMO or ControlMixture
	Isotype  string            // isotype: the control antibody for every marker without a pair
	Pairs    map[string]string // isotype: marker -> its own control antibody
	FMO      *Matrix           // fmo: the control sample (same antibody names)
	Quantile float64           // isotype/fmo: quantile of the control (R type 7), e.g. 0.99
	Models   []string          // mixture: mclust models "E", "V" (both, best BIC, when empty)
}

// Threshold is one marker's cut-off: a cell is positive when its value is
// strictly above Threshold.
type Threshold struct {
	Antibody  string
	Method    string
	Control   string // the control antibody (isotype), the control file's column (fmo), or the model (mixture)
	Threshold float64
	Called    bool     // false when no threshold could be set (Note says why)
	Positive  int      // cells above the threshold
	Mixture   *Mixture // mixture only
	Note      string
}

// Positivity is the per-cell call per marker.
type Positivity struct {
	Cells      []string
	Thresholds []Threshold // one per called marker, in input order
	Positive   [][]bool    // [marker][cell], aligned with Thresholds
}

// ErrPositive is wrapped by positivity option errors.
var ErrPositive = errors.New("positivity")

// Positive thresholds every marker of m (normalised values, e.g. CLR or
// dsb) and calls each cell positive or not. Isotype/FMO thresholds are the
// Quantile (R's type 7) of the control's values, as flow cytometry gates
// set on an isotype or fluorescence-minus-one control; the mixture
// threshold is the point where the two components'
// weighted densities are equal and the high component takes over
// (FitMixture, mclust's EM; Mixture.Crossing).
func Positive(m *Matrix, o PositiveOptions) (*Positivity, error) {
	idx := map[string]int{}
	for i, a := range m.Antibodies {
		idx[a] = i
	}
	if o.Method != ControlMixture && (o.Quantile <= 0 || o.Quantile >= 1 || math.IsNaN(o.Quantile)) {
		return nil, fmt.Errorf("%w: quantile %v must be between 0 and 1 (e.g. 0.99)", ErrPositive, o.Quantile)
	}
	p := &Positivity{Cells: m.Cells}
	add := func(t Threshold, v []float64) {
		pos := make([]bool, len(v))
		if t.Called {
			for i, x := range v {
				if x > t.Threshold {
					pos[i] = true
					t.Positive++
				}
			}
		}
		p.Thresholds = append(p.Thresholds, t)
		p.Positive = append(p.Positive, pos)
	}
	switch o.Method {
	case ControlIsotype:
		controls := map[string]bool{}
		if o.Isotype != "" {
			if _, ok := idx[o.Isotype]; !ok {
				return nil, fmt.Errorf("%w: isotype control %q is not a column (columns: %s)", ErrPositive, o.Isotype, strings.Join(m.Antibodies, ", "))
			}
			controls[o.Isotype] = true
		}
		keys := make([]string, 0, len(o.Pairs))
		for k := range o.Pairs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, mk := range keys {
			c := o.Pairs[mk]
			if _, ok := idx[mk]; !ok {
				return nil, fmt.Errorf("%w: marker %q (in %s=%s) is not a column", ErrPositive, mk, mk, c)
			}
			if _, ok := idx[c]; !ok {
				return nil, fmt.Errorf("%w: control %q (in %s=%s) is not a column", ErrPositive, c, mk, c)
			}
			controls[c] = true
		}
		if o.Isotype == "" && len(o.Pairs) == 0 {
			return nil, fmt.Errorf("%w: isotype thresholds need a control antibody (--isotype NAME or --pair MARKER=CONTROL)", ErrPositive)
		}
		cache := map[string]float64{}
		for a, name := range m.Antibodies {
			if controls[name] {
				continue
			}
			c, ok := o.Pairs[name]
			if !ok {
				c = o.Isotype
			}
			if c == "" {
				continue
			}
			th, ok := cache[c]
			if !ok {
				th = quantileOf(m.Values[idx[c]], o.Quantile)
				cache[c] = th
			}
			add(Threshold{Antibody: name, Method: o.Method, Control: c, Threshold: th, Called: true}, m.Values[a])
		}
	case ControlFMO:
		if o.FMO == nil {
			return nil, fmt.Errorf("%w: fmo thresholds need the control sample's table", ErrPositive)
		}
		fidx := map[string]int{}
		for i, a := range o.FMO.Antibodies {
			fidx[a] = i
		}
		for a, name := range m.Antibodies {
			j, ok := fidx[name]
			if !ok {
				add(Threshold{Antibody: name, Method: o.Method, Threshold: math.NaN(), Note: "not in the control table"}, m.Values[a])
				continue
			}
			add(Threshold{Antibody: name, Method: o.Method, Control: name, Threshold: quantileOf(o.FMO.Values[j], o.Quantile), Called: true}, m.Values[a])
		}
	case ControlMixture:
		for a, name := range m.Antibodies {
			fit, err := FitMixture(m.Values[a], 2, o.Models...)
			if err != nil {
				add(Threshold{Antibody: name, Method: o.Method, Threshold: math.NaN(), Note: err.Error()}, m.Values[a])
				continue
			}
			th := fit.Crossing()
			t := Threshold{Antibody: name, Method: o.Method, Control: fit.Model, Threshold: th, Called: !math.IsNaN(th), Mixture: fit}
			if !t.Called {
				t.Note = "one mixture component dominates at every value: no threshold"
			}
			add(t, m.Values[a])
		}
	default:
		return nil, fmt.Errorf("%w: unknown method %q (isotype, fmo or mixture)", ErrPositive, o.Method)
	}
	return p, nil
}

func quantileOf(v []float64, q float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return stats.Quantile7(s, q)
}
