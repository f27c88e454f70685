// Package fcstest writes small FCS files for tests.
package fcstest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lsc-bio/lsc/flow/fcs"
)

// Write writes dir/name: ten identical events of vals on channels whose
// markers ($PnS) are labels (named FL-label, except SSC-A), as an FCS 3.1
// file, and returns its path.
func Write(t testing.TB, dir, name string, labels []string, vals []float64) string {
	t.Helper()
	p := filepath.Join(dir, name)
	var ch []fcs.Channel
	for _, l := range labels {
		n := "FL-" + l
		if l == "SSC-A" {
			n = l
		}
		ch = append(ch, fcs.Channel{N: n, S: l})
	}
	var ev []float64
	for range 10 {
		ev = append(ev, vals...)
	}
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := fcs.Write(f, ch, ev, nil); err != nil {
		t.Fatal(err)
	}
	return p
}
