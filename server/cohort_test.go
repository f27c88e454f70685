package server

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/formats/sheet"
	"github.com/lsc-bio/lsc/store"
)

func ev(kind string, day float64, detail string) store.Event {
	return store.Event{Kind: kind, Day: &day, Detail: detail}
}

// Hand-made cohort: three patients per stem-like band; expected medians
// and log-rank p from R 4.2.2, survival 3.5.3:
//
//	d <- data.frame(t=c(100,200,300,50,150,250,30,60,90), e=c(1,0,1,1,1,0,1,1,1), g=rep(c("a","b","c"), each=3))
//	1-pchisq(survdiff(Surv(t,e)~g, data=d)$chisq, 2)  # 0.064258906525370696
//	summary(survfit(Surv(t,e)~g, data=d))$table[,"median"]  # 300 150 60
//	# overall survival: t=c(100,200,300,50,150,250,30,80,90), e=c(0,0,1,0,0,0,0,1,1): p 0.030447982682347496,
//	# medians 300 NA 85 (S = 0.5 exactly from day 80 to 90: R takes the midpoint)
func TestSurvivalByBand(t *testing.T) {
	cs := []store.Course{
		{Patient: "a1", Events: []store.Event{ev("diagnosis", 0, "AML"), ev("relapse", 100, "")}},
		{Patient: "a2", Events: []store.Event{ev("last_followup", 200, "")}},
		{Patient: "a3", Events: []store.Event{ev("death", 300, "")}},
		{Patient: "b1", Events: []store.Event{ev("relapse", 50, "")}},
		{Patient: "b2", Events: []store.Event{ev("relapse", 150, "")}},
		{Patient: "b3", Events: []store.Event{ev("last_followup", 250, "")}},
		{Patient: "c1", Events: []store.Event{ev("relapse", 30, "")}},
		{Patient: "c2", Events: []store.Event{ev("relapse", 60, ""), ev("death", 80, "")}},
		{Patient: "c3", Events: []store.Event{ev("death", 90, "")}},
		{Patient: "x", Events: []store.Event{ev("diagnosis", 0, "AML")}}, // no follow-up
		{Patient: "y", Events: []store.Event{ev("death", 10, "")}},       // no burden
	}
	burden := map[string]float64{"a1": 0.01, "a2": 0.05, "a3": 0.03, "b1": 0.10, "b2": 0.15, "b3": 0.06, "c1": 0.2, "c2": 0.9, "c3": 0.16, "x": 0.5}
	for _, c := range []struct {
		endpoint string
		p        float64
		medians  string
	}{{"rfs", 0.064258906525370696, "<=5%:300 5%-15%:150 >15%:60"}, {"os", 0.030447982682347496, "<=5%:300 5%-15%:NaN >15%:85"}} {
		km, missing, err := survivalByBand(cs, burden, c.endpoint)
		if err != nil {
			t.Fatal(err)
		}
		if missing != 2 {
			t.Errorf("%s: %d left out, want 2", c.endpoint, missing)
		}
		var med []string
		for _, s := range km.Strata {
			med = append(med, s.Name+":"+strconv.FormatFloat(s.Median, 'g', -1, 64))
		}
		if got := strings.Join(med, " "); got != c.medians {
			t.Errorf("%s medians %s, want %s", c.endpoint, got, c.medians)
		}
		if km.LogRank == nil || math.Abs(km.LogRank.P-c.p) > 1e-9*c.p {
			t.Errorf("%s log-rank %+v, want p %v", c.endpoint, km.LogRank, c.p)
		}
	}
}

func TestFilterCourses(t *testing.T) {
	cs := []store.Course{
		{Patient: "p1", Events: []store.Event{ev("diagnosis", 0, "CML-CP"), ev("therapy_start", 0, "imatinib")}},
		{Patient: "p2", Events: []store.Event{ev("diagnosis", 0, "CML-CP"), ev("therapy_start", 0, "imatinib"), ev("therapy_start", 400, "nilotinib")}},
		{Patient: "p3", Events: []store.Event{ev("diagnosis", 0, "AML")}},
	}
	names := func(cs []store.Course) string {
		var s []string
		for _, c := range cs {
			s = append(s, c.Patient)
		}
		return strings.Join(s, ",")
	}
	for _, c := range []struct{ dx, tx, want string }{{"", "", "p1,p2,p3"}, {"CML-CP", "", "p1,p2"}, {"", "nilotinib", "p2"}, {"AML", "imatinib", ""}} {
		kept, dxs, txs := filterCourses(cs, c.dx, c.tx)
		if names(kept) != c.want || strings.Join(dxs, ",") != "AML,CML-CP" || strings.Join(txs, ",") != "imatinib,nilotinib" {
			t.Errorf("%q/%q: %s (choices %v %v)", c.dx, c.tx, names(kept), dxs, txs)
		}
	}
}

