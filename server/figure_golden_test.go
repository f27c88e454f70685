package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/store"
)

var updateFigures = flag.Bool("update-figures", false, "rewrite testdata/figures.sha256 from the current figures")

// The patient figure's bytes do not change when its drawing code is made
// faster: testdata/figures.sha256 holds the SHA-256 of the figure of every
// fixture patient and of hostile timelines (patientrows_test.go), as drawn
// before (go test ./server -run TestFigureGolden -update-figures).
func TestFigureGolden(t *testing.T) {
	_, st, study := studyServer(t)
	ctx := context.Background()
	ps, err := st.Patients(ctx, study, store.Page{Limit: 100})
	if err != nil || len(ps) == 0 {
		t.Fatal(len(ps), err)
	}
	var lines []string
	figure := func(name, query string, tl *store.Timeline) {
		svg, _, _ := (&Server{}).patientFigure(httptest.NewRequest("GET", "/x"+query, nil), tl)
		sum := sha256.Sum256([]byte(svg))
		lines = append(lines, fmt.Sprintf("%s %s %d", hex.EncodeToString(sum[:]), name, len(svg)))
	}
	for _, p := range ps {
		tl, err := st.Timeline(ctx, study, p.Pseudonym)
		if err != nil {
			t.Fatal(err)
		}
		figure("fixture-"+p.Pseudonym, "", tl)
		figure("fixture-"+p.Pseudonym+"-lanes", "?lanes=1&show=stem", tl)
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
