package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/lsc-bio/lsc/plot"
	"github.com/lsc-bio/lsc/store"
)

// laneKey groups series into lanes: one lane per assay, metric and
// fraction (a lane has one unit and one y axis).
type laneKey struct{ assay, metric, fraction string }

var metricNames = map[string]string{
	"is_percent": "BCR::ABL1 IS", "ratio_percent": "transcript ratio", "stem_like_fraction": "stem-like cells",
	"percent_parent": "% of parent", "percent_total": "% of all events", "clone_fraction": "FISH clone", "score": "signature score",
}

// TimelineFigure turns a store timeline into the lanes of plot.Timeline:
// therapy start/stop pairs become shaded spans, other events marks,
// points without a day are left out (and listed as undated on the page).
// href, when not nil, gives the page each point opens (its sample's; ""
// for none).
func TimelineFigure(t *store.Timeline, href func(p store.Point) string) (lanes []plot.Lane, spans []plot.Span, marks []plot.Mark, skipped int) {
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
				YLabel: withUnit(name, unit), Log: s.Metric == "is_percent" || s.Metric == "ratio_percent"}
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
			// The legend's second row already says "(model projection)".
			sc := strings.TrimPrefix(s.Scenario, "model projection: ")
			if ls.Name == "" {
				ls.Name = sc
			} else {
				ls.Name += " · " + sc
			}
		}
		for _, p := range s.Points {
			// An undetectable qPCR value is drawn as an open triangle at its
			// detection limit (the sample's sensitivity) when the store has it.
			undetectable := p.Value != nil && *p.Value == 0 && p.DetectionLimit != nil && *p.DetectionLimit > 0
			if p.Day == nil || p.Value == nil || (l.Log && *p.Value <= 0 && !undetectable) {
				skipped++
				continue
			}
			lp := plot.LanePoint{X: *p.Day, Y: *p.Value, Lo: math.NaN(), Hi: math.NaN(), Title: pointTitle(s, p)}
			if href != nil {
				lp.Href = href(p)
			}
			if p.Lower != nil && p.Upper != nil {
				lp.Lo, lp.Hi = *p.Lower, *p.Upper
			}
			lp.Below = strings.Contains(strings.ToLower(p.Label), "undetect") || undetectable
			if undetectable {
				lp.Y = *p.DetectionLimit
			}
			ls.Points = append(ls.Points, lp)
		}
		if len(ls.Points) > 0 {
			l.Series = append(l.Series, ls)
		}
	}
	// A projection lane (lsc twin: BCR::ABL1 % or CAR-T levels) spanning
	// more than two decades is drawn on a log axis, as measured % lanes are.
	for _, k := range keys {
		l := byKey[k]
		if l.Log || !strings.HasPrefix(l.Title, "projection") {
			continue
		}
		lo, hi := math.Inf(1), 0.0
		for _, ls := range l.Series {
			for _, p := range ls.Points {
				lo, hi = math.Min(lo, p.Y), math.Max(hi, p.Y)
			}
		}
		if lo > 0 && hi > 100*lo {
			l.Log = true
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
	// Written piece by piece (no fmt): a patient figure has hundreds of
	// points, each with its title.
	var b strings.Builder
	b.Grow(160)
	put := func(ss ...string) {
		for _, x := range ss {
			b.WriteString(x)
		}
	}
	put(s.Target, " ", s.Metric, ": ", Num(*p.Value), " ", s.Unit)
	if p.Lower != nil && p.Upper != nil {
		put(" (95% CI ", Num(*p.Lower), "–", Num(*p.Upper), ")")
	}
	if p.Label != "" {
		put(" · ", p.Label)
	}
	if p.Date != nil {
		put(" · ", *p.Date)
	}
	if *p.Value == 0 && p.DetectionLimit != nil {
		put(" · undetectable, detection limit ", Num(*p.DetectionLimit), " ", s.Unit)
	}
	put(" · day ", Num(*p.Day), " · sample ", p.Sample, " · run ", p.Run)
	if p.File != "" {
		put(" · ", p.File, " line ", strconv.Itoa(p.Line))
	}
	if s.Kind == "projection" {
		put(" · research model projection, not a measurement")
	}
	return b.String()
}

var timelinePage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("timeline").Funcs(template.FuncMap{
		"deref": func(s *string) string {
			if s == nil {
				return ""
			}
			return *s
		},
		"num": func(v *float64) string {
			if v == nil {
				return ""
			}
			return Num(*v)
		},
	}).Parse(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Patient {{.T.Patient}} · lsc timeline</title>
<style>{{.CSS}}</style></head><body>
<h1>Patient {{.T.Patient}}</h1>
<p class="meta">lsc {{.Version}} · day 0 = {{.T.Day0Event}}{{if .T.Day0}} on {{.T.Day0}}{{end}} · research use: results support, and do not replace, clinical judgement.</p>
{{.SVG}}
<p class="meta">One lane per assay, metric and sorted fraction; whiskers are 95% confidence intervals; open triangles are
below the detection limit; shaded spans are therapy lines; dashed lines with a band are research-model projections, not measurements.
{{if .Skipped}}{{.Skipped}} value(s) without a day or a plottable number are in the table but not drawn.{{end}}</p>
<h2>Events</h2><table><tr><th>date</th><th>day</th><th>event</th><th>detail</th></tr>
{{range .T.Events}}<tr><td>{{deref .Date}}</td><td>{{num .Day}}</td><td>{{.Kind}}</td><td>{{.Detail}}</td></tr>{{end}}</table>
<h2>Values</h2><table><tr><th>series</th><th>date</th><th>day</th><th>value</th><th>95% CI</th><th>label</th><th>sample</th><th>run</th></tr>
{{range $s := .T.Series}}{{range .Points}}<tr><td>{{if eq $s.Kind "projection"}}model projection: {{end}}{{$s.Assay}} {{$s.Metric}} {{$s.Fraction}} {{$s.Target}}</td>
<td>{{deref .Date}}</td><td>{{num .Day}}</td><td>{{num .Value}} {{$s.Unit}}</td><td>{{if .Lower}}{{num .Lower}}–{{num .Upper}}{{end}}</td><td>{{.Label}}</td><td>{{.Sample}}</td><td>{{.Run}}</td></tr>{{end}}{{end}}</table>
</body></html>
`))
})

// TimelineHTML writes a self-contained page of one patient's timeline: the
// figure, the events and every value with its sample and run.
func TimelineHTML(w io.Writer, t *store.Timeline, version string) error {
	lanes, spans, marks, skipped := TimelineFigure(t, nil)
	svg := plot.Timeline(lanes, spans, marks, plot.TimelineOptions{XLabel: "days from " + t.Day0Event})
	return timelinePage().Execute(w, struct {
		T       *store.Timeline
		SVG     template.HTML // built by plot, text escaped
		CSS     template.CSS
		Version string
		Skipped int
	}{t, template.HTML(svg), css() + template.CSS(plot.TipCSS), version, skipped})
}

// withUnit labels an axis "name (unit)", or just the name without a unit.
func withUnit(name, unit string) string {
	if unit == "" {
		return name
	}
	return strings.TrimSpace(name + " (" + unit + ")")
}
