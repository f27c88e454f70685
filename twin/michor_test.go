package twin

import (
	"math"
	"strings"
	"testing"
)

// quotedMichor are the Michor 2005 rate constants as quoted by two public
// implementations of the model (radivot/myelo R/michor05.R and
// paul-bbt/cs-impact-immune-response model_2/parameters.R, which agree on
// them); not read from the paper itself.
const quotedMichor = `# Michor et al. 2005 as quoted by radivot/myelo and paul-bbt/cs-impact-immune-response
d0 0.003
d1 0.008
d2 0.05
d3 1
ax 0.8
bx 5
cx 100
ry 0.008
ay 1.6
by 10
cy 100
ay_reduction 100
by_reduction 750
`

// With these constants the model should reproduce the two slopes of the
// biphasic BCR::ABL1 decline under imatinib that Michor et al. report
// (about 0.05 and 0.008 per day, natural log): the first set by the death
// rate of leukemic differentiated cells (d2), the second by that of
// leukemic progenitors (d1). Under lsc's structural assumptions (normal
// cells at homeostasis, leukemic compartments in quasi-steady state with
// the stem cells at the start of therapy, ratio = y3/(y3+2 x3) as in
// myelo's michor05.R) the first phase runs at 0.049 per day (days 40-80)
// and the second at 0.009 per day over days 210-240, but it does not stay
// there: the stem cells, untouched by therapy, grow at ry - d0 = 0.005 per
// day and the ratio turns upward after about 450 days (as in myelo's
// reproduction of the paper's Figure 4a, where Y0 rises). Whether the
// paper's own initial conditions differ could not be checked (the paper
// was not available), so this test pins what the structure does with the
// quoted constants: within 5% of d2 and 15% of d1.
func TestMichorSlopes(t *testing.T) {
	p, err := ReadMichorParams(strings.NewReader(quotedMichor), "quoted")
	if err != nil {
		t.Fatal(err)
	}
	sim := SimulateMichor(p, 1e5, math.Inf(1), 800)
	slope := func(a, b int) float64 { return -(math.Log(sim[b].Ratio) - math.Log(sim[a].Ratio)) / float64(b-a) }
	s1, s2 := slope(40, 80), slope(210, 240)
	t.Logf("first slope %.4f, second %.4f per day; ratio day 0 %.3g%%, day 800 %.3g%%", s1, s2, sim[0].Ratio, sim[800].Ratio)
	if math.Abs(s1-p.D2) > 0.05*p.D2 || math.Abs(s2-p.D1) > 0.15*p.D1 {
		t.Errorf("slopes %.4f and %.4f, want about d2 = 0.05 and d1 = 0.008", s1, s2)
	}
	// Therapy does not act on leukemic stem cells: they grow at ry - d0.
	if g := math.Log(sim[800].StemCells/sim[0].StemCells) / 800; math.Abs(g-(p.RY-p.D0)) > 1e-6 {
		t.Errorf("stem-cell growth %.6f, want ry - d0 = %.6f", g, p.RY-p.D0)
	}
	// Stopping therapy: the ratio climbs back.
	stop := SimulateMichor(p, 1e5, 400, 800)
	if !(stop[800].Ratio > 100*sim[800].Ratio) {
		t.Errorf("after stopping on day 400 the ratio %.3g%% should exceed continued therapy's %.3g%% by far", stop[800].Ratio, sim[800].Ratio)
	}
}

func TestReadMichorParamsErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"d0 0.003\n", "missing d1"},
		{"d0 x\n", "not a positive number"},
		{"dd 1\n", "unknown parameter"},
		{"d0 1\nd0 2\n", "already given"},
	} {
		if _, err := ReadMichorParams(strings.NewReader(c.text), "p.tsv"); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "p.tsv") {
			t.Errorf("%q: %v", c.text, err)
		}
	}
}
