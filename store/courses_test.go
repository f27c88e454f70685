package store

import (
	"context"
	"encoding/json"
	"testing"
)

// Courses gives each patient the events of its Timeline, byte for byte.
func TestCoursesEqualTimelines(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		importFixture(t, st)
		ctx := context.Background()
		cs, err := st.Courses(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		ps, _ := st.Patients(ctx, "", Page{})
		if len(cs) != len(ps) {
			t.Fatalf("%d courses, %d patients", len(cs), len(ps))
		}
		for i, c := range cs {
			if c.Patient != ps[i].Pseudonym {
				t.Errorf("course %d is %s, patient %s", i, c.Patient, ps[i].Pseudonym)
			}
			tl, err := st.Timeline(ctx, "", c.Patient)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(c.Events)
			b, _ := json.Marshal(tl.Events)
			if string(a) != string(b) || c.Day0Event != tl.Day0Event {
				t.Errorf("%s: courses %s %s\ntimeline %s %s", c.Patient, c.Day0Event, a, tl.Day0Event, b)
			}
		}
		if _, err := st.Courses(ctx, "nope"); err == nil {
			t.Error("unknown study: no error")
		}
	})
}
