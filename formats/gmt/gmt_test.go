package gmt

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestErrors(t *testing.T) {
	if _, err := Read(strings.NewReader("# only a comment\n"), "e.gmt"); !errors.Is(err, ErrNoSets) {
		t.Errorf("empty: %v", err)
	}
	if _, err := Read(strings.NewReader("A\td\tX\nA\td\tY\n"), "d.gmt"); !errors.Is(err, ErrDuplicate) || !strings.Contains(err.Error(), "d.gmt line 2") {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := ReadWeighted(strings.NewReader("gene\tweight\nA\t1\nA\t2\n"), "w.tsv"); !errors.Is(err, ErrDuplicate) {
		t.Errorf("weighted duplicate: %v", err)
	}
}

func ExampleRead() {
	sets, _ := Read(strings.NewReader("STEM_UP\tfrom a paper\tCD34\tHLF\tCD34\n"), "sets.gmt")
	fmt.Println(sets[0].Name, sets[0].Genes)
	// Output: STEM_UP [CD34 HLF]
}

func ExampleReadWeighted() {
	s, _ := ReadWeighted(strings.NewReader("gene\tweight\nDNMT3B\t0.0874\nCD34\t0.0338\n"), "lsc.tsv")
	fmt.Println(s.Genes, s.Weights)
	// Output: [DNMT3B CD34] [0.0874 0.0338]
}
