package clinical

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/formats/sheet"
	"github.com/lsc-bio/lsc/stats"
)

// The delimiter comes from the header, not the file name: the first six rows
// of survival's lung data (time, status, sex) written tab-separated and
// semicolon-separated under a .csv name read as the same table, and give
// the same Kaplan-Meier curve as the comma-separated lung.csv rows.
func TestReadDelimiterFromHeader(t *testing.T) {
	var want []stats.KMRow
	for _, f := range []string{"testdata/tab_named.csv", "testdata/semicolon.csv"} {
		tb, err := Read(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !reflect.DeepEqual(tb.Header, []string{"time", "status", "sex"}) || len(tb.Rows) != 6 || tb.Path != f {
			t.Fatalf("%s: header %q, %d rows, path %s", f, tb.Header, len(tb.Rows), tb.Path)
		}
		km, err := tb.KaplanMeier("time", "status", "", stats.ConfLog, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		want = km.Strata[0].Rows
	}
	lung, err := Read("testdata/lung.csv")
	if err != nil {
		t.Fatal(err)
	}
	lung.Rows = lung.Rows[:6]
	km, err := lung.KaplanMeier("time", "status", "", stats.ConfLog, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(km.Strata[0].Rows, want) {
		t.Errorf("curves differ:\n%v\n%v", km.Strata[0].Rows, want)
	}
	// Errors name the file as given.
	if _, err := Read("testdata/lung.csv"); err != nil {
		t.Fatal(err)
	}
	bad := t.TempDir() + "/bad.csv"
	os.WriteFile(bad, []byte("a\tb\n1\t2\t3\n"), 0o644)
	if _, err := Read(bad); err == nil || !strings.HasPrefix(err.Error(), bad+" line 2") {
		t.Errorf("bad row: %v", err)
	}
	if _, err := lung.KaplanMeier("days", "status", "", stats.ConfLog, 0.95); !errors.Is(err, ErrNoColumn) {
		t.Errorf("unknown column: %v", err)
	}
}

// A time column empty for every censored patient (days_to_death) is refused
// with an explanation, not silently dropped as missing. censored_times.csv is
// a hand-made table in TCGA's layout: 4 alive patients without
// days_to_death, 6 dead of whom one lacks it.
func TestMissingTimesOfCensored(t *testing.T) {
	tb, err := Read("testdata/censored_times.csv")
	if err != nil {
		t.Fatal(err)
	}
	_, err = tb.KaplanMeier("days_to_death", "vital_status", "", stats.ConfLog, 0.95)
	pe, ok := formats.AsParseError(err)
	if !errors.Is(err, ErrMissingTimes) || !ok || pe.Line != 3 {
		t.Fatalf("got %v", err)
	}
	for _, s := range []string{"4 of the 4 censored", "days_to_last_follow_up", "time to last contact"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("message lacks %q: %v", s, err)
		}
	}
	// The same check guards log-rank and Cox.
	if _, err := tb.Cox("days_to_death", "vital_status", []string{"age"}, nil, stats.Efron); !errors.Is(err, ErrMissingTimes) {
		t.Errorf("cox: %v", err)
	}
	// The mirror case: follow-up time empty for every death.
	if _, err := tb.KaplanMeier("days_to_last_follow_up", "vital_status", "", stats.ConfLog, 0.95); !errors.Is(err, ErrMissingTimes) ||
		!strings.Contains(err.Error(), "6 of the 6 event") {
		t.Errorf("follow-up column: %v", err)
	}
	// A few rows without a time are ordinary missing values: counted, not refused.
	few := tableOf(t, "time,event\n1,1\n2,0\n3,1\n,0\n5,0\n6,1\n7,0\n")
	km, err := few.KaplanMeier("time", "event", "", stats.ConfLog, 0.95)
	if err != nil || km.Dropped != 1 {
		t.Errorf("one missing time: %v %+v", err, km)
	}
}

// TCGA-LAML (Zeng et al. 2022 copy): days_to_death is empty for all 59
// patients alive at last contact (and for 11 of 114 dead), as the issue
// reports (n = 103, 103 events before the fix).
func TestMissingTimesTCGA(t *testing.T) {
	const path = "../../shared/testdata/leukemia/amlhierarchies_zeng2022/TCGA_Clinical_anno.csv"
	if _, err := os.Stat(path); err != nil {
		t.Skip("../shared/testdata absent")
	}
	tb, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tb.KaplanMeier("days_to_death", "vital_status", "", stats.ConfLog, 0.95)
	if !errors.Is(err, ErrMissingTimes) || !strings.Contains(err.Error(), "59 of the 59 censored") || !strings.Contains(err.Error(), "days_to_last_followup") {
		t.Errorf("got %v", err)
	}
}

// Any table text gives an analysis or an error, never a panic.
func FuzzOutcome(f *testing.F) {
	f.Add("time,event\n1,1\n2,0\n,0\n")
	f.Add("time\tevent\tg\n5\tdead\ta\n6\talive\tb\n\talive\tb\n")
	f.Add("time;event\n1;2\n2;1\nNA;1\n")
	f.Fuzz(func(t *testing.T, text string) {
		sh, err := sheet.Parse(strings.NewReader(text), "fuzz")
		if err != nil {
			return
		}
		tb := &Table{sh}
		tb.KaplanMeier("time", "event", "", stats.ConfLog, 0.95)
		if len(tb.Header) > 2 {
			tb.KaplanMeier("time", "event", tb.Header[2], stats.ConfPlain, 0.9)
			tb.Cox("time", "event", []string{tb.Header[2]}, nil, stats.Breslow)
		}
	})
}
