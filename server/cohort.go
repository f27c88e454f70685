package server

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lsc-bio/lsc/clinical"
	"github.com/lsc-bio/lsc/plot"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/stats"
	"github.com/lsc-bio/lsc/stemcell"
	"github.com/lsc-bio/lsc/store"
)

// cohortView is the cohort dashboard's analyses under the diagnosis and
// therapy filters.
type cohortView struct {
	Diagnoses, Therapies []string // filter choices
	Diagnosis, Therapy   string   // chosen ("" = all)
	Endpoint             string   // "rfs" or "os"
	N                    int      // patients after the filters

	KM        template.HTML
	KMBands   []kmBand
	LogRankP  string
	KMMissing int // patients without a stem-like fraction at diagnosis or without follow-up

	Milestones []milestoneRow
	MileCounts []mileCount

	Flow      template.HTML
	FlowRows  []flowRow
	FlowTotal int // samples with the compartment; the figure and table show the first flowShown
	MileTotal int // patients with IS values; the table lists the first mileShown
}

// The dashboard lists at most this many flow samples and milestone rows
// (counts and curves use every patient); the cohort table API gives all.
const (
	flowShown = 60
	mileShown = 200
)

type kmBand struct {
	Band           string
	N, Events      int
	Median, Colour string
}

type milestoneRow struct {
	Patient string
	Cells   [3]mileCell
}

// mileCell is one milestone of one patient. Undetectable marks a sample
// without target copies; Value is then its detection limit (as lsc mrd
// assess reports it in patients.tsv), or "" when the store has none.
type mileCell struct {
	Status, Value, Sample string
	Undetectable          bool
}

type mileCount struct {
	Name                                        string
	Optimal, Warning, Failure, Undetectable, NA int
}

type flowRow struct {
	Patient, Sample, Timepoint, Value, CI string
}

// burdenBands are the risk bands of the dashboard (stem-like fraction at
// diagnosis, Costea et al.; as lsc stemcells labels them).
var burdenBands = stemcell.Bands{0.05, 0.15}

// filtered returns the study's courses that match the diagnosis and
// therapy filters (event details of diagnosis and therapy_start), and the
// choices for both filters.
func filterCourses(cs []store.Course, diagnosis, therapy string) (kept []store.Course, dxs, txs []string) {
	seenD, seenT := map[string]bool{}, map[string]bool{}
	for _, c := range cs {
		okD, okT := diagnosis == "", therapy == ""
		for _, e := range c.Events {
			switch e.Kind {
			case "diagnosis":
				if e.Detail != "" && !seenD[e.Detail] {
					seenD[e.Detail] = true
					dxs = append(dxs, e.Detail)
				}
				okD = okD || e.Detail == diagnosis
			case "therapy_start":
				if e.Detail != "" && !seenT[e.Detail] {
					seenT[e.Detail] = true
					txs = append(txs, e.Detail)
				}
				okT = okT || e.Detail == therapy
			}
		}
		if okD && okT {
			kept = append(kept, c)
		}
	}
	sort.Strings(dxs)
	sort.Strings(txs)
	return kept, dxs, txs
}

// outcome is a patient's survival time (days from day 0) and event: for
// relapse-free survival ("rfs") the first relapse or death, for overall
// survival ("os") death; otherwise censored at the latest follow-up
// (last_followup, or for os a relapse). ok is false without any of them.
func outcome(c store.Course, endpoint string) (t float64, event, ok bool) {
	first, last := math.Inf(1), math.Inf(-1)
	for _, e := range c.Events {
		if e.Day == nil {
			continue
		}
		d := *e.Day
		isEvent := e.Kind == "death" || (endpoint != "os" && e.Kind == "relapse")
		switch {
		case isEvent:
			first = math.Min(first, d)
		case e.Kind == "last_followup" || e.Kind == "relapse" || e.Kind == "death":
			last = math.Max(last, d)
		}
	}
	switch {
	case !math.IsInf(first, 1):
		return first, true, first >= 0
	case !math.IsInf(last, -1):
		return last, false, last >= 0
	}
	return 0, false, false
}

