package report_test

import (
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/clinical"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/stats"
)

// The at-risk table under the KM figure: a header row with the times, then
// each group's numbers under them. Expected numbers: R 4.2.2 / survival
// 3.5.3, summary(survfit(Surv(time, status) ~ sex, lung), times = c(0, 250,
// 500, 750, 1000))$n.risk = 138 62 20 7 2 | 90 53 21 3 (and 0 at 1000, a
// time R leaves out once nobody is at risk).
func TestKMPlotAtRisk(t *testing.T) {
	_, km := lungBySex(t)
	svg := report.KMPlot(km, report.KMPlotOptions{TimeLabel: "days", AtRisk: []float64{0, 250, 500, 750, 1000}})
	table := svg[strings.Index(svg, "Number at risk"):]
	var got []string
	for _, m := range regexp.MustCompile(`text-anchor="middle">(\d+)</text>`).FindAllStringSubmatch(table, -1) {
		got = append(got, m[1])
	}
	if want := "0 250 500 750 1000 138 62 20 7 2 90 53 21 3 0"; strings.Join(got, " ") != want || !strings.Contains(table, ">time</text>") {
		t.Errorf("at-risk table %v, want %s", got, want)
	}
	// Times that are not axis ticks get their own tick marks.
	if n := strings.Count(svg, `stroke="#333" stroke-width="2"/>`); n != 5 {
		t.Errorf("%d at-risk tick marks, want 5", n)
	}
	// Times too close for their numbers: evenly spaced columns, no marks.
	svg = report.KMPlot(km, report.KMPlotOptions{AtRisk: []float64{0, 10, 20}})
	if n := strings.Count(svg, `stroke="#333" stroke-width="2"/>`); n != 0 {
		t.Errorf("crowded times drew %d tick marks", n)
	}
	if !strings.Contains(svg, "log-rank p = 0.00131") {
		t.Error("log-rank p missing")
	}
}

// Group names come from users' sheets: one holding a NUL, a byte that is
// not UTF-8 and markup still gives an SVG that parses as XML (a downloaded
// figure opens), with the markup as text. The expectation is XML 1.0's
// character rules (encoding/xml rejects a NUL or a stray byte).
func TestKMPlotHostileNames(t *testing.T) {
	_, km := lungBySex(t)
	km.Strata[0].Name = "sex=1\x00\xff<b>x</b>"
	svg := report.KMPlot(km, report.KMPlotOptions{Title: "title\x01\xfe", AtRisk: []float64{0, 500}})
	d := xml.NewDecoder(strings.NewReader(svg))
	d.Entity = xml.HTMLEntity
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG does not parse as XML: %v", err)
		}
	}
	if !strings.Contains(svg, "&lt;b&gt;x&lt;/b&gt;") {
		t.Error("the group's markup is not escaped")
	}
}

// lungBySex reads R's lung data (clinical/testdata) and its Kaplan-Meier
// curves by sex (log confidence intervals, 95 %).
func lungBySex(t *testing.T) (*clinical.Table, *clinical.KMResult) {
	t.Helper()
	lung, err := clinical.Read("../clinical/testdata/lung.csv")
	if err != nil {
		t.Fatal(err)
	}
	km, err := lung.KaplanMeier("time", "status", "sex", stats.ConfLog, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	return lung, km
}
