// Package gmt reads gene sets: GMT files (Broad Institute format: one set per
// line, name<TAB>description<TAB>gene...) and weighted gene lists
// (gene<TAB>weight per line, for linear scores such as LSC17).
package gmt

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/lsc-bio/lsc/formats"
)

// Set is one gene set as read from a file.
type Set struct {
	Name        string
	Description string
	Genes       []string
	Weights     []float64 // nil for unweighted sets
}

// ReadGMT reads a GMT file. Blank genes are skipped; a gene listed twice in a
// set is kept once; two sets with the same name are an error.
func ReadGMT(path string) ([]Set, error) {
	l, err := formats.NewLines(path)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	return parseGMT(l, path)
}

// ParseGMT parses GMT text (used for embedded sets and fuzzing).
func ParseGMT(data []byte, name string) ([]Set, error) {
	return parseGMT(&sliceLines{b: data}, name)
}

type lineReader interface {
	Next() ([]byte, error)
	Line() int
}

type sliceLines struct {
	b []byte
	n int
}

func (s *sliceLines) Next() ([]byte, error) {
	if len(s.b) == 0 {
		return nil, io.EOF
	}
	i := bytes.IndexByte(s.b, '\n')
	var line []byte
	if i < 0 {
		line, s.b = s.b, nil
	} else {
		line, s.b = s.b[:i], s.b[i+1:]
	}
	s.n++
	return bytes.TrimSuffix(line, []byte{'\r'}), nil
}
func (s *sliceLines) Line() int { return s.n }

type fileLines struct{ *formats.Lines }

func (f fileLines) Line() int { return f.N }

func parseGMT(r any, path string) ([]Set, error) {
	var lr lineReader
	switch x := r.(type) {
	case *formats.Lines:
		lr = fileLines{x}
	case lineReader:
		lr = x
	}
	var sets []Set
	seen := map[string]int{}
	for {
		line, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(line)) == 0 || line[0] == '#' {
			continue
		}
		f := strings.Split(string(line), "\t")
		if len(f) < 3 {
			return nil, formats.Errorf(path, lr.Line(), "", "GMT lines are name<TAB>description<TAB>gene1<TAB>gene2...; for one gene per line use a weighted list", "fewer than three tab-separated fields")
		}
		name := strings.TrimSpace(f[0])
		if name == "" {
			return nil, formats.Errorf(path, lr.Line(), "field 1", "name the set", "empty set name")
		}
		if prev, dup := seen[name]; dup {
			return nil, formats.Errorf(path, lr.Line(), "", "set names must be unique", "set %q already defined on line %d", name, prev)
		}
		seen[name] = lr.Line()
		s := Set{Name: name, Description: f[1]}
		have := map[string]bool{}
		for _, g := range f[2:] {
			g = strings.TrimSpace(g)
			if g == "" || have[g] {
				continue
			}
			have[g] = true
			s.Genes = append(s.Genes, g)
		}
		if len(s.Genes) == 0 {
			return nil, formats.Errorf(path, lr.Line(), "", "list at least one gene", "set %q has no genes", name)
		}
		sets = append(sets, s)
	}
	if len(sets) == 0 {
		return nil, formats.Errorf(path, 0, "", "a GMT file has one gene set per line", "no gene sets")
	}
	return sets, nil
}

// ReadWeighted reads gene<TAB>weight lines (a header line "gene<TAB>weight"
// is allowed; '#' lines are comments) as one weighted set named name.
func ReadWeighted(path, name string) (Set, error) {
	l, err := formats.NewLines(path)
	if err != nil {
		return Set{}, err
	}
	defer l.Close()
	return parseWeighted(fileLines{l}, path, name)
}

// ParseWeighted parses weighted-list text.
func ParseWeighted(data []byte, path, name string) (Set, error) {
	return parseWeighted(&sliceLines{b: data}, path, name)
}

func parseWeighted(lr lineReader, path, name string) (Set, error) {
	s := Set{Name: name}
	seen := map[string]int{}
	for {
		line, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Set{}, err
		}
		t := strings.TrimSpace(string(line))
		if t == "" || t[0] == '#' {
			continue
		}
		f := strings.FieldsFunc(t, func(r rune) bool { return r == '\t' || r == ',' })
		if len(f) != 2 {
			return Set{}, formats.Errorf(path, lr.Line(), "", "each line is gene<TAB>weight", "%d fields", len(f))
		}
		g := strings.TrimSpace(f[0])
		w, err := strconv.ParseFloat(strings.TrimSpace(f[1]), 64)
		if err != nil || math.IsNaN(w) || math.IsInf(w, 0) {
			if len(s.Genes) == 0 && len(seen) == 0 {
				seen["\x00header"] = lr.Line()
				continue // header line
			}
			return Set{}, formats.Errorf(path, lr.Line(), "column 2", "weights are finite numbers", "weight %q of %s is not a number", f[1], g)
		}
		if prev, dup := seen[g]; dup {
			return Set{}, formats.Errorf(path, lr.Line(), "", "list each gene once", "gene %s repeats line %d", g, prev)
		}
		seen[g] = lr.Line()
		s.Genes = append(s.Genes, g)
		s.Weights = append(s.Weights, w)
	}
	if len(s.Genes) == 0 {
		return Set{}, formats.Errorf(path, 0, "", "each line is gene<TAB>weight", "no weighted genes")
	}
	return s, nil
}
