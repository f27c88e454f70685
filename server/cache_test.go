package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/store"
)

type cacheFixture struct {
	ts         *httptest.Server
	srv        *Server
	st         store.Store
	alice, bob string // bearer tokens: alice views the default study, bob only study "other"
}

// newCacheFixture serves the fixture study with its patient sheet and the
// stem-like run only (the MRD run is imported by the tests).
func newCacheFixture(t *testing.T) *cacheFixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "s.db"), store.Options{Files: filepath.Join(dir, "files")})
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
	if _, err := st.ImportRun(ctx, "", filepath.Join(fx, "stem"), store.ImportOptions{User: "test"}); err != nil {
		t.Fatal(err)
	}
	f := &cacheFixture{st: st}
	for _, u := range []struct {
		name, study string
		tok         *string
	}{{"alice", store.DefaultStudy, &f.alice}, {"bob", "other", &f.bob}} {
		user, err := st.AddUser(ctx, u.name, "x", u.study, auth.Viewer)
		if err != nil {
			t.Fatal(err)
		}
		tok, h, _ := auth.NewToken(nil)
		if err := st.AddToken(ctx, auth.Token{Hash: h, UserID: user.ID, Name: "t", Expires: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		*u.tok = tok
	}
	f.srv, err = New(Config{Accounts: st, Data: st, Logger: slog.New(slog.DiscardHandler), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	f.ts = httptest.NewServer(f.srv.Handler())
	t.Cleanup(f.ts.Close)
	return f
}

func (f *cacheFixture) get(t *testing.T, path, tok string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", f.ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// A view after an import shows the imported values: the import raises the
// study's data version, which keys the cache. Views answered from the
// cache are audited like the others, and are the same bytes.
func TestCacheInvalidatedByImport(t *testing.T) {
	f := newCacheFixture(t)
	ctx := context.Background()
	api, page := "/api/v1/patients/P1/timeline?study="+store.DefaultStudy, "/studies/"+store.DefaultStudy+"/patients/P1"
	_, apiBefore := f.get(t, api, f.alice)
	_, pageBefore := f.get(t, page, f.alice)
	code, apiHit := f.get(t, api, f.alice)
	_, pageHit := f.get(t, page, f.alice)
	if code != 200 || apiHit != apiBefore || pageHit != pageBefore {
		t.Fatalf("second views differ from the first (%d)", code)
	}
	if _, n, hits, _ := f.srv.cache.stats(); n != 2 || hits != 2 {
		t.Fatalf("cache holds %d entries with %d hits, want 2 and 2", n, hits)
	}
	if strings.Contains(apiBefore, "is_percent") || strings.Contains(pageBefore, "is_percent") {
		t.Fatal("the fixture already has the MRD values")
	}
	if _, err := f.st.ImportRun(ctx, "", "../store/testdata/study/mrd", store.ImportOptions{User: "test"}); err != nil {
		t.Fatal(err)
	}
	_, apiAfter := f.get(t, api, f.alice)
	_, pageAfter := f.get(t, page, f.alice)
	if !strings.Contains(apiAfter, "is_percent") || !strings.Contains(pageAfter, "is_percent") {
		t.Errorf("a view after the import does not show its values:\n%s", apiAfter)
	}
	want, err := f.st.Timeline(ctx, store.DefaultStudy, "P1")
	if err != nil {
		t.Fatal(err)
	}
	if b, _, _ := encodeJSON(want); string(b) != apiAfter {
		t.Error("the timeline API after the import is not the store's timeline")
	}
	recs, err := f.st.AuditLog(ctx, store.AuditFilter{Actor: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	var views []string
	for _, r := range recs {
		views = append(views, r.Action+" "+r.Object)
	}
	if got, want := strings.Join(views, ","), strings.TrimSuffix(strings.Repeat("view-timeline P1,view-patient P1,", 3), ","); got != want {
		t.Errorf("audit rows: %s (want every view, cached or not)", got)
	}
}

// A caller outside the study gets 404 for a patient whose parts are
// cached, on the API, the page and the figure.
func TestCacheNotForOutsiders(t *testing.T) {
	f := newCacheFixture(t)
	paths := []string{"/api/v1/patients/P1/timeline?study=" + store.DefaultStudy, "/studies/" + store.DefaultStudy + "/patients/P1",
		"/studies/" + store.DefaultStudy + "/patients/P1/timeline.svg"}
	for _, p := range paths {
		if code, _ := f.get(t, p, f.alice); code != 200 {
			t.Fatalf("alice %s: %d", p, code)
		}
	}
	if _, n, _, _ := f.srv.cache.stats(); n != 3 {
		t.Fatalf("cache holds %d entries, want 3", n)
	}
	for _, p := range append(paths, "/api/v1/patients/P1/timeline", "/api/v1/patients/P1/timeline?study=other") {
		if code, body := f.get(t, p, f.bob); code != 404 || strings.Contains(body, "P1") {
			t.Errorf("bob (study other) %s: %d %q", p, code, body)
		}
	}
	// Revoking alice's token ends her access at once, cached parts or not.
	if _, err := f.st.RevokeTokens(context.Background(), "alice", ""); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if code, _ := f.get(t, p, f.alice); code != 401 {
			t.Errorf("revoked alice %s: %d", p, code)
		}
	}
}

func TestPartCacheBound(t *testing.T) {
	c := newPartCache(10 * (100 + partOverhead))
	for i := 0; i < 30; i++ {
		c.put(&partEntry{key: partKey{patient: string(rune('a' + i))}, body: make([]byte, 100-1)})
		if size, _, _, _ := c.stats(); size > c.max {
			t.Fatalf("size %d over the bound %d", size, c.max)
		}
	}
	if _, ok := c.get(partKey{patient: "a"}); ok {
		t.Error("the oldest entry was kept")
	}
	if _, ok := c.get(partKey{patient: string(rune('a' + 29))}); !ok {
		t.Error("the newest entry was evicted")
	}
	c.put(&partEntry{key: partKey{patient: "big"}, body: make([]byte, c.max)})
	if _, ok := c.get(partKey{patient: "big"}); ok {
		t.Error("an entry over a quarter of the bound was kept")
	}
}

// The timeline API's encoder writes report.JSON's bytes and ETag.
func TestTimelineJSONIsReportJSON(t *testing.T) {
	_, st, study := studyServer(t)
	ps, err := st.Patients(context.Background(), study, store.Page{Limit: 100})
	if err != nil || len(ps) == 0 {
		t.Fatal(len(ps), err)
	}
	for _, p := range ps {
		tl, err := st.Timeline(context.Background(), study, p.Pseudonym)
		if err != nil {
			t.Fatal(err)
		}
		want, wtag, _ := encodeJSON(tl)
		got, gtag, err := timelineJSON(tl)
		if err != nil || string(got) != string(want) || gtag != wtag {
			t.Errorf("patient %s: timelineJSON differs from report.JSON (%v)", p.Pseudonym, err)
		}
	}
}
