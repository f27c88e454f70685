// Package table reads dense expression matrices stored as text with genes in
// rows and cells (or bulk samples) in columns: tab-, comma- or
// semicolon-separated (told from the header line, not the file name), plain
// or gzip, with a header line of sample names. The header may or may not have
// a name for the gene column (R write.table omits it; van Galen 2019 GEO
// files call it "Gene"). The matrix is read whole and kept sparse by cell.
package table

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strconv"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/matrix"
)

// ReadFile reads a dense genes x samples text matrix from a file (plain or
// gzip) with Read.
func ReadFile(path string) (*matrix.CSR, error) {
	l, err := formats.NewLines(path)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	return read(l, path)
}

// Read parses a dense genes x samples text matrix from r (plain text); name
// is the file name errors give.
func Read(r io.Reader, name string) (*matrix.CSR, error) {
	return read(formats.NewLineReader(r, name), name)
}

func read(l *formats.Lines, path string) (*matrix.CSR, error) {
	head, err := l.Next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, formats.Errorf(path, 1, "", "the first line names the samples", "empty file")
		}
		return nil, err
	}
	sep := formats.Delimiter(head)
	hf := splitFields(head, sep)
	// Entries are kept gene by gene as read (cell, value), with each gene's
	// start in rowStart, then turned into the cells' CSR at the end: in
	// blocks of a fixed size that are never copied (a slice grown by
	// doubling copied every entry about twice and held both copies at once:
	// a 16,000-sample table peaked at 450 MB, 30 % of its CPU in the copies).
	var ents entryBlocks
	var cols []string
	rowStart := []int{0}
	var feats []matrix.Feature
	seenGene := map[string]int{}
	var f [][]byte // the line's fields, reused
	first := true
	for {
		line, err := l.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		f = appendFields(f[:0], line, sep)
		if first {
			switch len(f) {
			case len(hf) + 1:
				cols = hf
			case len(hf):
				cols = hf[1:]
			default:
				return nil, formats.Errorf(path, l.N, "", "every line is a gene name followed by one value per sample in the header", "%d fields, but the header names %d samples", len(f), len(hf))
			}
			seen := map[string]int{}
			for i, c := range cols {
				if c == "" {
					return nil, formats.Errorf(path, 1, "column "+strconv.Itoa(i+2), "name every sample column", "empty sample name")
				}
				if j, dup := seen[c]; dup {
					return nil, formats.Errorf(path, 1, "column "+strconv.Itoa(i+2), "sample names must be unique", "sample %q also in column %d", c, j+2)
				}
				seen[c] = i
			}
			first = false
		}
		if len(f) != len(cols)+1 {
			return nil, formats.Errorf(path, l.N, "", "every line is a gene name followed by one value per sample", "%d values, expected %d", len(f)-1, len(cols))
		}
		g := string(f[0])
		if g == "" {
			return nil, formats.Errorf(path, l.N, "column 1", "every row needs a gene name", "empty gene name")
		}
		if prev, dup := seenGene[g]; dup {
			return nil, formats.Errorf(path, l.N, "column 1", "each gene must appear once: sum or drop the repeated rows first", "gene %q repeats line %d", g, prev)
		}
		seenGene[g] = l.N
		feats = append(feats, matrix.Feature{ID: g, Name: g})
		for j, s := range f[1:] {
			if len(s) == 1 && s[0] == '0' {
				continue
			}
			v, ok := parseCount(s)
			if !ok {
				var err error
				v, err = strconv.ParseFloat(string(s), 64)
				if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, formats.Errorf(path, l.N, "column "+strconv.Itoa(j+2)+" ("+cols[j]+")", "values must be finite numbers; impute or drop missing values first", "value %q for gene %s is not a number", s, g)
				}
			}
			if v != 0 {
				ents.add(int32(j), v)
			}
		}
		rowStart = append(rowStart, ents.n)
	}
	if first {
		return nil, formats.Errorf(path, 2, "", "the file needs a header and one line per gene", "no gene rows")
	}
	m := &matrix.CSR{Feats: feats, Cells: cols, Indptr: make([]int, len(cols)+1),
		Indices: make([]int32, ents.n), Data: make([]float64, ents.n),
		Meta: matrix.Info{Format: "dense-table", Path: path, Matrix: "genes x samples"}}
	for _, b := range ents.cell {
		for _, c := range b {
			m.Indptr[c+1]++
		}
	}
	for c := range cols {
		m.Indptr[c+1] += m.Indptr[c]
	}
	next := append([]int(nil), m.Indptr[:len(cols)]...)
	gi, k := 0, 0 // gene, and entry number
	for bi, b := range ents.cell {
		for i, c := range b {
			for k == rowStart[gi+1] {
				gi++
			}
			at := next[c]
			m.Indices[at], m.Data[at] = int32(gi), ents.val[bi][i]
			next[c]++
			k++
		}
	}
	return m, nil
}

// entryBlocks holds (cell, value) entries in order, in blocks that double
// from 4,096 entries up to 1,048,576 and are never copied.
type entryBlocks struct {
	cell [][]int32
	val  [][]float64
	n    int
}

func (e *entryBlocks) add(c int32, v float64) {
	last := len(e.cell) - 1
	if last < 0 || len(e.cell[last]) == cap(e.cell[last]) {
		size := min(max(e.n, 1<<12), 1<<20)
		e.cell = append(e.cell, make([]int32, 0, size))
		e.val = append(e.val, make([]float64, 0, size))
		last++
	}
	e.cell[last] = append(e.cell[last], c)
	e.val[last] = append(e.val[last], v)
	e.n++
}

// parseCount reads a plain run of up to 15 decimal digits (a count) exactly,
// without allocating; anything else is left to strconv.ParseFloat.
func parseCount(s []byte) (float64, bool) {
	if len(s) == 0 || len(s) > 15 {
		return 0, false
	}
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return float64(n), true
}

// appendFields appends line's fields (split at sep, trimmed, one pair of
// surrounding double quotes removed) to f; they alias line.
func appendFields(f [][]byte, line []byte, sep byte) [][]byte {
	for {
		i := bytes.IndexByte(line, sep)
		p := line
		if i >= 0 {
			p = line[:i]
		}
		p = bytes.TrimSpace(p)
		if len(p) >= 2 && p[0] == '"' && p[len(p)-1] == '"' {
			p = p[1 : len(p)-1]
		}
		f = append(f, p)
		if i < 0 {
			return f
		}
		line = line[i+1:]
	}
}

func splitFields(line []byte, sep byte) []string {
	parts := bytes.Split(line, []byte{sep})
	out := make([]string, len(parts))
	for i, p := range parts {
		p = bytes.TrimSpace(p)
		if len(p) >= 2 && p[0] == '"' && p[len(p)-1] == '"' {
			p = p[1 : len(p)-1]
		}
		out[i] = string(p)
	}
	return out
}
