package plot

import (
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func demoTimeline() ([]Lane, []Span, []Mark) {
	nan := math.NaN()
	blood := LaneSeries{Name: "PB BCR::ABL1", Points: []LanePoint{
		{X: 0, Y: 52, Lo: nan, Hi: nan, Title: "day 0: 52 %"}, {X: 91, Y: 4.1, Lo: nan, Hi: nan}, {X: 182, Y: 0.62, Lo: nan, Hi: nan},
		{X: 365, Y: 0.08, Lo: nan, Hi: nan}, {X: 730, Y: 0.004, Below: true, Lo: nan, Hi: nan}}}
	stem := LaneSeries{Name: "CD34+CD38- BCR::ABL1", Points: []LanePoint{{X: 0, Y: 61, Lo: nan, Hi: nan}, {X: 365, Y: 22, Lo: nan, Hi: nan}, {X: 730, Y: 18, Lo: nan, Hi: nan}}}
	proj := LaneSeries{Name: "PB biphasic fit", Projection: true, Points: []LanePoint{{X: 730, Y: 0.004, Lo: 0.002, Hi: 0.008}, {X: 1095, Y: 0.001, Lo: 0.0003, Hi: 0.004}}}
	fish := LaneSeries{Name: "del(5q) FISH", Points: []LanePoint{{X: 0, Y: 78, Lo: 72.1, Hi: 83.2}, {X: 182, Y: 12, Lo: 8.5, Hi: 16.3}, {X: 730, Y: 9, Lo: 6.1, Hi: 12.7}}}
	lanes := []Lane{
		{ID: "qpcr", Title: "BCR::ABL1 by qPCR", YLabel: "IS (%)", Log: true, Series: []LaneSeries{blood, stem, proj},
			RefLines: []RefLine{{Y: 0.1, Label: "MMR 0.1%"}, {Y: 0.01, Label: "MR4 0.01%"}, {Y: 0.0032, Label: "MR4.5 0.0032%"}}},
		{ID: "fish", Title: "FISH clone", YLabel: "abnormal nuclei (%)", Series: []LaneSeries{fish}},
	}
	spans := []Span{{From: 0, To: 540, Label: "imatinib (line 1)"}, {From: 540, To: 1095, Label: "nilotinib (line 2)"}}
	marks := []Mark{{X: 0, Label: "diagnosis"}, {X: 91, Label: "3 mo"}, {X: 100, Label: "response assessment"}, {X: 540, Label: "switch"}}
	return lanes, spans, marks
}

// The plotted points read back from the SVG equal the values given.
func TestTimelinePointsReadBack(t *testing.T) {
	lanes, spans, marks := demoTimeline()
	svg := Timeline(lanes, spans, marks, TimelineOptions{XLabel: "days from diagnosis"})
	if p := os.Getenv("LSC_WRITE_FIGURES"); p != "" {
		os.WriteFile(p+"/timeline.svg", []byte(svg), 0o644)
	}
	re := regexp.MustCompile(`data-lane="([^"]+)" data-series="([^"]+)" data-x="([^"]+)" data-y="([^"]+)"`)
	got := re.FindAllStringSubmatch(svg, -1)
	var want [][2]float64
	for _, l := range lanes {
		for _, s := range l.Series {
			if s.Projection {
				continue
			}
			for _, p := range s.Points {
				want = append(want, [2]float64{p.X, p.Y})
			}
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d points drawn, %d given", len(got), len(want))
	}
	for i, m := range got {
		x, _ := strconv.ParseFloat(m[3], 64)
		y, _ := strconv.ParseFloat(m[4], 64)
		if x != want[i][0] || y != want[i][1] {
			t.Errorf("point %d: (%v, %v), want %v", i, x, y, want[i])
		}
	}
	if !strings.Contains(svg, "(model projection)") || !strings.Contains(svg, `stroke-dasharray="6 4"`) {
		t.Error("projection not marked")
	}
	// event labels that would overlap go on separate rows
	rows := markRows(marks, 0, 1095, 960, func(x float64) float64 { return 78 + x/1095*712 })
	if rows[1] == rows[2] {
		t.Errorf("labels at day 91 and 100 share row %d", rows[1])
	}
}
