package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/store"
)

// studyServer serves the store's real fixture study (store/testdata/study)
// from a fresh SQLite database with one viewer, alice.
func studyServer(t *testing.T) (*httptest.Server, store.Store, string) {
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
	for _, d := range []string{"stem", "mrd", "flow"} {
		if _, err := st.ImportRun(ctx, "", filepath.Join(fx, d), store.ImportOptions{User: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	h, _ := auth.HashPassword("alice-password", testParams, nil)
	if _, err := st.AddUser(ctx, "alice", h, store.DefaultStudy, auth.Viewer); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Accounts: st, Data: st, Logger: slog.New(slog.DiscardHandler), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, st, store.DefaultStudy
}

// browser starts Debian's Chromium headless; without it the test skips,
// except under CI (.ci/run installs chromium), where it fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium not found under CI (.ci/run installs it with apt)")
		}
		t.Skip("chromium not installed: apt-get install chromium")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1200, 1400))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("LSC_WRITE_FIGURES")
	if dir == "" {
		return
	}
	if b, err := chromedp.Run(ctx, chromedp.FullScreenshot(90)); err == nil {
		os.WriteFile(filepath.Join(dir, name+".jpg"), b, 0o644)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

type css = chromedp.CSS

// Sign in, open the study and a patient, check the plotted points equal
// the timeline API's values, toggle a lane off, sign out.
func TestBrowserPatientTimeline(t *testing.T) {
	ts, _, study := studyServer(t)
	ctx := browser(t)
	do(t, ctx,
		chromedp.Navigate(ts.URL+"/studies/"+study+"/patients/P2"),
		chromedp.WaitVisible(css("#user")),
		chromedp.SendKeys(css("#user"), "alice"),
		chromedp.SendKeys(css("#password"), "alice-password"),
		chromedp.Submit(css("#password")),
		chromedp.WaitVisible(css("figure.timeline")),
	)
	if title := eval[string](t, ctx, "document.title"); title != "Patient P2 · lsc" {
		t.Errorf("title %q", title)
	}
	screenshot(t, ctx, "patient")
	pts := eval[[]map[string]string](t, ctx, `[...document.querySelectorAll('g.point')].map(g => ({x: g.dataset.x, y: g.dataset.y}))`)
	want := apiPoints(t, ts.URL, study, "P2")
	var got []string
	for _, p := range pts {
		got = append(got, p["x"]+"/"+p["y"])
	}
	sort.Strings(got)
	if strings.Join(got, " ") != strings.Join(want, " ") || len(got) == 0 {
		t.Errorf("plotted points\n%v\nAPI values\n%v", got, want)
	}
	before := eval[int](t, ctx, `document.querySelectorAll('g.lane').length`)
	// untick the first lane, then submit the form (its GET URL is built
	// from the form as the browser would; Navigate waits for the new page)
	do(t, ctx, chromedp.Click(css("form.lanes input[type=checkbox]")))
	q := eval[string](t, ctx, `new URLSearchParams(new FormData(document.querySelector('form.lanes'))).toString()`)
	do(t, ctx, chromedp.Navigate(ts.URL+"/studies/"+study+"/patients/P2?"+q), chromedp.WaitVisible(css("figure.timeline")))
	if after := eval[int](t, ctx, `document.querySelectorAll('g.lane').length`); after != before-1 {
		t.Errorf("lane toggle: %d -> %d lanes", before, after)
	}
	// a point opens its sample's page: the link the figure draws, clicked
	href := eval[string](t, ctx, `document.querySelector('figure.timeline svg a').getAttribute('href')`)
	sample := eval[string](t, ctx, `document.querySelector('figure.timeline svg a').getAttribute('aria-label')`)
	do(t, ctx, chromedp.Click(css("figure.timeline svg a g.point circle")))
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		// the page is being replaced: ask again until the sample's is in
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`location.pathname.includes('/samples/') && document.readyState === 'complete'`))
		if err == nil && ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("clicking a point: no sample page after 10 s (%v)", err)
		}
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if title := eval[string](t, ctx, "document.title"); err != nil || !strings.HasSuffix(loc, href) || !strings.HasPrefix(title, "Sample ") || !strings.Contains(sample, strings.TrimSuffix(strings.TrimPrefix(title, "Sample "), " · lsc")) {
		t.Errorf("point link %q (%q): at %q, title %q, %v", href, sample, loc, title, err)
	}
	do(t, ctx, chromedp.Navigate(ts.URL+"/studies/"+study), chromedp.WaitVisible(css("h1")))
	screenshot(t, ctx, "study")
	do(t, ctx, chromedp.Click(css("header form button")), chromedp.WaitVisible(css("#user")))
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || !strings.HasSuffix(loc, "/login") {
		t.Errorf("sign out: %q %v", loc, err)
	}
}

