package store

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const scoreFixture = "testdata/score/AML870-D0.scores.tsv"

// Hand-derived: values 1, 2, 3, 10 (and one cell without a score): mean
// 16/4 = 4; median (2+3)/2 = 2.5; sd sqrt(((1-4)^2+(2-4)^2+(3-4)^2+(10-4)^2)/3)
// = sqrt(50/3); R's type-7 quartiles: h = 3*0.25 = 0.75 -> 1 + 0.75*(2-1) =
// 1.75 and h = 2.25 -> 3 + 0.25*(10-3) = 4.75.
func TestSummariseHandDerived(t *testing.T) {
	s := summarise([]float64{10, 1, 3, 2})
	want := scoreSummary{N: 4, Mean: 4, Median: 2.5, SD: math.Sqrt(50.0 / 3), Q25: 1.75, Q75: 4.75, Min: 1, Max: 10}
	if s != want {
		t.Errorf("got %+v, want %+v", s, want)
	}
	if s := summarise([]float64{7}); s.Mean != 7 || s.Median != 7 || s.SD != 0 || s.Q25 != 7 || s.Q75 != 7 {
		t.Errorf("one value: %+v", s)
	}
}

// independentSummary reads the TSV with encoding/csv and computes, per
// signature column, the mean (sum in file order / n) and the median (middle
// of the sorted values, or the average of the two middle ones).
func independentSummary(t *testing.T, path string) (sigs []string, mean, median map[string]float64, n int) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sigs = recs[0][1:]
	mean, median = map[string]float64{}, map[string]float64{}
	for j, s := range sigs {
		var v []float64
		sum := 0.0
		for _, rec := range recs[1:] {
			x, err := strconv.ParseFloat(rec[j+1], 64)
			if err != nil {
				t.Fatal(err)
			}
			v = append(v, x)
			sum += x
		}
		sort.Float64s(v)
		mean[s] = sum / float64(len(v))
		if m := len(v) / 2; len(v)%2 == 1 {
			median[s] = v[m]
		} else {
			median[s] = (v[m-1] + v[m]) / 2
		}
	}
	return sigs, mean, median, len(recs) - 1
}

// lsc score output of the real demo sample (van Galen AML870-D0, 345
// cells, three signatures): the timeline's score series per signature
// holds the mean the test computes from the TSV, the stored summary its
// median and cell count; the TSV is kept by checksum; a second import
// changes nothing; export and re-import keep the timeline.
func TestImportScores(t *testing.T) {
	sigs, mean, median, ncells := independentSummary(t, scoreFixture)
	if len(sigs) != 3 || ncells != 345 {
		t.Fatalf("fixture: %d signatures, %d cells", len(sigs), ncells)
	}
	backends(t, func(t *testing.T, st Store, _ string) {
		ctx := context.Background()
		opt := ScoreOptions{Patient: "AML870", Sample: "AML870-D0", Date: "2013-07-22", Timepoint: "diagnosis", Tissue: "BM"}
		res, err := st.ImportScores(ctx, "", scoreFixture, opt)
		if err != nil {
			t.Fatal(err)
		}
		if res.Kind != "score" || res.Results != 3 || res.Samples != 1 || res.Patients != 1 {
			t.Fatalf("import: %+v", res)
		}
		tl, err := st.Timeline(ctx, "", "AML870")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]Point{}
		for _, s := range tl.Series {
			if s.Metric != "score" || s.Assay != "single_cell" || s.Unit != "score" || len(s.Points) != 1 {
				t.Errorf("series %+v", s)
				continue
			}
			got[s.Target] = s.Points[0]
		}
		for _, sig := range sigs {
			p, ok := got[sig]
			if !ok {
				t.Errorf("no score series for %s", sig)
				continue
			}
			if p.Value == nil || math.Abs(*p.Value-mean[sig]) > 1e-15*math.Abs(mean[sig]) {
				t.Errorf("%s: timeline value %v, mean of the TSV %v", sig, p.Value, mean[sig])
			}
			if p.Sample != "AML870-D0" || p.Run != res.Run || p.Date == nil || *p.Date != "2013-07-22" {
				t.Errorf("%s: point %+v", sig, p)
			}
			var fields string
			var n int64
			if err := st.DB().QueryRowContext(ctx, coreOf(st).d.q("SELECT fields, n FROM results WHERE metric = 'score' AND target = ?"), sig).Scan(&fields, &n); err != nil {
				t.Fatal(err)
			}
			var fm map[string]string
			json.Unmarshal([]byte(fields), &fm)
			med, _ := strconv.ParseFloat(fm["median"], 64)
			if n != 345 || fm["n_cells"] != "345" || fm["n_missing"] != "0" || med != median[sig] {
				t.Errorf("%s: n %d, fields %v; want 345 cells, median %v", sig, n, fm, median[sig])
			}
		}
		run, err := st.Run(ctx, res.Run)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := os.ReadFile(scoreFixture)
		sum := sha256.Sum256(raw)
		if len(run.Files) != 1 || run.Files[0].Name != "AML870-D0.scores.tsv" || run.Files[0].SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("run files %+v", run.Files)
		}
		if again, err := st.ImportScores(ctx, "", scoreFixture, opt); err != nil || !again.AlreadyImported || again.Run != res.Run {
			t.Errorf("second import: %+v %v", again, err)
		}
		// The same file for another sample is another run.
		if other, err := st.ImportScores(ctx, "", scoreFixture, ScoreOptions{Patient: "AML870", Sample: "AML870-R"}); err != nil || other.Run == res.Run {
			t.Errorf("other sample: %+v %v", other, err)
		}
		dir := filepath.Join(t.TempDir(), "archive")
		if err := st.Export(ctx, "", dir, ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		fresh := openStore(t, filepath.Join(t.TempDir(), "fresh.db"))
		if _, err := fresh.ImportArchive(ctx, dir); err != nil {
			t.Fatal(err)
		}
		if a, b := timelines(t, st, ""), timelines(t, fresh, ""); !equalMaps(a, b) {
			t.Errorf("timelines differ after export/import")
		}
	})
}

