package report

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/lsc-bio/lsc/flow/compartment"
)

// A part reads back to the same row: every float bit for bit (NaN and the
// infinities included), so tables gathered from parts equal the direct ones.
func TestCompartmentPartRoundTrip(t *testing.T) {
	vals := []float64{0.1 + 0.2, 100.0 / 3, math.NaN(), math.Inf(1), math.Inf(-1), 5e-324, 0}
	of := map[string]compartment.Freq{}
	for i, k := range []string{"parent", "CD34+", "blasts"} {
		of[k] = compartment.Freq{Denominator: i, Percent: vals[i], Lower: vals[i+2], Upper: vals[i+4]}
	}
	in := CompartmentPart{Row: CompartmentSample{Sample: "S<1>", Patient: "P", Timepoint: "dx", Path: "/a b.fcs", Events: 7,
		Counts:  []compartment.Count{{ID: "blasts", Path: "/blasts", Count: 3, Of: of, Measured: true}, {ID: "HSC", Reason: "no CD90"}},
		Missing: []string{"CD90"}, Channels: map[string]string{"CD34": "FL1-A"}},
		Page: []byte("<html>&</html>"), Gates: []byte("<xml/>"), Notes: []string{"n"}, SHA256: "ab"}
	p := filepath.Join(t.TempDir(), "p.json")
	var b bytes.Buffer
	if err := WriteCompartmentPart(&b, in); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(p, b.Bytes(), 0o644)
	out, ok, err := ReadCompartmentPart(p)
	if !ok || err != nil {
		t.Fatal(ok, err)
	}
	for k, f := range in.Row.Counts[0].Of {
		g := out.Row.Counts[0].Of[k]
		for i, pair := range [][2]float64{{f.Percent, g.Percent}, {f.Lower, g.Lower}, {f.Upper, g.Upper}} {
			if math.Float64bits(pair[0]) != math.Float64bits(pair[1]) && !(math.IsNaN(pair[0]) && math.IsNaN(pair[1])) {
				t.Errorf("%s value %d: %v read back as %v", k, i, pair[0], pair[1])
			}
		}
		if f.Denominator != g.Denominator {
			t.Errorf("%s denominator", k)
		}
	}
	var w1, w2 bytes.Buffer
	CompartmentTSV(&w1, []CompartmentSample{in.Row})
	CompartmentTSV(&w2, []CompartmentSample{out.Row})
	if w1.String() != w2.String() || string(out.Page) != string(in.Page) || string(out.Gates) != "<xml/>" || out.SHA256 != "ab" ||
		out.Row.Sample != "S<1>" || out.Row.Events != 7 || out.Row.Channels["CD34"] != "FL1-A" || out.Row.Counts[1].Of != nil {
		t.Errorf("read back %+v", out)
	}
	if _, ok, err := ReadCompartmentPart(filepath.Join(t.TempDir(), "none.json")); ok || err != nil {
		t.Errorf("a missing part: %v %v", ok, err)
	}
}
