package main

import (
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// lsc score on the embedded demo sample (van Galen 2019 AML870-D0, 345
// cells), then lsc study import --kind score and lsc score --study: the
// timeline's score series per signature equals the mean of the TSV's
// column, computed here from the file (sum in file order / cells); the
// stored median is checked in store/scores_test.go.
func TestStudyImportScores(t *testing.T) {
	dir := t.TempDir()
	tsv := filepath.Join(dir, "AML870-D0.tsv")
	score := []string{"score", "../../demo/data/GSM3587984_AML870-D0.dem.txt.gz", "--signatures", "LSPC-Quiescent,GMP-like-Top100", "--method", "ucell", "-q"}
	if code, _, errs := runLSC(t, append(score, "--out", tsv)...); code != 0 {
		t.Fatal(errs)
	}
	c, rows := readTSV(t, tsv, "\t")
	if len(rows) != 345 || len(c) != 3 {
		t.Fatalf("%d cells, columns %v", len(rows), c)
	}
	mean := map[string]float64{}
	for _, sig := range []string{"LSPC-Quiescent", "GMP-like-Top100"} {
		sum := 0.0
		var v []float64
		for _, r := range rows {
			x, err := strconv.ParseFloat(r[c[sig]], 64)
			if err != nil {
				t.Fatal(err)
			}
			sum += x
			v = append(v, x)
		}
		sort.Float64s(v)
		mean[sig] = sum / float64(len(rows))
		if mean[sig] <= v[0] || mean[sig] >= v[len(v)-1] {
			t.Fatalf("%s: mean %v outside the scores", sig, mean[sig])
		}
	}
	db := filepath.Join(dir, "s.db")
	runLSC(t, "study", "init", "--db", db)
	// Bad input first: nothing is written.
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"--kind", "score", "--patient", "AML870", tsv}, "give --sample"},
		{[]string{"--kind", "score", "--sample", "AML870-D0", tsv}, "give --patient"},
		{[]string{"--kind", "score", "--patient", "AML870", "--sample", "AML870-D0", "../../store/testdata/study/stem/samples.tsv"}, "not an lsc score TSV"},
		{[]string{"--kind", "scores", tsv}, "the kinds are score"},
		{[]string{"--patient", "AML870", tsv}, "--kind score only"},
	} {
		code, _, errs := runLSC(t, append([]string{"study", "import", "--db", db}, bad.args...)...)
		if code == 0 || !strings.Contains(errs, bad.want) {
			t.Errorf("%v: %d %q, want %q", bad.args, code, errs, bad.want)
		}
	}
	code, _, errs := runLSC(t, "study", "import", "--db", db, "--kind", "score", "--patient", "AML870", "--sample", "AML870-D0",
		"--date", "2013-07-22", "--timepoint", "diagnosis", "--tissue", "BM", tsv)
	if code != 0 || !strings.Contains(errs, "(score): 1 patients, 1 samples, 0 events, 2 results added") {
		t.Fatalf("import: %d %s", code, errs)
	}
	check := func(sample string) {
		t.Helper()
		tl := timelineJSON(t, db, "AML870")
		for sig, m := range mean {
			found := false
			for _, s := range tl.Series {
				for _, p := range s.Points {
					if s.Metric == "score" && s.Target == sig && p.Sample == sample {
						found = true
						if p.Value == nil || math.Abs(*p.Value-m) > 1e-15*m {
							t.Errorf("%s %s: timeline %v, mean of the TSV %v", sample, sig, p.Value, m)
						}
					}
				}
			}
			if !found {
				t.Errorf("%s: no score point for %s", sample, sig)
			}
		}
	}
	check("AML870-D0")
	// lsc score --study records the TSV it writes.
	tsv2 := filepath.Join(dir, "again.tsv")
	if code, _, errs := runLSC(t, append(score, "--out", tsv2, "--study", db, "--patient", "AML870")...); code != 2 || !strings.Contains(errs, "give --sample") {
		t.Errorf("--study without --sample: %d %s", code, errs)
	}
	if _, err := os.Stat(tsv2); err == nil {
		t.Error("scored before the flags were checked")
	}
	if code, _, errs := runLSC(t, append(score, "--out", tsv2, "--study", db, "--patient", "AML870", "--sample", "AML870-D0b")...); code != 0 || !strings.Contains(errs, "2 results added") {
		t.Fatalf("score --study: %d %s", code, errs)
	}
	check("AML870-D0b")
	if code, _, errs := runLSC(t, append(score, "--out", filepath.Join(dir, "x.tsv"), "--sample", "S")...); code != 2 || !strings.Contains(errs, "give --study") {
		t.Errorf("--sample without --study: %d %s", code, errs)
	}
}
