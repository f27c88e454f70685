package server

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/lsc-bio/lsc/plot"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/store"
)

// laneKey groups series into lanes: one lane per assay, metric and
// fraction (a lane has one unit and one y axis).
type laneKey struct{ assay, metric, fraction string }

var metricNames = map[string]string{
	"is_percent": "BCR::ABL1 IS", "ratio_percent": "transcript ratio", "stem_like_fraction": "stem-like cells",
	"percent_parent": "% of parent", "percent_total": "% of all events", "clone_fraction": "FISH clone", "score": "signature score",
}

// timelineFigure turns a store timeline into the lanes of plot.Timeline:
// therapy start/stop pairs become shaded spans, other events marks,
// points without a day are left out (and listed as undated on the page).
func timelineFigure(t *store.Timeline) (lanes []plot.Lane, spans []plot.Span, marks []plot.Mark, skipped int) {
	byKey := map[laneKey]*plot.Lane{}
	var keys []laneKey
	for _, s := range t.Series {
		k := laneKey{s.Assay, s.Metric, s.Fraction}
		l := byKey[k]
		if l == nil {
			name := metricNames[s.Metric]
			if name == "" {
				name = s.Metric
			}
			unit := s.Unit
			if s.Metric == "stem_like_fraction" && unit == "" {
				unit = "fraction"
			}
			l = &plot.Lane{ID: laneID(k), Title: fmt.Sprintf("%s · %s · %s", s.Assay, name, s.Fraction),
				YLabel: strings.TrimSpace(name + " (" + unit + ")"), Log: s.Metric == "is_percent" || s.Metric == "ratio_percent"}
			if s.Metric == "is_percent" {
				l.RefLines = []plot.RefLine{{Y: 0.1, Label: "MMR 0.1%"}, {Y: 0.01, Label: "MR4 0.01%"}, {Y: 0.0032, Label: "MR4.5 0.0032%"}}
			}
			byKey[k] = l
			keys = append(keys, k)
		}
		name := s.Target
		if s.Assay == "flow" && strings.Contains(name, "/") { // a population path: its last gate names it
			name = name[strings.LastIndex(name, "/")+1:]
		}
		ls := plot.LaneSeries{Name: name, Projection: s.Kind == "projection"}
		if ls.Projection && s.Scenario != "" {
			ls.Name += " · " + s.Scenario
		}
		for _, p := range s.Points {
			if p.Day == nil || p.Value == nil || (l.Log && *p.Value <= 0) {
				skipped++
				continue
			}
			lp := plot.LanePoint{X: *p.Day, Y: *p.Value, Lo: math.NaN(), Hi: math.NaN(), Title: pointTitle(s, p)}
			if p.Lower != nil && p.Upper != nil {
				lp.Lo, lp.Hi = *p.Lower, *p.Upper
			}
			lp.Below = strings.Contains(strings.ToLower(p.Label), "undetect")
			ls.Points = append(ls.Points, lp)
		}
		if len(ls.Points) > 0 {
			l.Series = append(l.Series, ls)
		}
	}
	sort.SliceStable(keys, func(i, j int) bool { return laneOrder(keys[i]) < laneOrder(keys[j]) })
	for _, k := range keys {
		if len(byKey[k].Series) > 0 {
			lanes = append(lanes, *byKey[k])
		}
	}
	open := map[string]float64{}
	var last float64
	for _, e := range t.Events {
		if e.Day == nil {
			continue
		}
		last = math.Max(last, *e.Day)
		switch e.Kind {
		case "therapy_start":
			open[e.Detail] = *e.Day
		case "therapy_stop":
			if from, ok := open[e.Detail]; ok {
				spans = append(spans, plot.Span{From: from, To: *e.Day, Label: e.Detail})
				delete(open, e.Detail)
			}
		default:
			marks = append(marks, plot.Mark{X: *e.Day, Label: strings.ReplaceAll(e.Kind, "_", " ")})
		}
	}
	for _, l := range lanes {
		for _, s := range l.Series {
			for _, p := range s.Points {
				last = math.Max(last, p.X)
			}
		}
	}
	var names []string
	for d := range open {
		names = append(names, d)
	}
	sort.Strings(names)
	for _, d := range names { // still running: shaded to the last day shown
		spans = append(spans, plot.Span{From: open[d], To: last, Label: d + " (ongoing)"})
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].From < spans[j].From })
	return lanes, spans, marks, skipped
}

func laneOrder(k laneKey) string {
	rank := map[string]string{"single-cell": "0", "scrna": "0", "flow": "1", "qpcr": "2", "fish": "3"}[k.assay]
	if rank == "" {
		rank = "4"
	}
	return rank + k.assay + "\x00" + k.metric + "\x00" + k.fraction
}

func laneID(k laneKey) string {
	var b strings.Builder
	for _, r := range strings.ToLower(k.assay + "-" + k.metric + "-" + k.fraction) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+':
			b.WriteString("pos")
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

func pointTitle(s store.Series, p store.Point) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s %s", s.Target, s.Metric, report.Num(*p.Value), s.Unit)
	if p.Lower != nil && p.Upper != nil {
		fmt.Fprintf(&b, " (95%% CI %s–%s)", report.Num(*p.Lower), report.Num(*p.Upper))
	}
	if p.Label != "" {
		b.WriteString(" · " + p.Label)
	}
	if p.Date != nil {
		b.WriteString(" · " + *p.Date)
	}
	fmt.Fprintf(&b, " · day %s · sample %s · run %s", report.Num(*p.Day), p.Sample, p.Run)
	if s.Kind == "projection" {
		b.WriteString(" · research model projection, not a measurement")
	}
	return b.String()
}
