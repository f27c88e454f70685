package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/store"
)

// Patient ids and free text holding markup, SQL, very long and non-UTF-8
// strings are stored as given and shown inert: escaped in pages, exact in
// JSON, never executed or interpreted as SQL.
func TestHostileStringsInert(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "s.db"), store.Options{Files: filepath.Join(dir, "files")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("L", 5000)
	ids := []string{`<script>alert(1)</script>`, `' OR 1=1 --`, long, "bad\xff\xfeutf8"}
	sheet := "patient,diagnosis,diagnosis_date,therapy,therapy_start\n"
	for _, id := range ids {
		sheet += `"` + id + `",` + `"<b>AML</b> ' OR 1=1 --",2020-01-01,"<img src=x onerror=alert(1)>",2020-01-02` + "\n"
	}
	p := filepath.Join(dir, "patients.csv")
	os.WriteFile(p, []byte(sheet), 0o644)
	if _, err := st.ImportPatients(ctx, "", p, store.PatientOptions{}); err != nil {
		t.Fatal(err)
	}
	h, _ := auth.HashPassword("alice-password", testParams, nil)
	st.AddUser(ctx, "alice", h, store.DefaultStudy, auth.Viewer)
	srv, _ := New(Config{Accounts: st, Data: st, Logger: slog.New(slog.DiscardHandler)})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	c := &http.Client{Jar: newJar()}
	c.PostForm(ts.URL+"/login", url.Values{"user": {"alice"}, "password": {"alice-password"}})
	get := func(path string) (int, string) {
		resp, err := c.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, page := get("/studies/" + store.DefaultStudy)
	if code != 200 {
		t.Fatalf("study page %d", code)
	}
	for _, bad := range []string{"<script>alert(1)</script>", "<img src=x", "<b>AML</b>"} {
		if strings.Contains(page, bad) {
			t.Errorf("study page holds %q unescaped", bad)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(page, "&#39; OR 1=1 --") {
		t.Error("hostile ids not shown escaped on the study page")
	}
	for _, id := range ids[:3] {
		code, body := get("/studies/" + store.DefaultStudy + "/patients/" + url.PathEscape(id))
		if code != 200 {
			t.Errorf("patient %.20q: %d", id, code)
			continue
		}
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("patient page %.20q holds markup unescaped", id)
		}
		code, js := get("/api/v1/patients/" + url.PathEscape(id) + "/timeline")
		if code != 200 || !strings.Contains(js, `"detail": "\u003cimg src=x onerror=alert(1)\u003e"`) {
			t.Errorf("timeline JSON %.20q: %d %.300s", id, code, js)
		}
	}
	// the SQL-looking id is one patient, not all of them
	code, js := get("/api/v1/patients/" + url.PathEscape(`' OR 1=1 --`) + "/timeline")
	if code != 200 || strings.Count(js, `"kind": "diagnosis"`) != 1 {
		t.Errorf("SQL-like id: %d %s", code, js)
	}
}
