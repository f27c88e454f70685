package adt

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// ErrTable is wrapped by errors reading a normalised table.
var ErrTable = errors.New("normalised ADT table")

// ReadTable reads the layout lsc adt normalize writes (and Seurat/scanpy
// exports of it): a header "cell" (any first name) then one column per
// antibody, one row per cell, tab- or comma-separated; lines starting
// with '#' are skipped. name is used in errors. Values must be finite
// numbers (NA is refused: a cell without a value cannot be called).
func ReadTable(r io.Reader, name string) (*Matrix, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<26)
	m := &Matrix{}
	sep := ""
	line := 0
	seenCell := map[string]int{}
	for sc.Scan() {
		line++
		l := strings.TrimRight(sc.Text(), "\r")
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if sep == "" {
			sep = "\t"
			if !strings.Contains(l, "\t") && strings.Contains(l, ",") {
				sep = ","
			}
			f := strings.Split(l, sep)
			if len(f) < 2 {
				return nil, fmt.Errorf("%w %s line %d: the header needs a cell column and one column per antibody (tab- or comma-separated)", ErrTable, name, line)
			}
			seen := map[string]bool{}
			for _, a := range f[1:] {
				a = unquote(a)
				if a == "" {
					return nil, fmt.Errorf("%w %s line %d: an antibody column has no name", ErrTable, name, line)
				}
				if seen[a] {
					return nil, fmt.Errorf("%w %s line %d: antibody %q appears twice in the header", ErrTable, name, line, a)
				}
				seen[a] = true
				m.Antibodies = append(m.Antibodies, a)
			}
			m.Values = make([][]float64, len(m.Antibodies))
			continue
		}
		f := strings.Split(l, sep)
		if len(f) != len(m.Antibodies)+1 {
			return nil, fmt.Errorf("%w %s line %d: %d fields, the header has %d", ErrTable, name, line, len(f), len(m.Antibodies)+1)
		}
		cell := unquote(f[0])
		if prev, ok := seenCell[cell]; ok {
			return nil, fmt.Errorf("%w %s line %d: cell %q already on line %d", ErrTable, name, line, cell, prev)
		}
		seenCell[cell] = line
		m.Cells = append(m.Cells, cell)
		for a, s := range f[1:] {
			v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w %s line %d, cell %s, %s: %q is not a finite number", ErrTable, name, line, cell, m.Antibodies[a], s)
			}
			m.Values[a] = append(m.Values[a], v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrTable, name, err)
	}
	if sep == "" {
		return nil, fmt.Errorf("%w %s: empty (expected a header: cell, then one column per antibody)", ErrTable, name)
	}
	if len(m.Cells) == 0 {
		return nil, fmt.Errorf("%w %s: a header but no cells", ErrTable, name)
	}
	return m, nil
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
