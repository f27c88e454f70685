// Package gmt reads gene sets: GMT files (Broad Institute format: one set per
// line, name<TAB>description<TAB>gene...) and weighted gene lists
// (gene<TAB>weight per line, for linear scores such as LSC17). Both readers
// take an io.Reader and the name errors give (Read, ReadWeighted); ReadFile
// opens a plain or gzip file and tells the two layouts apart by content.
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

// Errors a caller can branch on (wrapped in a *formats.ParseError).
var (
	ErrNoSets    = errors.New("no gene sets")
	ErrDuplicate = errors.New("repeated name")
)

// Read reads GMT text from r; name is the file name errors give. Blank genes
// are skipped; a gene listed twice in a set is kept once; two sets with the
// same name are an error.
func Read(r io.Reader, name string) ([]Set, error) {
	l := formats.NewLineReader(r, name)
	var sets []Set
	seen := map[string]int{}
	for {
		line, err := l.Next()
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
			return nil, formats.Errorf(name, l.N, "", "GMT lines are name<TAB>description<TAB>gene1<TAB>gene2...; for one gene per line use a weighted list", "fewer than three tab-separated fields")
		}
		setName := strings.TrimSpace(f[0])
		if setName == "" {
			return nil, formats.Errorf(name, l.N, "field 1", "name the set", "empty set name")
		}
		if prev, dup := seen[setName]; dup {
			return nil, formats.Failure(ErrDuplicate, name, l.N, "", "set names must be unique", "set %q already defined on line %d", setName, prev)
		}
		seen[setName] = l.N
		s := Set{Name: setName, Description: f[1]}
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
			return nil, formats.Errorf(name, l.N, "", "list at least one gene", "set %q has no genes", setName)
		}
		sets = append(sets, s)
	}
	if len(sets) == 0 {
		return nil, formats.Failure(ErrNoSets, name, 0, "", "a GMT file has one gene set per line", "no gene sets")
	}
	return sets, nil
}

// ReadWeighted reads gene<TAB>weight lines (comma also separates; a header
// line such as "gene<TAB>weight" is allowed; '#' lines are comments) as one
// weighted set, unnamed; name is the file name errors give.
func ReadWeighted(r io.Reader, name string) (Set, error) {
	l := formats.NewLineReader(r, name)
	var s Set
	seen := map[string]int{}
	header := false
	for {
		line, err := l.Next()
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
			return Set{}, formats.Errorf(name, l.N, "", "each line is gene<TAB>weight", "%d fields", len(f))
		}
		g := strings.TrimSpace(f[0])
		w, err := strconv.ParseFloat(strings.TrimSpace(f[1]), 64)
		if err != nil || math.IsNaN(w) || math.IsInf(w, 0) {
			if len(s.Genes) == 0 && !header {
				header = true
				continue // header line
			}
			return Set{}, formats.Errorf(name, l.N, "column 2", "weights are finite numbers", "weight %q of %s is not a number", f[1], g)
		}
		if prev, dup := seen[g]; dup {
			return Set{}, formats.Failure(ErrDuplicate, name, l.N, "", "list each gene once", "gene %s repeats line %d", g, prev)
		}
		seen[g] = l.N
		s.Genes = append(s.Genes, g)
		s.Weights = append(s.Weights, w)
	}
	if len(s.Genes) == 0 {
		return Set{}, formats.Failure(ErrNoSets, name, 0, "", "each line is gene<TAB>weight", "no weighted genes")
	}
	return s, nil
}

// IsGMT reports whether text looks like GMT: its first line that is not
// blank or a comment has at least three tab-separated fields.
func IsGMT(text []byte) bool {
	for _, line := range strings.Split(string(text), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' {
			continue
		}
		return len(strings.Split(strings.TrimRight(line, "\r"), "\t")) >= 3
	}
	return false
}

// ReadFile reads a GMT file or a weighted list (plain or gzip), told apart
// by IsGMT; a weighted list becomes one set named after the file (its base
// name up to the first dot).
func ReadFile(path string) ([]Set, error) {
	rc, err := formats.OpenText(path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, 1<<30))
	if err != nil {
		return nil, formats.Wrap(err, path, 0, "", "", "read error")
	}
	if IsGMT(data) {
		return Read(bytes.NewReader(data), path)
	}
	s, err := ReadWeighted(bytes.NewReader(data), path)
	if err != nil {
		return nil, err
	}
	base := path[strings.LastIndexAny(path, "/\\")+1:]
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	s.Name = base
	return []Set{s}, nil
}