// Bad input: a missing sample or patient, a file that is not lsc score
// output, a non-number, a bad date: clear errors, nothing written.
func TestImportScoresBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o666)
		return p
	}
	stem := write("samples.tsv", "sample\tpatient\ttimepoint\tn_cells\tn_stem_like\tfraction\tlower95\tupper95\nS1\tP1\tdiagnosis\t10\t2\t0.2\t0.05\t0.5\n")
	word := write("word.tsv", "cell\tSTEM\nc1\t0.5\nc2\thigh\n")
	empty := write("empty.tsv", "cell\tSTEM\n")
	ok := write("ok.tsv", "cell\tSTEM\tOTHER\nc1\t0.5\tNaN\nc2\t0.25\tNaN\n")
	backends(t, func(t *testing.T, st Store, _ string) {
		ctx := context.Background()
		p := ScoreOptions{Patient: "P1", Sample: "S1"}
		for _, c := range []struct {
			path string
			opt  ScoreOptions
			want string
			is   error
		}{
			{scoreFixture, ScoreOptions{Patient: "P1"}, "--sample", nil},
			{scoreFixture, ScoreOptions{Sample: "S1"}, "--patient", nil},
			{stem, p, "samples.tsv line 1", ErrNotScores},
			{word, p, "word.tsv line 3", ErrNotScores},
			{empty, p, "no cells", ErrNotScores},
			{dir, p, "is a folder", nil},
			{scoreFixture, ScoreOptions{Patient: "P1", Sample: "S1", Date: "22/07/2013"}, "YYYY-MM-DD", nil},
		} {
			_, err := st.ImportScores(ctx, "", c.path, c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) || (c.is != nil && !errors.Is(err, c.is)) {
				t.Errorf("%s %+v: %v, want an error with %q", filepath.Base(c.path), c.opt, err, c.want)
			}
		}
		if ps, _ := st.Patients(ctx, "", Page{}); len(ps) != 0 {
			t.Errorf("bad imports wrote %d patients", len(ps))
		}
		// A signature no cell could score is reported, not stored as 0.
		res, err := st.ImportScores(ctx, "", ok, p)
		if err != nil || res.Results != 1 || res.Skipped != 1 || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "OTHER") {
			t.Errorf("all-NaN signature: %+v %v", res, err)
		}
	})
}
