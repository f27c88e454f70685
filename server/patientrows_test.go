package server

import (
	"bytes"
	"context"
	"html/template"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/store"
)

// hostile holds every byte html/template escapes or percent-encodes in
// some context, invalid UTF-8, a NUL, valid and invalid percent escapes.
var hostile = []string{"", "plain", "CD34+CD38-/low", `<b>"x" & 'y'</b>`, "a\x00b", "%41%zz%", "\xff\xfe bad utf8",
	"é ü 中文 \u2028", "q?a=1&b=2#frag", "!$*,:;=@[]~._-", "p 7/../x", "+", "%"}

func sp(s string) *string    { return &s }
func fpv(v float64) *float64 { return &v }

// hostileTimeline has every field of every row set from hostile strings,
// nil and non-nil numbers, projections, detection limits and empty samples.
func hostileTimeline(patient string, seed uint64) *store.Timeline {
	rng := rand.New(rand.NewPCG(seed, 7))
	str := func() string { return hostile[rng.IntN(len(hostile))] }
	optS := func() *string {
		if rng.IntN(3) == 0 {
			return nil
		}
		return sp(str())
	}
	optF := func() *float64 {
		switch rng.IntN(5) {
		case 0:
			return nil
		case 1:
			return fpv(0)
		case 2:
			return fpv(1e21)
		case 3:
			return fpv(-0.000012345)
		}
		return fpv(rng.Float64() * 100)
	}
	t := &store.Timeline{Patient: patient, Day0: optS(), Day0Event: str()}
	for i := 0; i < 6; i++ {
		t.Events = append(t.Events, store.Event{Date: optS(), Day: optF(), Kind: str(), Detail: str()})
	}
	for i := 0; i < 5; i++ {
		s := store.Series{Assay: str(), Metric: str(), Fraction: str(), Target: str(), Unit: str()}
		if i%2 == 1 {
			s.Kind, s.Scenario = "projection", str()
		}
		for j := 0; j < 8; j++ {
			s.Points = append(s.Points, store.Point{Date: optS(), Day: optF(), Value: optF(), Lower: optF(), Upper: optF(),
				Label: str(), Sample: str(), Run: str(), DetectionLimit: optF()})
		}
		t.Series = append(t.Series, s)
	}
	return t
}

// beforeTemplate is patient.html as it was before the rows were written
// in Go (testdata/patient_before.html), with the same layout and functions.
func beforeTemplate(t *testing.T) *template.Template {
	t.Helper()
	tt, err := template.New("").Funcs(pageFuncs).ParseFS(webFS, "web/layout.html")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tt.ParseFiles("testdata/patient_before.html"); err != nil {
		t.Fatal(err)
	}
	return tt
}

// renderBoth renders a page for tl with the old template and the new path
// (patientPage's: rows in Go, body template, page template).
func renderBoth(t *testing.T, old *template.Template, study string, tl *store.Timeline, svg string) (string, string) {
	t.Helper()
	srv := &Server{}
	p := srv.pageFor(nil, "Patient "+tl.Patient)
	p.User, p.CSRF, p.Version = "alice <&>", "csrf+tok", "v1"
	p.Study, p.Patient, p.Figure, p.Skipped = study, tl, template.HTML(svg), 3
	if len(tl.Series) > 0 {
		p.Lanes = []laneToggle{{ID: "a+b", Title: "<t>", Shown: true}, {ID: "c", Title: "d"}}
	}
	var before bytes.Buffer
	if err := old.ExecuteTemplate(&before, "patient_before.html", p); err != nil {
		t.Fatal(err)
	}
	p.EventRows, p.ValueRows = eventRows(tl), valueRows(study, tl)
	var body, after bytes.Buffer
	if err := pages().ExecuteTemplate(&body, "patientbody.html", p); err != nil {
		t.Fatal(err)
	}
	p.Body = template.HTML(body.Bytes())
	if err := pages().ExecuteTemplate(&after, "patient.html", p); err != nil {
		t.Fatal(err)
	}
	return before.String(), after.String()
}

// The patient page is byte-identical to what the per-cell template wrote,
// for hostile strings in every field and for the real fixture study.
func TestPatientRowsGolden(t *testing.T) {
	old := beforeTemplate(t)
	for seed := uint64(0); seed < 40; seed++ {
		study, patient := hostile[int(seed)%len(hostile)], hostile[int(seed*7+3)%len(hostile)]
		tl := hostileTimeline(patient, seed)
		if seed == 5 {
			tl.Series, tl.Events = nil, nil
		}
		b, a := renderBoth(t, old, study, tl, "<svg></svg>")
		if b != a {
			i := 0
			for i < len(a) && i < len(b) && a[i] == b[i] {
				i++
			}
			t.Fatalf("seed %d: output differs at byte %d:\nbefore ...%q\nafter  ...%q", seed, i, b[max(0, i-80):min(len(b), i+80)], a[max(0, i-80):min(len(a), i+80)])
		}
	}
	ts, st, study := studyServer(t)
	_ = ts
	ps, err := st.Patients(context.Background(), study, store.Page{Limit: 100})
	if err != nil || len(ps) == 0 {
		t.Fatal(err, len(ps))
	}
	for _, p := range ps {
		tl, err := st.Timeline(context.Background(), study, p.Pseudonym)
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", "/x", nil)
		svg, _, _ := (&Server{}).patientFigure(r, tl, true)
		if b, a := renderBoth(t, old, study, tl, svg); b != a {
			t.Errorf("fixture patient %s: the page differs from the template's", p.Pseudonym)
		}
	}
}

// Each escaper writes what html/template writes in its context.
func TestEscapersMatchTemplate(t *testing.T) {
	tt := template.Must(template.New("").Parse(`{{define "text"}}<td>{{.}}</td>{{end}}` +
		`{{define "path"}}<a href="/s/{{.}}">{{end}}{{define "query"}}<a href="/s/x?p={{.}}">{{end}}`))
	rng := rand.New(rand.NewPCG(3, 4))
	cases := append([]string{}, hostile...)
	for i := 0; i < 2000; i++ {
		b := make([]byte, rng.IntN(12))
		for j := range b {
			b[j] = byte(rng.IntN(256))
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		for _, c := range []struct {
			name, pre, post string
			got             []byte
		}{
			{"text", "<td>", "</td>", appendHTML(nil, s)},
			{"path", `<a href="/s/`, `">`, appendURLPart(nil, s, true)},
			{"query", `<a href="/s/x?p=`, `">`, appendURLPart(nil, s, false)},
		} {
			var want strings.Builder
			if err := tt.ExecuteTemplate(&want, c.name, s); err != nil {
				t.Fatal(err)
			}
			if got := c.pre + string(c.got) + c.post; got != want.String() {
				t.Fatalf("%s of %q: got %q, html/template %q", c.name, s, got, want.String())
			}
		}
	}
}
