package stats

import (
	"errors"
	"testing"
)

func TestParseOptions(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{{"log", true}, {"log-log", true}, {"plain", true}, {"", false}, {"Log", false}, {"logit", false}} {
		got, err := ParseConfType(c.in)
		if (err == nil) != c.ok || (c.ok && string(got) != c.in) || (!c.ok && !errors.Is(err, ErrOption)) {
			t.Errorf("ParseConfType(%q) = %q, %v", c.in, got, err)
		}
	}
	for _, c := range []struct {
		in string
		ok bool
	}{{"efron", true}, {"breslow", true}, {"", false}, {"exact", false}} {
		got, err := ParseTies(c.in)
		if (err == nil) != c.ok || (c.ok && string(got) != c.in) || (!c.ok && !errors.Is(err, ErrOption)) {
			t.Errorf("ParseTies(%q) = %q, %v", c.in, got, err)
		}
	}
}

// The libraries reject an unknown option instead of falling back to a
// default (KaplanMeier used the log scale for any unknown value, CoxPH Efron).
func TestUnknownOptionRejected(t *testing.T) {
	tm, ev := []float64{1, 2, 3, 4}, []bool{true, false, true, true}
	if _, err := KaplanMeier(tm, ev, "logit", 0.95); !errors.Is(err, ErrOption) {
		t.Errorf("KaplanMeier with conf type logit: %v", err)
	}
	if _, err := KaplanMeier(tm, ev, ConfLog, 95); !errors.Is(err, ErrOption) {
		t.Errorf("KaplanMeier with level 95: %v", err)
	}
	x := [][]float64{{1}, {0}, {1}, {0}}
	if _, err := CoxPH(tm, ev, x, []string{"x"}, "exact"); !errors.Is(err, ErrOption) {
		t.Errorf("CoxPH with ties exact: %v", err)
	}
}
