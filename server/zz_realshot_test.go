package server

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/store"
)

func TestZZRealShots(t *testing.T) {
	if os.Getenv("WP_SHOTS") == "" {
		t.Skip()
	}
	ctx := context.Background()
	st, _ := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), store.Options{Files: filepath.Join(t.TempDir(), "files")})
	st.Migrate(ctx)
	st.ImportPatients(ctx, "", "../store/testdata/study/patients.csv", store.PatientOptions{})
	for _, d := range []string{"stem", "mrd", "flow"} {
		if _, err := st.ImportRun(ctx, "", "/tmp/wprun/"+d, store.ImportOptions{User: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	h, _ := auth.HashPassword("alice-password", testParams, nil)
	st.AddUser(ctx, "alice", h, store.DefaultStudy, auth.Viewer)
	srv, _ := New(Config{Accounts: st, Data: st, Logger: slog.New(slog.DiscardHandler), Version: "test"})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	cl := signIn(t, ts.URL, "alice")
	for _, u := range []string{"/samples/AML419A-D0", "/samples/P2-BM-2016", "/samples/" + url.PathEscape("2016-01-01 PB") + "?patient=P2", "/patients/P2", ""} {
		code, body := get(t, cl, ts.URL+"/studies/"+store.DefaultStudy+u)
		if code != 200 {
			t.Fatalf("%s: %d %.300s", u, code, body)
		}
	}
	b := browser(t)
	do(t, b, chromedp.Navigate(ts.URL+"/login"), chromedp.WaitVisible(css("#user")), chromedp.SendKeys(css("#user"), "alice"),
		chromedp.SendKeys(css("#password"), "alice-password"), chromedp.Submit(css("#password")), chromedp.WaitVisible(css("h1")))
	for name, u := range map[string]string{"real-stem": "/samples/AML419A-D0", "real-flow": "/samples/P2-BM-2016", "real-mrd": "/samples/" + url.PathEscape("2016-01-01 PB") + "?patient=P2",
		"real-patient": "/patients/P2", "real-study": ""} {
		do(t, b, chromedp.Navigate(ts.URL+"/studies/"+store.DefaultStudy+u), chromedp.WaitVisible(css("h1")))
		if by, err := chromedp.Run(b, chromedp.FullScreenshot(90)); err == nil {
			os.WriteFile("/tmp/wpshots/"+name+".jpg", by, 0o644)
		}
	}
}