// survivalByBand fits Kaplan-Meier curves per stem-like band at diagnosis
// and the log-rank test between the bands (package stats, as R's survfit
// and survdiff). burden holds each patient's stem-like fraction at
// diagnosis.
func survivalByBand(cs []store.Course, burden map[string]float64, endpoint string) (*clinical.KMResult, int, error) {
	by := map[string][2][]float64{}
	ev := map[string][]bool{}
	missing := 0
	var allT []float64
	var allE []bool
	var allG []string
	for _, c := range cs {
		f, hasB := burden[c.Patient]
		t, e, ok := outcome(c, endpoint)
		if !hasB || !ok {
			missing++
			continue
		}
		b := burdenBands.Label(f)
		x := by[b]
		x[0] = append(x[0], t)
		by[b] = x
		ev[b] = append(ev[b], e)
		allT, allE, allG = append(allT, t), append(allE, e), append(allG, b)
	}
	res := &clinical.KMResult{Group: "stem-like at diagnosis"}
	for _, b := range []string{burdenBands.Label(0), burdenBands.Label(0.1), burdenBands.Label(1)} {
		if len(by[b][0]) == 0 {
			continue
		}
		k, err := stats.KaplanMeier(by[b][0], ev[b], stats.ConfLog, 0.95)
		if err != nil {
			return nil, missing, err
		}
		res.Strata = append(res.Strata, clinical.Stratum{Name: b, KM: k})
	}
	if len(res.Strata) >= 2 {
		lr, err := stats.LogRankTest(allT, allE, allG, nil)
		if err != nil {
			return nil, missing, err
		}
		res.LogRank = lr
	}
	return res, missing, nil
}

// ELN 2020 Table 5 milestones (% IS on the international scale, blood):
// optimal <= opt, failure > fail, warning between; at 3 months > 10 % is
// a warning, a failure when confirmed > 10 % 1-3 months later. As package
// mrd (lsc mrd assess) assesses them, from the store's is_percent points:
// the point nearest the milestone within 42 days of it, the milestone
// counted in calendar months from the first therapy start. An undetectable
// sample is optimal when its detection limit is at or below the optimal
// level, else not assessable (mrd.Assessment.milestone).
var elnMilestones = []struct {
	months    int
	opt, fail float64
}{{3, 10, math.Inf(1)}, {6, 1, 10}, {12, 0.1, 1}}

// isPoint is one blood IS measurement. value is its sample's level
// (replicate rows summed, as lsc mrd assess grades it) when the store has
// it (migration 0003), else the row's; limit is the sample's detection
// limit in % IS (NaN when not stored).
type isPoint struct {
	day, value, limit float64
	date, sample      string
	undetectable      bool
}

var bloodFractions = map[string]bool{"pb": true, "blood": true, "peripheral blood": true, "pb-mnc": true, "wbc": true}

// isPoints reads the blood IS points of each patient from a cohort table.
func isPoints(t *store.Table) map[string][]isPoint {
	col := map[string]int{}
	for i, h := range t.Header {
		col[h] = i
	}
	out := map[string][]isPoint{}
	for _, r := range t.Rows {
		if !bloodFractions[strings.ToLower(r[col["fraction"]])] {
			continue
		}
		d, err1 := strconv.ParseFloat(r[col["day"]], 64)
		v, err2 := strconv.ParseFloat(r[col["value"]], 64)
		pt := r[col["patient"]]
		if err1 != nil || err2 != nil {
			out[pt] = out[pt] // measured, but without a day: not assessable
			continue
		}
		lab := strings.ToLower(r[col["label"]])
		p := isPoint{day: d, value: v, limit: math.NaN(), date: r[col["date"]], sample: r[col["sample"]], undetectable: strings.Contains(lab, "undetect") || v == 0}
		if sv, err := strconv.ParseFloat(r[col["sample_value"]], 64); err == nil {
			p.value, p.undetectable = sv, sv == 0
		}
		if lim, err := strconv.ParseFloat(r[col["detection_limit"]], 64); err == nil {
			p.limit = lim
		}
		out[pt] = append(out[pt], p)
	}
	return out
}

