package report

import (
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/store"
)

// An undetectable qPCR value with a stored detection limit is drawn as an
// open triangle at the limit (P4's 0/6,000 + 0/6,000 ABL1 replicates:
// 100/12,000 %, mrd/testdata/README.md); without a limit it is left out
// (log axis); every point's hover text names its file and line.
func TestTimelineFigureUndetectable(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	d := "2022-01-01"
	tl := &store.Timeline{Patient: "P4", Series: []store.Series{{Assay: "qpcr", Metric: "is_percent", Fraction: "PB", Target: "BCR::ABL1", Unit: "%",
		Points: []store.Point{
			{Date: &d, Day: f(92), Value: f(0), Label: "MR4", Sample: "2022-01-01 PB", Run: "r", File: "measurements.tsv", Line: 17, DetectionLimit: f(100.0 / 12000)},
			{Date: &d, Day: f(92), Value: f(0), Label: "MR4", Sample: "2022-01-01 PB", Run: "r", File: "measurements.tsv", Line: 18},
			{Date: &d, Day: f(123), Value: f(0.005), Label: "MR4.5", Sample: "2022-02-01 PB", Run: "r", File: "measurements.tsv", Line: 19, DetectionLimit: f(0.0025)},
		}}}}
	lanes, _, _, skipped := TimelineFigure(tl, nil)
	if skipped != 1 || len(lanes) != 1 || len(lanes[0].Series[0].Points) != 2 {
		t.Fatalf("skipped %d, lanes %+v", skipped, lanes)
	}
	p, q := lanes[0].Series[0].Points[0], lanes[0].Series[0].Points[1]
	if !p.Below || p.Y != 100.0/12000 || !strings.Contains(p.Title, "undetectable, detection limit 0.008333333333333333 %") || !strings.Contains(p.Title, "measurements.tsv line 17") {
		t.Errorf("undetectable point %+v", p)
	}
	if q.Below || q.Y != 0.005 || strings.Contains(q.Title, "undetectable") || !strings.Contains(q.Title, "measurements.tsv line 19") {
		t.Errorf("detectable point %+v", q)
	}
}
