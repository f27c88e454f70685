package server

import (
	"context"
	"image/png"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/store"
)

// cellsTSV is a hand-made cells.tsv (lsc stemcells' columns) for
// AML419A-D0: counted scores 0.05, 0.10, 0.12 (below the run's jenks
// threshold 0.1297525918155542) and 0.13, 0.20 (at or above it); one cell
// not counted and one cell of another sample, neither drawn.
const cellsTSV = "sample\tcell\tscore\tstem_like\tcell_type\tcounted\n" +
	"AML419A-D0\tc1\t0.05\tno\tHSC-like\tyes\n" +
	"AML419A-D0\tc2\t0.10\tno\tProg-like\tyes\n" +
	"AML419A-D0\tc3\t0.12\tno\tHSC-like\tyes\n" +
	"AML419A-D0\tc4\t0.13\tyes\tHSC-like\tyes\n" +
	"AML419A-D0\tc5\t0.20\tyes\tHSC-like\tyes\n" +
	"AML419A-D0\tc6\t0.50\t\tT\tno\n" +
	"AML870-D0\tc1\t0.90\tyes\tHSC-like\tyes\n"

// flowPageHTML stands for the page lsc flow compartments writes per sample
// (samples/ID.html): two density plots.
const flowPageHTML = `<!doctype html><html><body><h1>P2-BM-2016</h1>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#0072B2"/></svg>
<svg width="20" height="20"><polygon points="1,1 5,1 5,5" fill="none" stroke="#D55E00"/></svg></body></html>`