// milestones assesses one patient; start is the first therapy start (day
// and date, date may be "").
func milestones(pts []isPoint, startDay float64, startDate string) [3]mileCell {
	var out [3]mileCell
	sd, dateErr := time.Parse("2006-01-02", startDate)
	for i, m := range elnMilestones {
		due := startDay + float64(m.months)*365.25/12
		if dateErr == nil {
			due = startDay + math.Round(sd.AddDate(0, m.months, 0).Sub(sd).Hours()/24)
		}
		best := -1
		for j, p := range pts {
			if d := math.Abs(p.day - due); d <= 42 && (best < 0 || d < math.Abs(pts[best].day-due)) {
				best = j
			}
		}
		if best < 0 {
			out[i] = mileCell{Status: "not assessable"}
			continue
		}
		p := pts[best]
		c := mileCell{Value: strconv.FormatFloat(p.value, 'g', 3, 64), Sample: p.date} // shown to 3 significant digits
		switch {
		case p.undetectable && math.IsNaN(p.limit): // imported before migration 0003: no sensitivity to grade by
			c.Status, c.Value, c.Undetectable = "undetectable", "", true
		case p.undetectable: // graded by its sensitivity (package mrd, milestone)
			c.Value, c.Undetectable = strconv.FormatFloat(p.limit, 'g', 3, 64), true
			c.Status = "not assessable"
			if p.limit <= m.opt*(1+1e-9) {
				c.Status = "optimal"
			}
		case p.value <= m.opt*(1+1e-9):
			c.Status = "optimal"
		case m.months == 3:
			c.Status = "warning"
			for _, q := range pts { // confirmed > 10 % within 1-3 months later
				if q.day >= p.day+28 && q.day <= p.day+92 && !q.undetectable && q.value > 10*(1+1e-9) {
					c.Status = "failure"
				}
			}
		case p.value <= m.fail*(1+1e-9):
			c.Status = "warning"
		default:
			c.Status = "failure"
		}
		out[i] = c
	}
	return out
}

// flowCompartment is the population whose size the dashboard shows.
const flowCompartment = "CD34+CD38-"

func (s *Server) cohort(r *http.Request, study string) (*cohortView, error) {
	q := r.URL.Query()
	v := &cohortView{Diagnosis: q.Get("diagnosis"), Therapy: q.Get("therapy"), Endpoint: q.Get("endpoint")}
	if v.Endpoint != "os" {
		v.Endpoint = "rfs"
	}
	all, err := s.cfg.Data.Courses(r.Context(), study)
	if err != nil {
		return nil, err
	}
	cs, dxs, txs := filterCourses(all, v.Diagnosis, v.Therapy)
	v.Diagnoses, v.Therapies, v.N = dxs, txs, len(cs)
	keep := map[string]bool{}
	for _, c := range cs {
		keep[c.Patient] = true
	}
	// Kaplan-Meier by stem-like band at diagnosis.
	tab, err := s.cfg.Data.Table(r.Context(), study, store.TableQuery{Metric: "stem_like_fraction", At: "diagnosis"})
	if err != nil {
		return nil, err
	}
	burden := map[string]float64{}
	for _, row := range tab.Rows {
		if f, err := strconv.ParseFloat(row[10], 64); err == nil {
			if _, seen := burden[row[0]]; !seen {
				burden[row[0]] = f
			}
		}
	}
	km, missing, err := survivalByBand(cs, burden, v.Endpoint)
	if err != nil {
		return nil, err
	}
	v.KMMissing = missing
	if len(km.Strata) > 0 {
		label := "relapse-free survival"
		if v.Endpoint == "os" {
			label = "overall survival"
		}
		v.KM = template.HTML(report.KMPlot(km, report.KMPlotOptions{TimeLabel: label + " (days from day 0)"}))
		for i, st := range km.Strata {
			med := "not reached"
			if !math.IsNaN(st.Median) {
				med = report.Num(st.Median) + " days"
			}
			v.KMBands = append(v.KMBands, kmBand{Band: st.Name, N: st.N, Events: st.Events, Median: med, Colour: plot.Palette[i%len(plot.Palette)]})
		}
		if km.LogRank != nil {
			v.LogRankP = report.FormatP(km.LogRank.P)
		}
	}
	// ELN milestones.
	is, err := s.cfg.Data.Table(r.Context(), study, store.TableQuery{Metric: "is_percent"})
	if err != nil {
		return nil, err
	}
	pts := isPoints(is)
	counts := make([]mileCount, 3)
	for i, m := range elnMilestones {
		counts[i].Name = fmt.Sprintf("%d months", m.months)
	}
	for _, c := range cs {
		if _, ok := pts[c.Patient]; !ok {
			continue
		}
		var start *store.Event
		for i, e := range c.Events {
			if e.Kind == "therapy_start" && e.Day != nil && (start == nil || *e.Day < *start.Day) {
				start = &c.Events[i]
			}
		}
		row := milestoneRow{Patient: c.Patient}
		if start == nil {
			for i := range row.Cells {
				row.Cells[i] = mileCell{Status: "not assessable"}
			}
		} else {
			date := ""
			if start.Date != nil {
				date = *start.Date
			}
			row.Cells = milestones(pts[c.Patient], *start.Day, date)
		}
		for i, cell := range row.Cells {
			switch cell.Status {
			case "optimal":
				counts[i].Optimal++
			case "warning":
				counts[i].Warning++
			case "failure":
				counts[i].Failure++
			case "undetectable":
				counts[i].Undetectable++
			default:
				counts[i].NA++
			}
		}
		v.MileTotal++
		if len(v.Milestones) < mileShown {
			v.Milestones = append(v.Milestones, row)
		}
	}
	if len(v.Milestones) > 0 {
		v.MileCounts = counts
	}
	// Flow compartment sizes.
	fl, err := s.cfg.Data.Table(r.Context(), study, store.TableQuery{Metric: "percent_parent", Assay: "flow"})
	if err != nil {
		return nil, err
	}
	v.FlowRows, v.Flow, v.FlowTotal = flowFigure(fl, keep)
	return v, nil
}

