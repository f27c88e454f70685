package stemcell

import (
	"errors"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
	"github.com/lsc-bio/lsc/study"
)

// CachePath names the file ScoreSamples writes (the workflow declares it as
// the per-sample output), and another parameter gives another file.
func TestCachePath(t *testing.T) {
	dir := t.TempDir()
	s := study.Sample{ID: "P1/dx", Path: "../demo/data/GSM3587984_AML870-D0.dem.txt.gz"}
	sig, _ := signature.Lookup("LSPC-Quiescent")
	o := ScoreOptions{Score: score.Options{Method: "ucell", MaxRank: 1500}, CacheDir: dir}
	want, err := CachePath(dir, s, sig, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ScoreSamples([]study.Sample{s}, sig, o); err != nil {
		t.Fatal(err)
	}
	got, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(got) != 1 || got[0] != want || filepath.Base(want)[:6] != "P1_dx." {
		t.Errorf("cache files %v, CachePath %s", got, want)
	}
	o.Score.MaxRank = 1000
	if other, _ := CachePath(dir, s, sig, o); other == want {
		t.Error("--max-rank does not change the cache file")
	}
	if _, err := CachePath(dir, study.Sample{ID: "x", Path: "missing.tsv"}, sig, o); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing input: %v", err)
	}
}
