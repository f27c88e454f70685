package flowstudy

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/internal/fcstest"
	"github.com/lsc-bio/lsc/study"
)

// samples writes four FCS files, the third without CD34.
func samples(t *testing.T) []study.Sample {
	dir := t.TempDir()
	var items []study.Sample
	for i, v := range [][]float64{{1000, 50000, 10000, 0}, {1200, 40000, 9000, 300}, {900, 60000, 200, 5000}, {800, 30000, 12000, 50}} {
		labels := []string{"CD45", "SSC-A", "CD34", "CD38"}
		if i == 2 {
			labels, v = []string{"CD45", "SSC-A", "CD38"}, []float64{v[0], v[1], v[3]}
		}
		id := string(rune('A' + i))
		p := fcstest.Write(t, dir, id+".fcs", labels, v)
		items = append(items, study.Sample{ID: id, Patient: "P1", Path: p})
	}
	return items
}

// The result does not depend on Jobs nor on the cache: one goroutine, three,
// and three again after MeasureInto cached sample B give the same rows,
// pages, gates and run.json (the cmd tests compare the files written). The
// cache file is where PartPaths says, and sample C's missing CD34 is warned
// under its name.
func TestRunSameForJobsAndCache(t *testing.T) {
	items := samples(t)
	opt := Options{Quantile: 0.995, Comp: "spill", Jobs: 1, Version: "test"}
	one, err := Run(items, t.TempDir(), opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Jobs = 3
	dir := t.TempDir()
	three, err := Run(items, dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	p, part, err := MeasureInto(items[1], dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, PartPaths(items, opt)[1]); p != want || part.Row.Sample != "B" {
		t.Fatalf("MeasureInto wrote %s (sample %s), PartPaths says %s", p, part.Row.Sample, want)
	}
	cached, err := Run(items, dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*Result{"3 jobs": three, "cached": cached} {
		if !reflect.DeepEqual(r, one) {
			t.Errorf("%s: result differs from 1 job's", name)
		}
	}
	if len(one.Rows) != 4 || len(one.Pages) != 4 || len(one.Gates) == 0 {
		t.Fatalf("%d rows, %d pages, %d bytes of gates", len(one.Rows), len(one.Pages), len(one.Gates))
	}
	if !strings.Contains(strings.Join(one.Warnings, "\n"), "C: CD34 is not in this panel") {
		t.Errorf("warnings lack C's missing CD34: %q", one.Warnings)
	}
	if _, err := Run(items, dir, Options{Jobs: 0}); err == nil {
		t.Error("0 jobs: no error")
	}
}
