package server

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/store"
)

// deadlineData records the deadline of the context each import and
// timeline call gets, and answers an import as committed.
type deadlineData struct {
	store.Store
	mu                 sync.Mutex
	imported, timeline time.Time
}

func (d *deadlineData) ImportRun(ctx context.Context, study, dir string, opt store.ImportOptions) (*store.ImportResult, error) {
	dl, _ := ctx.Deadline()
	d.mu.Lock()
	d.imported = dl
	d.mu.Unlock()
	return &store.ImportResult{Run: "r1", Kind: "stemcells"}, nil
}

func (d *deadlineData) Timeline(ctx context.Context, study, patient string) (*store.Timeline, error) {
	dl, _ := ctx.Deadline()
	d.mu.Lock()
	d.timeline = dl
	d.mu.Unlock()
	return d.Store.Timeline(ctx, study, patient)
}

// An import gets Config.ImportTimeout rather than the request timeout, and
// its audit row is committed and answered 201; other requests keep the
// request timeout. (Deadlines are read from the handlers' contexts: no
// test waits for a timer.)
func TestImportDeadline(t *testing.T) {
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
	if _, err := st.ImportPatients(ctx, "", "../store/testdata/study/patients.csv", store.PatientOptions{}); err != nil {
		t.Fatal(err)
	}
	u, _ := st.AddUser(ctx, "ana", "x", store.DefaultStudy, auth.Analyst)
	tok, h, _ := auth.NewToken(nil)
	st.AddToken(ctx, auth.Token{Hash: h, UserID: u.ID, Name: "t", Expires: time.Now().Add(time.Hour)})
	data := &deadlineData{Store: st}
	srv, err := New(Config{Accounts: st, Data: data, Logger: slog.New(slog.DiscardHandler), RequestTimeout: time.Minute, ImportTimeout: 5 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sctx, ln, 10*time.Second) }()
	defer func() { stop(); <-done }()
	base := "http://" + ln.Addr().String()

	var archive bytes.Buffer
	writeTarGz(t, &archive, map[string]string{"run.json": "{}"})
	req, _ := http.NewRequest("POST", base+importPath+"?study="+store.DefaultStudy, &archive)
	req.Header.Set("Authorization", "Bearer "+tok)
	t0 := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("import: %d", resp.StatusCode)
	}
	if resp := bearer(t, "GET", base+"/api/v1/patients/P1/timeline?study="+store.DefaultStudy, tok); resp.StatusCode != 200 {
		t.Fatalf("timeline: %d", resp.StatusCode)
	}
	data.mu.Lock()
	imp, tl := data.imported, data.timeline
	data.mu.Unlock()
	if imp.Before(t0.Add(4 * time.Hour)) {
		t.Errorf("the import's deadline is %s after the request, want the 5 h ImportTimeout", imp.Sub(t0))
	}
	if tl.IsZero() || tl.After(t0.Add(2*time.Minute)) {
		t.Errorf("the timeline's deadline is %s after the request, want the 1 min RequestTimeout", tl.Sub(t0))
	}
	recs, err := st.AuditLog(ctx, store.AuditFilter{Action: "import"})
	if err != nil || len(recs) != 1 || recs[0].Outcome != "ok" || recs[0].Object != "r1" {
		t.Errorf("import audit rows %+v %v", recs, err)
	}
}

func writeTarGz(t *testing.T, w io.Writer, files map[string]string) {
	t.Helper()
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
}
