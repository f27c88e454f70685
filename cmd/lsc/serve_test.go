package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/server"
	"github.com/lsc-bio/lsc/store"
)

// A study built with the CLI from the store's real fixture, served: the
// timeline API answers exactly the bytes of `lsc study timeline --json`,
// users and tokens made by `lsc user` work, and the audit chain verifies.
func TestServeStudy(t *testing.T) {
	db := filepath.Join(t.TempDir(), "study.db")
	fx := "../../store/testdata/study"
	steps := [][]string{
		{"study", "init", "--db", db, "-q"},
		{"study", "import", "--db", db, "--patients", fx + "/patients.csv", "-q"},
		{"study", "import", "--db", db, fx + "/mrd", fx + "/stem", "-q"},
	}
	for _, s := range steps {
		if code, _, errs := runLSC(t, s...); code != 0 {
			t.Fatalf("%v: %d %s", s, code, errs)
		}
	}
	if code, _, errs := runLSCIn(t, "long enough secret\n", "user", "add", "--db", db, "alice", "--role", "viewer", "--password-stdin", "-q"); code != 0 {
		t.Fatalf("user add: %d %s", code, errs)
	}
	if code, _, errs := runLSCIn(t, "short\n", "user", "add", "--db", db, "bob", "--role", "viewer", "--password-stdin"); code != 2 || !strings.Contains(errs, "shorter than 8") {
		t.Errorf("weak password: %d %s", code, errs)
	}
	if code, _, errs := runLSC(t, "user", "add", "--db", db, "carl", "--role", "root"); code != 2 || !strings.Contains(errs, "viewer, analyst or admin") {
		t.Errorf("bad role: %d %s", code, errs)
	}
	code, tok, errs := runLSC(t, "user", "token", "create", "--db", db, "alice", "--expires", "30d", "-q")
	tok = strings.TrimSpace(tok)
	if code != 0 || !strings.HasPrefix(tok, "lsc_pat_") {
		t.Fatalf("token: %d %q %s", code, tok, errs)
	}
	_, want, _ := runLSC(t, "study", "timeline", "--db", db, "--patient", "P1", "--json")

	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := server.New(server.Config{Accounts: st, Data: st, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	get := func(path, tok string) (int, []byte) {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	code, got := get("/api/v1/patients/P1/timeline", tok)
	if code != 200 || !bytes.Equal(got, []byte(want)) || len(want) < 100 {
		t.Errorf("timeline API %d differs from lsc study timeline --json:\n%s\nvs\n%s", code, got, want)
	}
	if code, _ := get("/api/v1/patients/P1/timeline", ""); code != 401 {
		t.Errorf("no token: %d", code)
	}
	if code, _ := get("/api/v1/patients/NOPE/timeline", tok); code != 404 {
		t.Errorf("unknown patient: %d", code)
	}
	code, body := get("/api/v1/patients?limit=2", tok)
	var page struct {
		Items []map[string]any `json:"items"`
		Next  string           `json:"next"`
	}
	json.Unmarshal(body, &page)
	if code != 200 || len(page.Items) != 2 || page.Next == "" {
		t.Errorf("patients page: %d %s", code, body)
	}
	code, body = get("/api/v1/runs", tok)
	var runs struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	json.Unmarshal(body, &runs)
	if code != 200 || len(runs.Items) == 0 {
		t.Fatalf("runs: %d %s", code, body)
	}
	if code, _ := get("/api/v1/runs/"+runs.Items[0].ID, tok); code != 200 {
		t.Errorf("a run of the study: %d", code)
	}
	if code, _ := get("/api/v1/runs/not-a-run", tok); code != 404 {
		t.Errorf("unknown run: %d", code)
	}
	if code, _, errs := runLSC(t, "study", "audit", "verify", "--db", db); code != 0 {
		t.Errorf("audit verify: %d %s", code, errs)
	}
	if _, err := st.DB().Exec("UPDATE audit SET actor = 'mallory' WHERE seq = 1"); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runLSC(t, "study", "audit", "verify", "--db", db); code != 1 || !strings.Contains(errs, "record 1") {
		t.Errorf("audit verify after an edit: %d %s", code, errs)
	}
	if code, _, errs := runLSC(t, "serve", "--db", db, "--addr", "0.0.0.0:8080"); code != 2 || !strings.Contains(errs, "--tls-cert") {
		t.Errorf("serve on 0.0.0.0 without TLS: %d %s", code, errs)
	}
}

// lsc study timeline --out P.html writes a self-contained page whose
// plotted points carry exactly the values of the timeline JSON.
func TestStudyTimelineHTML(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "study.db")
	fx := "../../store/testdata/study"
	for _, s := range [][]string{
		{"study", "init", "--db", db, "-q"},
		{"study", "import", "--db", db, "--patients", fx + "/patients.csv", "-q"},
		{"study", "import", "--db", db, fx + "/mrd", "-q"},
	} {
		if code, _, errs := runLSC(t, s...); code != 0 {
			t.Fatalf("%v: %s", s, errs)
		}
	}
	page := filepath.Join(dir, "P2.html")
	if code, _, errs := runLSC(t, "study", "timeline", "--db", db, "--patient", "P2", "--out", page); code != 0 {
		t.Fatal(errs)
	}
	b, _ := os.ReadFile(page)
	html := string(b)
	if !strings.Contains(html, "<h1>Patient P2</h1>") || strings.Contains(html, "<script") || strings.Contains(html, "http://") && !strings.Contains(html, `xmlns="http://www.w3.org/2000/svg"`) {
		t.Fatalf("page: %.300s", html)
	}
	_, js, _ := runLSC(t, "study", "timeline", "--db", db, "--patient", "P2", "--json")
	var tl struct {
		Series []struct {
			Metric string `json:"metric"`
			Points []struct {
				Day, Value *float64
				Limit      *float64 `json:"detection_limit"`
			} `json:"points"`
		} `json:"series"`
	}
	json.Unmarshal([]byte(js), &tl)
	n := 0
	for _, s := range tl.Series {
		for _, p := range s.Points {
			if p.Value != nil && *p.Value == 0 && p.Limit != nil {
				p.Value = p.Limit // undetectable: drawn at its detection limit
			}
			if p.Day == nil || p.Value == nil || *p.Value <= 0 {
				continue
			}
			n++
			attr := fmt.Sprintf(`data-x="%s" data-y="%s"`, strconv.FormatFloat(*p.Day, 'g', -1, 64), strconv.FormatFloat(*p.Value, 'g', -1, 64))
			if !strings.Contains(html, attr) {
				t.Errorf("point %s not drawn", attr)
			}
		}
	}
	if n == 0 || strings.Count(html, `class="point"`) != n {
		t.Errorf("%d points in the JSON, %d drawn", n, strings.Count(html, `class="point"`))
	}
}
