package flow

import (
	"fmt"
	"math"

	"github.com/lsc-bio/lsc/flow/fcs"
	"github.com/lsc-bio/lsc/stats"
)

// SpilloverFromControls builds a spillover matrix from single-stain
// controls as flowCore's spillover() does with method "median" and no
// pre-gating (flowCore 2.x, Hahne et al., BMC
// Bioinformatics 2009;10:106): for each control, the per-channel median
// of the scaled values minus the unstained control's median (negative
// differences set to 0), divided by the control's largest such value,
// which is its own (primary) channel.
func SpilloverFromControls(unstained *fcs.Dataset, controls map[string]*fcs.Dataset, channels []string) (*Spillover, error) {
	stat := stats.Median
	centre := func(d *fcs.Dataset) ([]float64, error) {
		v := d.Scaled()
		np := len(d.Params)
		out := make([]float64, len(channels))
		col := make([]float64, d.Events)
		for j, ch := range channels {
			c, err := d.Channel(ch)
			if err != nil {
				return nil, err
			}
			for e := 0; e < d.Events; e++ {
				col[e] = v[e*np+c]
			}
			out[j] = stat(col)
		}
		return out, nil
	}
	base, err := centre(unstained)
	if err != nil {
		return nil, fmt.Errorf("unstained control: %w", err)
	}
	s := &Spillover{Fluorochromes: channels, Detectors: append([]string(nil), channels...), Source: "single-stain controls"}
	for _, ch := range channels {
		d, ok := controls[ch]
		if !ok {
			return nil, fmt.Errorf("no single-stain control for channel %s", ch)
		}
		m, err := centre(d)
		if err != nil {
			return nil, fmt.Errorf("control for %s: %w", ch, err)
		}
		row := make([]float64, len(channels))
		top := 0.0
		for j := range m {
			row[j] = math.Max(m[j]-base[j], 0)
			top = math.Max(top, row[j])
		}
		if top == 0 {
			return nil, fmt.Errorf("control for %s is no brighter than the unstained control in any channel", ch)
		}
		for j := range row {
			row[j] /= top
		}
		s.M = append(s.M, row)
	}
	return s, nil
}