// flowFigure draws the CD34+CD38- compartment (% of CD34+ cells) of each
// sample with its 95 % interval.
func flowFigure(t *store.Table, keep map[string]bool) ([]flowRow, template.HTML, int) {
	type pt struct {
		label     string
		v, lo, hi float64
	}
	var rows []flowRow
	var pts []pt
	total := 0
	for _, r := range t.Rows {
		target := r[8]
		if target[strings.LastIndex(target, "/")+1:] != flowCompartment || !keep[r[0]] {
			continue
		}
		v, err := strconv.ParseFloat(r[10], 64)
		if err != nil {
			continue
		}
		total++
		if len(pts) == flowShown {
			continue
		}
		lo, e1 := strconv.ParseFloat(r[11], 64)
		hi, e2 := strconv.ParseFloat(r[12], 64)
		ci := ""
		if e1 != nil || e2 != nil {
			lo, hi = math.NaN(), math.NaN()
		} else {
			ci = report.Num(lo) + "–" + report.Num(hi)
		}
		rows = append(rows, flowRow{Patient: r[0], Sample: r[1], Timepoint: r[2], Value: report.Num(v), CI: ci})
		pts = append(pts, pt{r[0] + " · " + r[2], v, lo, hi})
	}
	if len(pts) == 0 {
		return nil, "", 0
	}
	c := plot.NewCanvas(640, 76+28*float64(len(pts)))
	c.Left, c.Bottom = 200, 48
	c.XMin, c.XMax = 0, 100
	c.YMin, c.YMax = -0.5, float64(len(pts))-0.5
	c.Axes(plot.NiceTicks(0, 100, 5), nil, "CD34+CD38- (% of CD34+ cells), 95% CI", "")
	for i, p := range pts {
		y := float64(len(pts) - 1 - i)
		py := plot.Px(c.Y(y))
		c.Raw(`<text x="%s" y="%s" font-size="11" text-anchor="end">%s</text>`+"\n", plot.Px(c.Left-6), plot.Px(c.Y(y)+4), plot.Esc(p.label))
		if !math.IsNaN(p.lo) {
			c.Raw(`<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`+"\n", plot.Px(c.X(p.lo)), plot.Px(c.X(p.hi)), py, py, plot.Palette[0])
		}
		c.Marker(p.v, y, "circle", plot.Palette[0], fmt.Sprintf("%s: %s%% of CD34+", p.label, report.Num(p.v)))
	}
	return rows, template.HTML(c.SVG()), total
}
