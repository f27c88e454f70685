package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"flag"
	"fmt"
	"html"
	"io"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/store"
)

var updateFigures = flag.Bool("update-figures", false, "rewrite testdata/figures.sha256 from the current figures")

// The patient figure's bytes do not change when its drawing code is made
// faster: testdata/figures.sha256 holds the SHA-256 of the figure of every
// fixture patient and of hostile timelines (patientrows_test.go), as drawn
// before (go test ./server -run TestFigureGolden -update-figures).
func TestFigureGolden(t *testing.T) {
	_, names, tls := fixtureTimelines(t)
	var lines []string
	figure := func(name, query string, tl *store.Timeline) {
		svg, _, _ := (&Server{}).patientFigure(httptest.NewRequest("GET", "/x"+query, nil), tl, false)
		sum := sha256.Sum256([]byte(svg))
		lines = append(lines, fmt.Sprintf("%s %s %d", hex.EncodeToString(sum[:]), name, len(svg)))
	}
	for i, tl := range tls {
		figure("fixture-"+names[i], "", tl)
		figure("fixture-"+names[i]+"-lanes", "?lanes=1&show=stem", tl)
	}
	for seed := uint64(0); seed < 40; seed++ {
		figure(fmt.Sprintf("hostile-%d", seed), "", hostileTimeline(hostile[int(seed)%len(hostile)], seed))
	}
	got := strings.Join(lines, "\n") + "\n"
	if *updateFigures {
		if err := os.WriteFile("testdata/figures.sha256", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/figures.sha256")
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("figures differ from testdata/figures.sha256:\n%s", got)
	}
}

// On the patient page each point with a sample is a link to that sample's
// page (path and patient escaped, the SVG well-formed for hostile names);
// points without a sample, projections and the downloaded figure have none.
func TestFigurePointsLinkSamples(t *testing.T) {
	study, names, tls := fixtureTimelines(t)
	link := regexp.MustCompile(`<a href="([^"]*)" aria-label="[^"]*"><g class="point" `)
	check := func(name, study string, tl *store.Timeline) int {
		r := httptest.NewRequest("GET", "/x", nil)
		r.SetPathValue("study", study)
		svg, _, _ := (&Server{}).patientFigure(r, tl, true)
		plain, _, _ := (&Server{}).patientFigure(r, tl, false)
		// hostile names carry bytes that are not UTF-8 and control
		// characters: drawn as U+FFFD, so the SVG is XML either way
		checkXML(t, name, svg)
		checkXML(t, name, plain)
		var want []string // the samples of the points drawn, as the figure draws them
		lanes, _, _, _ := report.TimelineFigure(tl, func(p store.Point) string { return p.Sample })
		for _, l := range lanes {
			for _, s := range l.Series {
				if s.Projection {
					continue
				}
				for _, p := range s.Points {
					if p.Href != "" {
						want = append(want, p.Href)
					}
				}
			}
		}
		var got []string
		for _, m := range link.FindAllStringSubmatch(svg, -1) {
			u, err := url.Parse(html.UnescapeString(m[1]))
			if err != nil {
				t.Fatalf("%s: link %q: %v", name, m[1], err)
			}
			dir, sample := path.Split(u.EscapedPath())
			s, err := url.PathUnescape(sample)
			if err != nil || dir != "/studies/"+url.PathEscape(study)+"/samples/" || u.Query().Get("patient") != tl.Patient {
				t.Fatalf("%s: link %q (%q %q %v)", name, m[1], dir, s, err)
			}
			got = append(got, s)
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
			t.Fatalf("%s: links to %q, want %q", name, got, want)
		}
		if n := strings.Count(svg, `<g class="point" `); n < len(got) {
			t.Fatalf("%s: %d points, %d links", name, n, len(got))
		}
		if strings.Contains(plain, "<a ") {
			t.Fatalf("%s: the downloaded figure has links", name)
		}
		return len(got)
	}
	links := 0
	for i, tl := range tls {
		links += check("fixture-"+names[i], study, tl)
	}
	if links == 0 {
		t.Fatal("no fixture point links to a sample")
	}
	for seed := uint64(0); seed < 40; seed++ {
		check(fmt.Sprintf("hostile-%d", seed), hostile[int(seed+1)%len(hostile)], hostileTimeline(hostile[int(seed)%len(hostile)], seed))
	}
}

// checkXML fails unless text is well-formed XML.
func checkXML(t *testing.T, name, text string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(text))
	for {
		if _, err := dec.Token(); err == io.EOF {
			return
		} else if err != nil {
			t.Fatalf("%s: the figure is not well-formed XML: %v", name, err)
		}
	}
}

// fixtureTimelines returns the fixture study and its patients' names and
// timelines, in the store's order.
func fixtureTimelines(t *testing.T) (study string, names []string, tls []*store.Timeline) {
	t.Helper()
	_, st, study := studyServer(t)
	ctx := context.Background()
	ps, err := st.Patients(ctx, study, store.Page{Limit: 100})
	if err != nil || len(ps) == 0 {
		t.Fatal(len(ps), err)
	}
	for _, p := range ps {
		tl, err := st.Timeline(ctx, study, p.Pseudonym)
		if err != nil {
			t.Fatal(err)
		}
		names, tls = append(names, p.Pseudonym), append(tls, tl)
	}
	return study, names, tls
}
