package flow

import (
	"fmt"
	"strings"

	"github.com/lsc-bio/lsc/flow/fcs"
)

// Stage is how far events are processed before they are written.
type Stage int

const (
	Raw         Stage = iota // values as stored (integers masked to $PnB)
	Scaled                   // $PnE/$PnG applied, time x $TIMESTEP
	Compensated              // scaled, then the spillover applied to the channels it names
	Transformed              // compensated, then a transform on the fluorescence channels
)

var stageNames = []string{"raw", "scaled", "compensated", "transformed"}

func (s Stage) String() string {
	if s < 0 || int(s) >= len(stageNames) {
		return fmt.Sprintf("Stage(%d)", int(s))
	}
	return stageNames[s]
}

// ParseStage reads a stage name; unknown names are an error that lists the
// known ones.
func ParseStage(s string) (Stage, error) {
	for i, n := range stageNames {
		if s == n {
			return Stage(i), nil
		}
	}
	return 0, fmt.Errorf("stage %q: use raw, scaled, compensated or transformed", s)
}

// IsScatter reports whether a channel name is a scatter channel (FSC or
// SSC, any suffix): scatter is never compensated nor transformed as
// fluorescence. This is the one place the rule lives.
func IsScatter(name string) bool {
	u := strings.ToUpper(name)
	return strings.HasPrefix(u, "FSC") || strings.HasPrefix(u, "SSC")
}

// IsFluorescence reports whether parameter p carries fluorescence: neither
// time nor scatter.
func IsFluorescence(p fcs.Param) bool { return !p.IsTime && !IsScatter(p.N) }

// EventOptions says how to process events for Events.
type EventOptions struct {
	Stage Stage
	// Spillover compensates from Compensated on; nil leaves values
	// uncompensated.
	Spillover *Spillover
	// Transform applies at Transformed to the channels the spillover
	// names, or, without one, to every fluorescence channel.
	Transform Transform
	// Keep selects events (nil keeps all).
	Keep []bool
}

// EventTable is a data set's events after processing: one row per kept
// event, one column per parameter.
type EventTable struct {
	Names   []string // $PnN, duplicates suffixed .2, .3
	Labels  []string // $PnS
	Ranges  []float64
	Values  []float64 // row-major, len(Names) columns
	Rows    int
	Float32 bool // the source stored 32-bit floats: print values as float32
}

// Events processes the events of d to a stage: scaled values, compensated
// in the one place compensation is done (Compensate), transformed, and
// filtered by opt.Keep.
func Events(d *fcs.Dataset, opt EventOptions) (*EventTable, error) {
	np := len(d.Params)
	vals := d.Data
	if opt.Stage != Raw {
		vals = d.Scaled()
	}
	var comped []int
	if opt.Stage >= Compensated && opt.Spillover != nil {
		cv, cols, err := Compensate(d, vals, opt.Spillover)
		if err != nil {
			return nil, err
		}
		vals = append([]float64(nil), vals...)
		nf := len(opt.Spillover.Fluorochromes)
		for e := 0; e < d.Events; e++ {
			for k := 0; k < nf; k++ {
				vals[e*np+cols[k]] = cv[e*nf+k]
			}
		}
		comped = cols
	}
	if opt.Stage == Transformed && opt.Transform != nil {
		cols := comped
		if len(cols) == 0 {
			for i, p := range d.Params {
				if IsFluorescence(p) {
					cols = append(cols, i)
				}
			}
		}
		for e := 0; e < d.Events; e++ {
			for _, c := range cols {
				vals[e*np+c] = opt.Transform.Apply(vals[e*np+c])
			}
		}
	}
	t := &EventTable{Names: UniqueNames(d), Float32: d.DataType == "F"}
	for _, p := range d.Params {
		t.Labels = append(t.Labels, p.S)
		t.Ranges = append(t.Ranges, p.Range)
	}
	if opt.Keep == nil {
		t.Values, t.Rows = vals, d.Events
		return t, nil
	}
	if len(opt.Keep) != d.Events {
		return nil, fmt.Errorf("flow: %d selection flags for %d events", len(opt.Keep), d.Events)
	}
	for e := 0; e < d.Events; e++ {
		if opt.Keep[e] {
			t.Values = append(t.Values, vals[e*np:(e+1)*np]...)
			t.Rows++
		}
	}
	return t, nil
}

// UniqueNames returns the $PnN names, repeated names suffixed .2, .3 in
// order.
func UniqueNames(d *fcs.Dataset) []string {
	seen := map[string]int{}
	var out []string
	for _, p := range d.Params {
		seen[p.N]++
		n := p.N
		if seen[p.N] > 1 {
			n = fmt.Sprintf("%s.%d", p.N, seen[p.N])
		}
		out = append(out, n)
	}
	return out
}
