package store

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// reportJSON is report.JSON (which imports this package).
func reportJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	err := enc.Encode(v)
	return b.Bytes(), err
}

func randomTimeline(rng *rand.Rand) *Timeline {
	strs := []string{"", "P7", "CD34+CD38-/low", `<b>"x" & 'y'</b>\`, "a\x00b\x1f\x7f", "\xff\xfe bad", "é 中文 \u2028 \u2029",
		"tab\tnl\nret\r\b\f", "day90"}
	str := func() string {
		if rng.IntN(4) == 0 {
			b := make([]byte, rng.IntN(8))
			for i := range b {
				b[i] = byte(rng.IntN(256))
			}
			return string(b)
		}
		return strs[rng.IntN(len(strs))]
	}
	optS := func() *string {
		if rng.IntN(3) == 0 {
			return nil
		}
		s := str()
		return &s
	}
	nums := []float64{0, -0.0, 1, 1e21, 1e20, 1e-6, 1e-7, 9.99e-7, -123.456, 1.0 / 3, 5e-324, math.MaxFloat64, 2e-9}
	optF := func() *float64 {
		if rng.IntN(4) == 0 {
			return nil
		}
		v := nums[rng.IntN(len(nums))]
		if rng.IntN(3) == 0 {
			v = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
		}
		return &v
	}
	t := &Timeline{Patient: str(), Day0: optS(), Day0Event: str(), Events: []Event{}, Series: []Series{}}
	switch rng.IntN(5) {
	case 0:
		t.Events, t.Series = nil, nil
	case 1:
		t.Undated = []string{}
	default:
		for i := rng.IntN(4); i > 0; i-- {
			t.Undated = append(t.Undated, str())
		}
	}
	for i := rng.IntN(5); i > 0; i-- {
		t.Events = append(t.Events, Event{Date: optS(), Day: optF(), Kind: str(), Detail: str()})
	}
	for i := rng.IntN(4); i > 0; i-- {
		s := Series{Assay: str(), Metric: str(), Fraction: str(), Target: str(), Unit: str()}
		if rng.IntN(2) == 0 {
			s.Kind, s.Scenario = str(), str()
		}
		switch rng.IntN(6) {
		case 0:
		case 1:
			s.Points = []Point{}
		default:
			for j := rng.IntN(5) + 1; j > 0; j-- {
				p := Point{Date: optS(), Day: optF(), Value: optF(), Lower: optF(), Upper: optF(), Label: str(), Sample: str(), Run: str(), DetectionLimit: optF()}
				if rng.IntN(2) == 0 {
					p.Timepoint = str()
				}
				if rng.IntN(2) == 0 {
					p.File, p.Line = str(), rng.IntN(100000)-5
				}
				if rng.IntN(5) == 0 {
					v := []float64{math.NaN(), math.Inf(1), math.Inf(-1)}[rng.IntN(3)]
					p.Value = &v
				}
				s.Points = append(s.Points, p)
			}
		}
		t.Series = append(t.Series, s)
	}
	return t
}

// AppendJSON writes what report.JSON writes, for random timelines with
// hostile strings and numbers and for the fixture study's timelines.
func TestTimelineAppendJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	check := func(name string, tl *Timeline) {
		want, werr := reportJSON(tl)
		got, gerr := tl.AppendJSON(nil)
		if (werr != nil) != (gerr != nil) {
			t.Fatalf("%s: errors differ: encoding/json %v, AppendJSON %v", name, werr, gerr)
		}
		if werr == nil && !bytes.Equal(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Fatalf("%s: differs at byte %d:\nwant ...%q\ngot  ...%q", name, i, want[max(0, i-60):min(len(want), i+60)], got[max(0, i-60):min(len(got), i+60)])
		}
	}
	for i := 0; i < 3000; i++ {
		check("random", randomTimeline(rng))
	}
	// An event day NaN is an encoding error, as in encoding/json.
	nan := math.NaN()
	check("nan event", &Timeline{Events: []Event{{Day: &nan}}})
	ctx := context.Background()
	st := openStore(t, filepath.Join(t.TempDir(), "s.db"))
	fx := filepath.Join("testdata", "study")
	if _, err := st.ImportPatients(ctx, "", filepath.Join(fx, "patients.csv"), PatientOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"stem", "mrd", "flow"} {
		if _, err := st.ImportRun(ctx, "", filepath.Join(fx, d), ImportOptions{User: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := st.Patients(ctx, "", Page{Limit: 100})
	if err != nil || len(ps) == 0 {
		t.Fatal(len(ps), err)
	}
	for _, p := range ps {
		tl, err := st.Timeline(ctx, "", p.Pseudonym)
		if err != nil {
			t.Fatal(err)
		}
		check(p.Pseudonym, tl)
	}
}
