package compartment

import (
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/fcs"
)

const diva = "../../../shared/testdata/flow/fcsparser/FACS_Diva/facs_diva_test.fcs"

func TestDefaultTemplateParses(t *testing.T) {
	tp := Default()
	if len(tp.Gates) != 13 || tp.Gates[0].ID != "blasts" {
		t.Fatalf("%+v", tp.Gates)
	}
	if _, err := Read(strings.NewReader(`{"transform":"logicle","gates":[{"id":"a","parent":"b","marker":"CD34"}]}`), "x"); err == nil {
		t.Error("unknown parent accepted")
	}
}

func TestFindChannelWholeWord(t *testing.T) {
	d := &fcs.Dataset{Params: []fcs.Param{{N: "FL1-A", S: "CD34 FITC"}, {N: "FL2-A", S: "CD3"}, {N: "FL3-A", S: "CD38-PE"}, {N: "SSC-A"}}}
	for m, want := range map[string]string{"CD34": "FL1-A", "CD3": "FL2-A", "CD38": "FL3-A", "SSC-A": "SSC-A"} {
		if got, ok := FindChannel(d, m); !ok || got != want {
			t.Errorf("%s -> %q %v, want %s", m, got, ok, want)
		}
	}
	if _, ok := FindChannel(d, "CD90"); ok {
		t.Error("CD90 found")
	}
}

// On a real B-cell/precursor tube (FACSDiva: CD45, CD34, CD38, SSC-A, with
// SPILL), the compartments counted by the compiled template equal counts
// made directly from the compensated, logicle-transformed values.
func TestMeasureMatchesDirectCount(t *testing.T) {
	ds, err := fcs.ReadFile(diva)
	if err != nil {
		t.Skip("../shared/testdata absent")
	}
	d := ds[0]
	tp := Default()
	c, err := tp.Compile(d, "FCS")
	if err != nil {
		t.Fatal(err)
	}
	if !contains(c.Missing, "CD90") || !contains(c.Missing, "CD123") || !contains(c.Skipped, "HSC") {
		t.Errorf("missing %v skipped %v", c.Missing, c.Skipped)
	}
	counts, _, _, err := Measure(tp, c, d)
	if err != nil {
		t.Fatal(err)
	}
	// Direct count.
	sp, _ := flow.SpilloverFromFCS(d)
	cols := make([]int, len(sp.Detectors))
	for i, det := range sp.Detectors {
		cols[i], _ = d.Channel(det)
	}
	sc := d.Scaled()
	np := len(d.Params)
	comp, _ := sp.Apply(sc, np, cols)
	lg, _ := flow.NewLogicle(262144, 0.5, 4.5, 0)
	val := func(e int, marker string) float64 {
		ch := c.Channels[marker]
		for k, f := range sp.Fluorochromes {
			if f == ch {
				return lg.Apply(comp[e*len(sp.Fluorochromes)+k])
			}
		}
		i, _ := d.Channel(ch)
		return sc[e*np+i]
	}
	var blasts, cd34, cd38n, cd38p int
	for e := 0; e < d.Events; e++ {
		x, y := val(e, "CD45"), val(e, "SSC-A")
		if !(x >= 0.3 && x < 0.6 && y < 100000) {
			continue
		}
		blasts++
		if val(e, "CD34") < 0.5 {
			continue
		}
		cd34++
		if val(e, "CD38") < 0.45 {
			cd38n++
		} else {
			cd38p++
		}
	}
	got := map[string]int{}
	for _, k := range counts {
		got[k.ID] = k.Count
	}
	if got["blasts"] != blasts || got["CD34+"] != cd34 || got["CD34+CD38-"] != cd38n || got["CD34+CD38+"] != cd38p {
		t.Errorf("lsc %v, direct %d %d %d %d", got, blasts, cd34, cd38n, cd38p)
	}
	for _, k := range counts {
		if k.ID == "CD34+CD38-" {
			f := k.Of["CD34+"]
			if f.Denominator != cd34 || math.Abs(f.Percent-100*float64(cd38n)/float64(cd34)) > 1e-12 || !(f.Lower <= f.Percent && f.Percent <= f.Upper) {
				t.Errorf("frequency of CD34+: %+v", f)
			}
		}
		if !k.Measured && !strings.Contains(strings.Join(c.Skipped, ","), k.ID) {
			t.Errorf("%s unmeasured but not skipped", k.ID)
		}
	}
	t.Logf("blasts %d, CD34+ %d, CD34+CD38- %d, CD34+CD38+ %d of %d events", blasts, cd34, cd38n, cd38p, d.Events)
}

// Thresholds from a control: the 0.995 quantile (type 7) of the control's
// transformed values, computed here by hand.
func TestSetThresholdsFromControl(t *testing.T) {
	ds, err := fcs.ReadFile(diva)
	if err != nil {
		t.Skip("../shared/testdata absent")
	}
	d := ds[0]
	tp := Default()
	set, err := tp.SetThresholds(d, "uncompensated", 0.995)
	if err != nil {
		t.Fatal(err)
	}
	lg, _ := flow.NewLogicle(262144, 0.5, 4.5, 0)
	ch, _ := FindChannel(d, "CD34")
	i, _ := d.Channel(ch)
	sc := d.Scaled()
	var v []float64
	for e := 0; e < d.Events; e++ {
		v = append(v, lg.Apply(sc[e*len(d.Params)+i]))
	}
	sort.Float64s(v)
	h := float64(len(v)-1) * 0.995
	want := v[int(h)] + (h-math.Floor(h))*(v[int(h)+1]-v[int(h)])
	if math.Abs(set["CD34"]-want) > 1e-12 || tp.Gates[1].Threshold != set["CD34"] {
		t.Errorf("CD34 threshold %v, want %v", set["CD34"], want)
	}
	if _, ok := set["CD90"]; ok {
		t.Error("threshold set for a marker the panel lacks")
	}
}