func copyFiles(t *testing.T, from, to string, names ...string) {
	t.Helper()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(from, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// sampleServer is the store fixture with a stemcells run that keeps
// cells.tsv and a flow run that keeps its per-sample page; alice is a
// viewer of the study, olga an admin of another study only.
func sampleServer(t *testing.T) (*httptest.Server, store.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), store.Options{Files: filepath.Join(t.TempDir(), "files")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	fx := "../store/testdata/study"
	if _, err := st.ImportPatients(ctx, "", filepath.Join(fx, "patients.csv"), store.PatientOptions{}); err != nil {
		t.Fatal(err)
	}
	stem, flow := t.TempDir(), t.TempDir()
	copyFiles(t, filepath.Join(fx, "stem"), stem, "run.json", "samples.tsv", "patients.tsv")
	os.WriteFile(filepath.Join(stem, "cells.tsv"), []byte(cellsTSV), 0o644)
	copyFiles(t, filepath.Join(fx, "flow"), flow, "run.json", "compartments.tsv")
	os.Mkdir(filepath.Join(flow, "samples"), 0o755)
	os.WriteFile(filepath.Join(flow, "samples", "P2-BM-2016.html"), []byte(flowPageHTML), 0o644)
	for _, d := range []string{stem, filepath.Join(fx, "mrd"), flow} {
		if _, err := st.ImportRun(ctx, "", d, store.ImportOptions{User: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []struct {
		name, study string
		role        auth.Role
	}{{"alice", store.DefaultStudy, auth.Viewer}, {"olga", "other", auth.Admin}} {
		h, _ := auth.HashPassword(u.name+"-password", testParams, nil)
		if _, err := st.AddUser(ctx, u.name, h, u.study, u.role); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := New(Config{Accounts: st, Data: st, Logger: slog.New(slog.DiscardHandler), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, st
}

func signIn(t *testing.T, base, user string) *http.Client {
	t.Helper()
	cl := &http.Client{Jar: newJar(), CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.PostForm(base+"/login", url.Values{"user": {user}, "password": {user + "-password"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in %s: %d", user, resp.StatusCode)
	}
	return cl
}

func runOf(t *testing.T, st store.Store, kind string) *store.Run {
	t.Helper()
	rs, err := st.Runs(context.Background(), store.DefaultStudy)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if strings.Contains(r.Kind, kind) {
			run, err := st.Run(context.Background(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			return run
		}
	}
	t.Fatalf("no %s run", kind)
	return nil
}

// The sample page of a stem-cell sample: the histogram from the stored
// cells.tsv (counts per side of the threshold hand-derived from cellsTSV),
// the threshold from run.json, the burden row, provenance and file links.
func TestSamplePageScores(t *testing.T) {
	ts, st := sampleServer(t)
	cl := signIn(t, ts.URL, "alice")
	code, page := get(t, cl, ts.URL+"/studies/"+store.DefaultStudy+"/samples/AML419A-D0")
	if code != 200 {
		t.Fatalf("sample page: %d\n%s", code, page)
	}
	below, above := 0, 0
	for _, m := range regexp.MustCompile(`fill="([^"]+)"><title>(\d+) cells, score`).FindAllStringSubmatch(page, -1) {
		n, _ := strconv.Atoi(m[2])
		if m[1] == "#9bbcd8" {
			below += n
		} else {
			above += n
		}
	}
	if below != 3 || above != 2 {
		t.Errorf("histogram: %d cells below and %d at or above the threshold, want 3 and 2", below, above)
	}
	stem := runOf(t, st, "stemcells")
	for _, want := range []string{"AML419A-D0 (n=5)", "0.129753 (jenks)", "LSPC-Quiescent score (ucell)", // figure
		`<th scope="row">n_cells</th><td>1068</td>`, `<th scope="row">fraction</th><td>0.351123595505618</td>`, // samples.tsv row of this sample
		"0.1.0-dev", "GSM3587950_AML419A-D0.dem.txt.gz", "d5263de9d66ffecb6d2bd7ac92f185f95455d26479ce07feafcc6e0b8f9062e9", // provenance: version, this sample's input and checksum
		`href="/studies/` + store.DefaultStudy + `/runs/` + stem.ID + `/files/cells.tsv"`} {
		if !strings.Contains(page, want) {
			t.Errorf("sample page lacks %q", want)
		}
	}
	if strings.Contains(page, "GSM3587984_AML870") {
		t.Error("sample page lists another sample's input")
	}
	// the stored file: its bytes, type and disposition
	resp, err := cl.Get(ts.URL + "/studies/" + store.DefaultStudy + "/runs/" + stem.ID + "/files/cells.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || b.String() != cellsTSV || resp.Header.Get("Content-Type") != "text/tab-separated-values; charset=utf-8" ||
		resp.Header.Get("Content-Disposition") != `attachment; filename="cells.tsv"` {
		t.Errorf("file: %d %q %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"), b.String())
	}
	if code, _ := get(t, cl, ts.URL+"/studies/"+store.DefaultStudy+"/runs/"+stem.ID+"/files/nothing.tsv"); code != 404 {
		t.Errorf("unknown file: %d", code)
	}
	// the view and the download are audited
	log, err := st.AuditLog(context.Background(), store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range log {
		seen[r.Action+" "+r.Object] = true
	}
	if !seen["view-sample AML419A/AML419A-D0"] || !seen["download-file "+stem.ID+"/cells.tsv"] {
		t.Errorf("audit rows %v", seen)
	}
}

// A sample's score histogram is drawn from cells.tsv once and then served
// from the cache (keyed by run, file checksum and sample): with the stored
// file gone, a second view shows the same figure, while a sample not yet
// viewed says the file could not be read, so the first view did read it.
func TestSamplePageScoreFigureCached(t *testing.T) {
	ts, st := sampleServer(t)
	cl := signIn(t, ts.URL, "alice")
	figure := func(sample string) string {
		t.Helper()
		code, page := get(t, cl, ts.URL+"/studies/"+store.DefaultStudy+"/samples/"+sample)
		if code != 200 {
			t.Fatalf("sample page %s: %d\n%s", sample, code, page)
		}
		i, j := strings.Index(page, "<svg"), strings.Index(page, "</svg>")
		if i < 0 || j < i {
			if k := strings.Index(page, "cells.tsv of this run"); k >= 0 {
				return page[k:min(len(page), k+60)]
			}
			return ""
		}
		return page[i:j]
	}
	first := figure("AML419A-D0")
	if !strings.Contains(first, "cells, score") {
		t.Fatalf("first view has no histogram: %q", first)
	}
	stem := runOf(t, st, "stemcells")
	f, ok := runFileNamed(stem, "cells.tsv")
	if !ok {
		t.Fatal("no cells.tsv in the run")
	}
	if err := os.Remove(st.FilePath(f.SHA256)); err != nil {
		t.Fatal(err)
	}
	if again := figure("AML419A-D0"); again != first {
		t.Errorf("second view without the file: %q, want the cached figure", again)
	}
	if other := figure("AML870-D0"); !strings.HasPrefix(other, "cells.tsv of this run could not be read") {
		t.Errorf("a sample not viewed before, file gone: %q", other)
	}
}

// An MRD sample lists every derived column of lsc mrd assess (values from
// store/testdata/study/mrd/measurements.tsv, line 17-18: P4's replicates
// 0/6,000 + 0/6,000 ABL1, sensitivity 100/12,000 %); a flow sample shows
// its compartments and the density plots of its stored page.
func TestSamplePageMRDAndFlow(t *testing.T) {
	ts, st := sampleServer(t)
	cl := signIn(t, ts.URL, "alice")
	code, page := get(t, cl, ts.URL+"/studies/"+store.DefaultStudy+"/samples/"+url.PathEscape("2022-01-01 PB")+"?patient=P4")
	if code != 200 {
		t.Fatalf("MRD sample: %d\n%s", code, page)
	}
	for _, col := range mrdShown {
		if !strings.Contains(page, `<th scope="row">`+col+"</th>") {
			t.Errorf("MRD table lacks column %s", col)
		}
	}
	if strings.Count(page, "<td>0.008333333333333333</td>") != 2 || !strings.Contains(page, "2 replicates combined") {
		t.Errorf("MRD rows lack the combined sensitivity:\n%s", page)
	}
	code, page = get(t, cl, ts.URL+"/studies/"+store.DefaultStudy+"/samples/P2-BM-2016")
	if code != 200 {
		t.Fatalf("flow sample: %d", code)
	}
	flow := runOf(t, st, "flow")
	for _, want := range []string{"<td>/blasts/CD34&#43;</td>", `<th scope="row">count</th><td>6364</td><td>314</td>`,
		"/samples/P2-BM-2016/density/" + flow.ID + "/0", "/samples/P2-BM-2016/density/" + flow.ID + "/1"} {
		if !strings.Contains(page, want) {
			t.Errorf("flow sample page lacks %q", want)
		}
	}
	resp, err := cl.Get(ts.URL + "/studies/" + store.DefaultStudy + "/samples/P2-BM-2016/density/" + flow.ID + "/1")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	buf := make([]byte, 4096)
	n, _ := resp.Body.Read(buf)
	b.Write(buf[:n])
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(b.String(), `<polygon points="1,1 5,1 5,5"`) ||
		!strings.Contains(b.String(), `xmlns="http://www.w3.org/2000/svg"`) {
		t.Errorf("density plot: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), b.String())
	}
	if code, _ := get(t, cl, ts.URL+"/studies/"+store.DefaultStudy+"/samples/P2-BM-2016/density/"+flow.ID+"/2"); code != 404 {
		t.Errorf("density plot 2 of 2: %d", code)
	}
	// the run page lists and links the run's samples
	_, page = get(t, cl, ts.URL+"/studies/"+store.DefaultStudy+"/runs/"+flow.ID)
	if !strings.Contains(page, `href="/studies/`+store.DefaultStudy+`/samples/P2-BM-2016?patient=P2"`) || !strings.Contains(page, "<td>8</td>") {
		t.Error("run page does not link its sample P2-BM-2016 with its 8 results (4 compartments x 2 metrics)")
	}
	// a sample whose name holds "/" (MDS1's sorted fraction) is linked as
	// one path segment and opens
	_, page = get(t, cl, ts.URL+"/studies/"+store.DefaultStudy+"/patients/MDS1")
	if !strings.Contains(page, `/samples/2018-01-01%20CD34&#43;CD38-%2Flow%20CD90&#43;?patient=MDS1"`) {
		t.Errorf("MDS1 sample link: %s", regexp.MustCompile(`href="[^"]*samples/[^"]*"`).FindString(page))
	}
	if code, page := get(t, cl, ts.URL+"/studies/"+store.DefaultStudy+"/samples/2018-01-01%20CD34+CD38-%2Flow%20CD90+?patient=MDS1"); code != 200 || !strings.Contains(page, "<td>EGR1") && !strings.Contains(page, "del(5q)") {
		t.Errorf("MDS1 sample page: %d", code)
	}
	// the patient page links its samples
	_, page = get(t, cl, ts.URL+"/studies/"+store.DefaultStudy+"/patients/P4")
	if !strings.Contains(page, `href="/studies/`+store.DefaultStudy+`/samples/2022-01-01%20PB?patient=P4"`) {
		t.Error("patient page does not link its samples")
	}
}

// Refused cases: no session -> sign-in redirect; a user outside the study
// -> 404 for the sample, its files, plots and the PNG (as if they did not
// exist); a viewer cannot change anything through these routes; unknown
// samples -> 404.
func TestSamplePagesRefused(t *testing.T) {
	ts, st := sampleServer(t)
	stem, flow := runOf(t, st, "stemcells"), runOf(t, st, "flow")
	s := "/studies/" + store.DefaultStudy
	urls := []string{s + "/samples/AML419A-D0", s + "/runs/" + stem.ID + "/files/cells.tsv", s + "/samples/P2-BM-2016/density/" + flow.ID + "/0",
		s + "/patients/P4/timeline.png"}
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	olga, alice := signIn(t, ts.URL, "olga"), signIn(t, ts.URL, "alice")
	for _, u := range urls {
		resp, err := anon.Get(ts.URL + u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
			t.Errorf("no session %s: %d %s", u, resp.StatusCode, resp.Header.Get("Location"))
		}
		if code, body := get(t, olga, ts.URL+u); code != 404 || strings.Contains(body, "AML419A") {
			t.Errorf("outsider %s: %d", u, code)
		}
		if code, _ := get(t, alice, ts.URL+u); code != 200 {
			t.Errorf("viewer %s: %d", u, code)
		}
		if code, _ := post(t, alice, ts.URL+u, url.Values{}); code != http.StatusMethodNotAllowed && code != http.StatusForbidden {
			t.Errorf("viewer POST %s: %d", u, code)
		}
	}
	// another study's run through this study's path: not found
	for _, u := range []string{s + "/samples/NOPE", s + "/runs/stemcells-0000000000000000/files/cells.tsv", s + "/samples/AML419A-D0?patient=P4"} {
		if code, _ := get(t, alice, ts.URL+u); code != 404 {
			t.Errorf("%s: %d, want 404", u, code)
		}
	}
}

// timeline.png is the page's figure as a PNG: it decodes, has the SVG's
// size at scale 2 (1 with ?scale=1), and each filled marker's colour lies
// where timeline.svg puts the point (centres read back from the SVG).
func TestTimelinePNGRoute(t *testing.T) {
	ts, _ := sampleServer(t)
	cl := signIn(t, ts.URL, "alice")
	base := ts.URL + "/studies/" + store.DefaultStudy + "/patients/P2/timeline"
	_, svg := get(t, cl, base+".svg")
	resp, err := cl.Get(base + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || resp.Header.Get("Content-Disposition") != `attachment; filename="timeline.png"` {
		t.Fatalf("PNG: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	img, err := png.Decode(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if d := os.Getenv("LSC_WRITE_FIGURES"); d != "" {
		f, _ := os.Create(filepath.Join(d, "timeline-P2.png"))
		png.Encode(f, img)
		f.Close()
	}
	wh := regexp.MustCompile(`<svg [^>]*width="([0-9.]+)" height="([0-9.]+)"`).FindStringSubmatch(svg)
	w, _ := strconv.ParseFloat(wh[1], 64)
	h, _ := strconv.ParseFloat(wh[2], 64)
	if img.Bounds().Dx() != int(math.Ceil(2*w)) || img.Bounds().Dy() != int(math.Ceil(2*h)) {
		t.Errorf("PNG %v, SVG %gx%g at scale 2", img.Bounds(), w, h)
	}
	laneRe := regexp.MustCompile(`<g class="lane" id="[^"]*" transform="translate\(0 ([0-9.]+)\)">`)
	ptRe := regexp.MustCompile(`<g class="point"[^>]*><circle cx="([0-9.]+)" cy="([0-9.]+)" r="3.5" fill="#([0-9A-Fa-f]{6})">`)
	type mk struct {
		x, y float64
		rgb  [3]int
	}
	var ms []mk
	lanes := laneRe.FindAllStringSubmatchIndex(svg, -1)
	for i, l := range lanes {
		end := len(svg)
		if i+1 < len(lanes) {
			end = lanes[i+1][0]
		}
		dy, _ := strconv.ParseFloat(svg[l[2]:l[3]], 64)
		for _, m := range ptRe.FindAllStringSubmatch(svg[l[1]:end], -1) {
			x, _ := strconv.ParseFloat(m[1], 64)
			y, _ := strconv.ParseFloat(m[2], 64)
			v, _ := strconv.ParseUint(m[3], 16, 32)
			ms = append(ms, mk{x, y + dy, [3]int{int(v >> 16), int(v >> 8 & 255), int(v & 255)}})
		}
	}
	checked := 0
	for i, m := range ms {
		covered := false // a later marker within 8 units covers it in the SVG as well
		for _, n := range ms[i+1:] {
			covered = covered || math.Hypot(n.x-m.x, n.y-m.y) < 8
		}
		if covered {
			continue
		}
		r, g, b, _ := img.At(int(2*m.x), int(2*m.y)).RGBA()
		if abs(int(r>>8)-m.rgb[0]) > 40 || abs(int(g>>8)-m.rgb[1]) > 40 || abs(int(b>>8)-m.rgb[2]) > 40 {
			t.Errorf("marker at (%g, %g): pixel %d,%d,%d, SVG colour %v", m.x, m.y, r>>8, g>>8, b>>8, m.rgb)
		}
		checked++
	}
	if checked < 5 {
		t.Errorf("only %d of %d markers checked", checked, len(ms))
	}
	resp1, err := cl.Get(base + ".png?scale=1")
	if err != nil {
		t.Fatal(err)
	}
	img1, err := png.Decode(resp1.Body)
	resp1.Body.Close()
	if err != nil || img1.Bounds().Dx() != int(math.Ceil(w)) {
		t.Errorf("scale 1: %v %v", err, img1.Bounds())
	}
	if code, _ := get(t, cl, base+".png?scale=9"); code != 400 {
		t.Errorf("scale 9: %d", code)
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// In Chromium: the sample page's histogram bars and density images are
// drawn (every <img> loaded with a width), and the patient page's PNG link
// answers an image.
func TestBrowserSamplePage(t *testing.T) {
	ts, _ := sampleServer(t)
	ctx := browser(t)
	do(t, ctx,
		chromedp.Navigate(ts.URL+"/studies/"+store.DefaultStudy+"/samples/AML419A-D0"),
		chromedp.WaitVisible(css("#user")),
		chromedp.SendKeys(css("#user"), "alice"),
		chromedp.SendKeys(css("#password"), "alice-password"),
		chromedp.Submit(css("#password")),
		chromedp.WaitVisible(css("figure.scores")),
	)
	if n := eval[int](t, ctx, `document.querySelectorAll('figure.scores svg rect title').length`); n == 0 {
		t.Error("no histogram bars")
	}
	screenshot(t, ctx, "sample-scores")
	do(t, ctx, chromedp.Navigate(ts.URL+"/studies/"+store.DefaultStudy+"/samples/P2-BM-2016"), chromedp.WaitVisible(css("figure.density img")))
	loaded := false
	for i := 0; i < 50 && !loaded; i++ { // images load after the page: wait up to 5 s
		loaded = eval[bool](t, ctx, `document.images.length > 0 && [...document.images].every(i => i.complete && i.naturalWidth > 0)`)
		if !loaded {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !loaded {
		t.Error("density images did not load")
	}
	screenshot(t, ctx, "sample-flow")
	do(t, ctx, chromedp.Navigate(ts.URL+"/studies/"+store.DefaultStudy+"/samples/"+url.PathEscape("2022-01-01 PB")+"?patient=P4"), chromedp.WaitVisible(css("table.fields")))
	screenshot(t, ctx, "sample-mrd")
	// keyboard focus on a timeline point shows its tip (value, CI, sample,
	// run, file); the other tips stay hidden (headless Chromium has no
	// focused window: focus is emulated)
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(ts.URL+"/studies/"+store.DefaultStudy+"/patients/P4"), chromedp.WaitVisible(css("figure.timeline")))
	// the first point, or the link to its sample's page that holds it
	if !eval[bool](t, ctx, `(p => { p = p.closest('a') || p; p.focus(); return document.activeElement === p })(document.querySelector('g.point'))`) {
		t.Fatal("the first point takes no focus")
	}
	vis := eval[[]string](t, ctx, `[...document.querySelectorAll('g.point text.tip')].map(e => getComputedStyle(e).visibility)`)
	tipText := eval[string](t, ctx, `document.querySelector('g.point text.tip').textContent`)
	if len(vis) < 2 || vis[0] != "visible" || vis[1] != "hidden" || !strings.Contains(tipText, "sample 2022-01-01 PB") || !strings.Contains(tipText, "measurements.tsv line 17") ||
		!strings.Contains(tipText, "detection limit 0.008333333333333333") || eval[float64](t, ctx, `document.querySelector("g.point text.tip").getBBox().x`) < 0 {
		t.Errorf("focused tip: %v %q", vis, tipText)
	}
	screenshot(t, ctx, "patient-focus")
}
