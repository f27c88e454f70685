package clinical

import (
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/formats/sheet"
)

func tableOf(t *testing.T, text string) *Table {
	sh, err := sheet.Parse(strings.NewReader(text), "c.csv")
	if err != nil {
		t.Fatal(err)
	}
	return &Table{sh}
}

// Event coding as R's Surv: 1/2 only when a 2 occurs; missing values dropped.
func TestOutcomeCoding(t *testing.T) {
	for _, c := range []struct {
		events string
		want   []bool
	}{
		{"1,1,1", []bool{true, true, true}},
		{"1,2,2", []bool{false, true, true}},
		{"0,1,0", []bool{false, true, false}},
		{"dead,alive,TRUE", []bool{true, false, true}},
	} {
		ev := strings.Split(c.events, ",")
		tb := tableOf(t, "time,event\n5,"+ev[0]+"\n6,"+ev[1]+"\n7,"+ev[2]+"\n")
		_, got, ok, err := tb.Outcome("time", "event")
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if got[i] != c.want[i] || !ok[i] {
				t.Errorf("%s: %v, want %v", c.events, got, c.want)
				break
			}
		}
	}
	tb := tableOf(t, "time,event\n5,1\nNA,1\n7,\n")
	_, _, ok, _ := tb.Outcome("time", "event")
	if rows, dropped := Keep(ok); len(rows) != 1 || dropped != 2 {
		t.Errorf("missing values: kept %v dropped %d", rows, dropped)
	}
	for _, bad := range []string{"time,event\n-1,1\n", "time,event\nx,1\n", "time,event\n5,maybe\n"} {
		if _, _, _, err := tableOf(t, bad).Outcome("time", "event"); err == nil || !strings.Contains(err.Error(), "c.csv line 2") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// Factor coding as R's model.matrix with treatment contrasts.
func TestDesignCoding(t *testing.T) {
	tb := tableOf(t, "risk,age,one\nAdverse,50,x\nFavorable,60,x\nIntermediate,NA,x\nFavorable,70,x\n")
	d, err := tb.Design([]string{"risk", "age"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(d.Names, ",") != "riskFavorable,riskIntermediate,age" {
		t.Errorf("names %v", d.Names)
	}
	if d.X[1][0] != 1 || d.X[1][1] != 0 || d.X[1][2] != 60 || d.OK[2] {
		t.Errorf("rows %v ok %v", d.X, d.OK)
	}
	d, _ = tb.Design([]string{"risk"}, map[string]string{"risk": "Intermediate"})
	if strings.Join(d.Names, ",") != "riskAdverse,riskFavorable" {
		t.Errorf("--ref names %v", d.Names)
	}
	if _, err := tb.Design([]string{"one"}, nil); err == nil || !strings.Contains(err.Error(), "single level") {
		t.Errorf("one-level covariate: %v", err)
	}
	if _, err := tb.Design([]string{"risk"}, map[string]string{"risk": "Low"}); err == nil {
		t.Error("unknown reference accepted")
	}
}
