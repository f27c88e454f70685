package compartment

import (
	"fmt"
	"strings"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/fcs"
)

// Result is one sample's compartments: the template bound to its panel,
// the counts, the plots and what the user should know.
type Result struct {
	Compiled *Compiled
	Counts   []Count
	Plots    []Plot
	Notes    []string // the panel's missing markers (Compiled.Notes)
	Warnings []string // gating warnings
}

// Run binds t to the panel of d, counts every compartment (compensation
// comp, as for Compile) and prepares the plots.
func (t *Template) Run(d *fcs.Dataset, comp string) (*Result, error) {
	c, err := t.Compile(d, comp)
	if err != nil {
		return nil, err
	}
	ev := flow.NewEvaluator(c.Strategy, d)
	counts, pops, warns, err := measure(t, c, d, ev)
	if err != nil {
		return nil, err
	}
	return &Result{Compiled: c, Counts: counts, Plots: plots(t, c, d, comp, pops, ev), Notes: c.Notes(), Warnings: warns}, nil
}

// Notes says which markers the panel lacks and what is therefore not
// measured; CD34 missing gets a line of its own, as no stem or progenitor
// compartment can then be counted.
func (c *Compiled) Notes() []string {
	if len(c.Missing) == 0 {
		return nil
	}
	var out []string
	if len(c.Strategy.Gates) == 0 {
		out = append(out, fmt.Sprintf("no compartment can be gated on this panel (markers missing: %s)", strings.Join(c.Missing, ", ")))
	} else {
		out = append(out, fmt.Sprintf("markers not in this panel: %s; not measured: %s", strings.Join(c.Missing, ", "), strings.Join(c.Skipped, ", ")))
	}
	if contains(c.Missing, "CD34") {
		out = append(out, "CD34 is not in this panel: no CD34+ compartment (stem or progenitor cells) can be counted")
	}
	return out
}

// Cautions returns what a report must say about thresholds that were not
// set for this panel: with the built-in template, its blast gate always,
// and its marker thresholds unless a control set them.
func (t *Template) Cautions(builtIn, fromControl bool) []string {
	if !builtIn {
		return nil
	}
	var out []string
	if !fromControl {
		out = append(out, "Marker thresholds are the built-in template's starting positions on the logicle scale, not set for this panel or "+
			"instrument: treat the counts as provisional. Set them from a control with --control FMO.fcs, or edit a template (lsc flow template).")
	}
	out = append(out, "The blast gate (CD45dim, SSC-low) is the built-in default rectangle: check it on the CD45/SSC plots and edit the template when it misses the blasts.")
	return out
}