// apiPoints returns "day/value" of every drawable point of the patient's
// timeline as the REST API returns it (signed in with the password).
func apiPoints(t *testing.T, base, study, patient string) []string {
	t.Helper()
	c := &http.Client{Jar: newJar()}
	resp, err := c.PostForm(base+"/login", map[string][]string{"user": {"alice"}, "password": {"alice-password"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = c.Get(base + "/api/v1/patients/" + patient + "/timeline?study=" + study)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("timeline API: %v %v", err, resp.Status)
	}
	defer resp.Body.Close()
	var tl struct {
		Series []struct {
			Metric string `json:"metric"`
			Points []struct {
				Day   *float64 `json:"day"`
				Value *float64 `json:"value"`
				Limit *float64 `json:"detection_limit"`
			} `json:"points"`
		} `json:"series"`
	}
	json.NewDecoder(resp.Body).Decode(&tl)
	var out []string
	for _, s := range tl.Series {
		log := s.Metric == "is_percent" || s.Metric == "ratio_percent"
		for _, p := range s.Points {
			if p.Value != nil && *p.Value == 0 && p.Limit != nil {
				p.Value = p.Limit // undetectable: drawn at its detection limit
			}
			if p.Day == nil || p.Value == nil || (log && *p.Value <= 0) {
				continue
			}
			out = append(out, strconv.FormatFloat(*p.Day, 'g', -1, 64)+"/"+strconv.FormatFloat(*p.Value, 'g', -1, 64))
		}
	}
	sort.Strings(out)
	return out
}

// Keyboard only: Tab goes from the user name to the password to the
// button, every input has a label, and Enter signs in.
func TestBrowserKeyboardSignIn(t *testing.T) {
	ts, _, _ := studyServer(t)
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(ts.URL+"/login"), chromedp.WaitVisible(css("#user")))
	if !eval[bool](t, ctx, `[...document.querySelectorAll('input:not([type=hidden])')].every(i => document.querySelector('label[for="'+i.id+'"]'))`) {
		t.Error("an input has no label")
	}
	var order []string
	for i := 0; i < 3; i++ {
		order = append(order, eval[string](t, ctx, `document.activeElement.id || document.activeElement.tagName`))
		switch i {
		case 0:
			do(t, ctx, chromedp.KeyEvent("alice"))
		case 1:
			do(t, ctx, chromedp.KeyEvent("alice-password"))
		}
		if i < 2 {
			do(t, ctx, chromedp.KeyEvent("\t"))
		}
	}
	if strings.Join(order, ",") != "user,password,BUTTON" {
		t.Errorf("focus order %v", order)
	}
	// Wait for the next page, not any h1: the sign-in page has one too, and
	// reading it before the navigation lands made this test flaky.
	do(t, ctx, chromedp.KeyEvent("\r"), chromedp.WaitNotPresent(css("#user")), chromedp.WaitVisible(css("h1")))
	if h1 := eval[string](t, ctx, `document.querySelector('h1').textContent`); h1 != "Your studies" {
		t.Errorf("Enter to sign in: %q", h1)
	}
}

func newJar() http.CookieJar {
	j, _ := cookiejar.New(nil)
	return j
}

// An admin changes a member's role with the page's own form, and finds the
// change in the audit log filtered by action.
func TestBrowserAdmin(t *testing.T) {
	ts, st, study := studyServer(t)
	h, _ := auth.HashPassword("root-password", testParams, nil)
	if _, err := st.AddUser(context.Background(), "root", h, study, auth.Admin); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	do(t, ctx,
		chromedp.Navigate(ts.URL+"/studies/"+study+"/admin/users"),
		chromedp.WaitVisible(css("#user")),
		chromedp.SendKeys(css("#user"), "root"),
		chromedp.SendKeys(css("#password"), "root-password"),
		chromedp.Submit(css("#password")),
		chromedp.WaitVisible(css("table.members")),
		chromedp.SetValue(css("#role-alice"), "analyst"),
		chromedp.Submit(css("#role-alice")),
		chromedp.WaitVisible(css("table.members")),
	)
	screenshot(t, ctx, "admin-users")
	if r := eval[string](t, ctx, `[...document.querySelectorAll('table.members tbody tr')].map(tr => tr.cells[0].textContent + '=' + tr.cells[1].textContent).join(' ')`); r != "alice=analyst root=admin" {
		t.Errorf("members after the change: %q", r)
	}
	do(t, ctx, chromedp.Navigate(ts.URL+"/studies/"+study+"/admin/audit?action=set-role"), chromedp.WaitVisible(css("table.audit")))
	screenshot(t, ctx, "admin-audit")
	if r := eval[string](t, ctx, `[...document.querySelectorAll('table.audit tbody tr')].map(tr => tr.cells[2].textContent + ' ' + tr.cells[4].textContent + ' ' + tr.cells[5].textContent).join('|')`); r != "root alice=analyst ok" {
		t.Errorf("audit rows: %q", r)
	}
}
