package compartment

import (
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/flow/fcs"
)

func panel(labels ...string) *fcs.Dataset {
	d := &fcs.Dataset{Path: "panel.fcs"}
	for i, l := range labels {
		d.Params = append(d.Params, fcs.Param{Index: i + 1, N: "P" + l, S: l, Gain: 1})
	}
	return d
}

// Issue 11.5: every marker the panel lacks is listed (CD45RA was dropped
// when its parents were already unmeasurable), each unmeasured compartment
// says why, and CD34 missing gets its own line.
func TestMissingMarkersAndReasons(t *testing.T) {
	tp := Default()
	c, err := tp.Compile(panel("CD45", "SSC-A", "CD34", "CD38"), "uncompensated")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Missing, ","); got != "CD90,CD45RA,CD123" {
		t.Errorf("missing %s", got)
	}
	if c.Reasons["CD34+CD38-CD90+"] != "marker CD90 not in the panel" || c.Reasons["HSC"] != "marker CD90 not in the panel (gate CD34+CD38-CD90+ above)" {
		t.Errorf("reasons %v", c.Reasons)
	}
	if n := c.Notes(); len(n) != 1 || strings.Contains(n[0], "CD34 is not") {
		t.Errorf("notes %v", n)
	}
	c, _ = tp.Compile(panel("CD45", "SSC-A", "CD38"), "uncompensated")
	if got := strings.Join(c.Missing, ","); got != "CD34,CD90,CD45RA,CD123" {
		t.Errorf("missing %s", got)
	}
	if n := c.Notes(); len(n) != 2 || !strings.Contains(n[1], "CD34 is not in this panel") {
		t.Errorf("notes %v", n)
	}
	if c.Reasons["MEP"] != "marker CD34 not in the panel (gate CD34+ above)" {
		t.Errorf("MEP: %q", c.Reasons["MEP"])
	}
}

func TestCautions(t *testing.T) {
	tp := Default()
	if n := len(tp.Cautions(true, false)); n != 2 {
		t.Errorf("built-in, no control: %d cautions", n)
	}
	if n := len(tp.Cautions(true, true)); n != 1 {
		t.Errorf("built-in, control: %d cautions", n)
	}
	if n := len(tp.Cautions(false, false)); n != 0 {
		t.Errorf("own template: %d cautions", n)
	}
}