// The dashboard's ELN milestones on the store fixture agree with what
// lsc mrd assess wrote for the same measurements
// (store/testdata/study/mrd/patients.tsv, lsc mrd assess on
// mrd/testdata, see store/testdata/study/README.md): same status, sample
// date, detectability and IS % at 3, 6 and 12 months, undetectable
// samples included (graded by the sensitivity stored since migration
// 0003; mrd assess reports the sensitivity as the IS %).
func TestMilestonesMatchMRDAssess(t *testing.T) {
	_, st, study := studyServer(t)
	s := &Server{cfg: Config{Data: st}}
	v, err := s.cohort(httptest.NewRequest("GET", "/studies/"+study, nil), study)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := sheet.Read(filepath.Join("..", "store", "testdata", "study", "mrd", "patients.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]milestoneRow{}
	for _, m := range v.Milestones {
		got[m.Patient] = m
	}
	checked, undetectable := 0, 0
	for _, r := range ref.Rows {
		p := r.Get(ref.Col("patient"))
		m, ok := got[p]
		if !ok { // no blood IS value on the dashboard: mrd assess found none assessable either
			for _, pre := range []string{"m3", "m6", "m12"} {
				if s := r.Get(ref.Col(pre + "_status")); s != "not assessable" && s != "not applicable" {
					t.Errorf("%s %s: not on the dashboard, %s in mrd assess", p, pre, s)
				}
			}
			continue
		}
		for i, pre := range []string{"m3", "m6", "m12"} {
			status, isp, det := r.Get(ref.Col(pre+"_status")), r.Get(ref.Col(pre+"_is_percent")), r.Get(ref.Col(pre+"_detectable"))
			c := m.Cells[i]
			if (det == "no") != c.Undetectable {
				t.Errorf("%s %s: undetectable %v here, detectable %q in mrd assess", p, pre, c.Undetectable, det)
			}
			if c.Sample != r.Get(ref.Col(pre+"_sample")) {
				t.Errorf("%s %s: sample of %s here, %s in mrd assess", p, pre, c.Sample, r.Get(ref.Col(pre+"_sample")))
			}
			if c.Undetectable {
				undetectable++
			}
			if c.Status != status {
				t.Errorf("%s %s: %s, mrd assess %s", p, pre, c.Status, status)
				continue
			}
			if isp != "" {
				a, _ := strconv.ParseFloat(isp, 64)
				b, _ := strconv.ParseFloat(c.Value, 64)
				if math.Abs(a-b) > 5e-3*a { // the page shows 3 significant digits
					t.Errorf("%s %s: IS %s, mrd assess %s", p, pre, c.Value, isp)
				}
			}
			checked++
		}
	}
	if checked < 10 || undetectable < 2 { // P1 x2, P2 x3, P3 x3, P4 x2 (both undetectable), P5 x3
		t.Errorf("only %d milestones compared, %d undetectable", checked, undetectable)
	}
	// flow compartment: P2's CD34+CD38- % of CD34+ from compartments.tsv
	if len(v.FlowRows) == 0 || v.FlowRows[0].Patient != "P2" || v.FlowRows[0].Value != "51.27388535031847" {
		t.Errorf("flow rows %+v", v.FlowRows)
	}
	// filters: AML patients have no IS measurements
	v, _ = s.cohort(httptest.NewRequest("GET", "/studies/"+study+"?diagnosis=AML", nil), study)
	if len(v.Milestones) != 0 || v.N != 5 {
		t.Errorf("AML filter: %d patients, %d milestone rows", v.N, len(v.Milestones))
	}
}

// The filtered dashboard answers a member and hides the study from an
// outsider (404, as for a study that does not exist).
func TestCohortDashboardRefused(t *testing.T) {
	ts, st, study := studyServer(t)
	h, _ := auth.HashPassword("olga-password", testParams, nil)
	if _, err := st.AddUser(context.Background(), "olga", h, "other", auth.Admin); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		user string
		want int
	}{{"alice", 200}, {"olga", 404}} {
		cl := &http.Client{Jar: newJar()}
		resp, err := cl.PostForm(ts.URL+"/login", url.Values{"user": {c.user}, "password": {c.user + "-password"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		code, page := get(t, cl, ts.URL+"/studies/"+study+"?diagnosis=CML-CP&therapy=imatinib&endpoint=os")
		if code != c.want {
			t.Errorf("%s: %d, want %d", c.user, code, c.want)
		}
		if c.want == 200 && !strings.Contains(page, "5 patient(s) match the filters") {
			t.Errorf("filtered dashboard lacks the count:\n%s", page)
		}
	}
}

// A timepoint with more than burdenPoints samples is one box: quartiles
// of 1..150 by R's quantile(type = 7): 38.25, 75.5, 112.75 (hand-derived:
// 1 + p*(n-1); in % of 1/1000: 3.825 prints 3.82, its nearest float being below).
func TestBurdenBox(t *testing.T) {
	tab := &store.Table{Header: store.TableHeader}
	for i := 1; i <= 150; i++ {
		row := make([]string, len(store.TableHeader))
		row[0], row[2], row[10] = "P"+strconv.Itoa(i), "diagnosis", strconv.FormatFloat(float64(i)/1000, 'g', -1, 64)
		tab.Rows = append(tab.Rows, row)
	}
	svg := burdenFigure(tab)
	if strings.Count(svg, "<circle") != 0 || strings.Count(svg, `class="box"`) != 1 {
		t.Errorf("150 samples not drawn as one box:\n%s", svg)
	}
	if !strings.Contains(svg, "median 7.55%, quartiles 3.82–11.28%, range 0.10–15.00%") {
		t.Errorf("box title: %s", svg)
	}
}

func TestTimepointOrder(t *testing.T) {
	tps := []string{"relapse", "day364", "day0", "day1274", "diagnosis", "day90", "remission"}
	sort.Slice(tps, func(i, j int) bool { return timepointLess(tps[i], tps[j]) })
	if got := strings.Join(tps, " "); got != "diagnosis day0 day90 day364 day1274 relapse remission" {
		t.Errorf("order %s", got)
	}
}
