// Package tenx reads 10x Genomics feature-barcode matrices: the MTX triplet
// folders of Cell Ranger 2 (genes.tsv) and >= 3 (features.tsv with a feature
// type column), plain or gzip, and the HDF5 files of Cell Ranger 1.x/2.x (one
// group per genome) and >= 3 (/matrix). Gene Expression features form the
// matrix; other feature types (Antibody Capture, CRISPR Guide Capture, ...)
// are kept apart in Other for CITE-seq work. Layouts follow the Cell Ranger
// documentation of the feature-barcode matrix formats.
package tenx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/internal/hugepage"
	"github.com/lsc-bio/lsc/matrix"
)

// GeneExpression is the feature type kept as the expression matrix.
const GeneExpression = "Gene Expression"

// MTX streams a Cell Ranger MTX folder by cell. Cell Ranger writes entries in
// column (cell) order, which lets cells be read one after another; a file in
// another order is read into memory once instead (noted in Info).
type MTX struct {
	dir, mtxPath string
	feats        []matrix.Feature
	featPos      []int32 // row (0-based) -> position among Gene Expression features, or -1
	otherPos     []int32 // row -> position among other features, or -1
	other        []matrix.Feature
	cells        []string
	nnz          int64
	lines        *formats.Lines
	mem          *matrix.MemSource // set when the file is not in cell order
	pos          int               // next cell to emit
	pending      []entry           // entries already read that belong to cell pos or later
	seen         int64             // entries read
	notes        []string
	mark         []int32 // feature position -> 1 + last cell that used it (duplicate check)
	otherEntries []entry // non-Gene Expression values (row = position in other), this pass
	passDone     bool    // the last pass read every entry
	ptr          []int64 // row ends within the block being read (reused)
	line         int     // line of the entry last read
	slow         int     // entries to read line by line before trying fastEntries again
	started      bool    // Next has read from lines since they were opened
	// The chunk being built: fastEntries' last cell and gene position, and
	// whether an entry broke rising gene positions within a cell or was
	// zero (then AppendRows sorts and drops; otherwise the rows stand).
	rowCol  int
	rowLast int32
	messy   bool
}

type entry struct {
	row, col int32
	v        float64
}

// Find returns the paths of the three files of an MTX folder.
func Find(dir string) (mtx, barcodes, features string, v3 bool, err error) {
	pick := func(names ...string) string {
		for _, n := range names {
			p := filepath.Join(dir, n)
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
		return ""
	}
	mtx = pick("matrix.mtx.gz", "matrix.mtx")
	barcodes = pick("barcodes.tsv.gz", "barcodes.tsv")
	features = pick("features.tsv.gz", "features.tsv")
	v3 = features != ""
	if !v3 {
		features = pick("genes.tsv.gz", "genes.tsv")
	}
	var missing []string
	if mtx == "" {
		missing = append(missing, "matrix.mtx(.gz)")
	}
	if barcodes == "" {
		missing = append(missing, "barcodes.tsv(.gz)")
	}
	if features == "" {
		missing = append(missing, "features.tsv(.gz) or genes.tsv")
	}
	if len(missing) > 0 {
		err = formats.Errorf(dir, 0, "", "a 10x folder holds matrix.mtx, barcodes.tsv and features.tsv (Cell Ranger >= 3) or genes.tsv (Cell Ranger 2); point lsc at the folder that has all three", "missing %v", missing)
	}
	return
}

// OpenMTX opens a Cell Ranger MTX folder.
func OpenMTX(dir string) (*MTX, error) {
	mtxPath, bcPath, featPath, _, err := Find(dir)
	if err != nil {
		return nil, err
	}
	m := &MTX{dir: dir, mtxPath: mtxPath}
	// The matrix begins to inflate (a few blocks ahead, in its own
	// goroutine) and the barcodes are read on the other core while the
	// features are.
	data, err := openLines(mtxPath)
	if err != nil {
		return nil, err
	}
	type barcodes struct {
		cells []string
		err   error
	}
	bc := make(chan barcodes, 1)
	go func() {
		cells, err := ReadBarcodes(bcPath)
		bc <- barcodes{cells, err}
	}()
	allFeats, repeated, err := readFeatures(featPath)
	b := <-bc
	if err == nil {
		err = b.err
	}
	if err != nil {
		data.Close()
		return nil, err
	}
	m.cells = b.cells
	if n := uniqueNote(repeated); n != "" {
		m.notes = append(m.notes, n)
	}
	// Sized once (a 30,000-gene table grown by appends was copied and
	// touched twice over); with only gene expression, the table is the
	// features as read.
	nGene := 0
	for _, f := range allFeats {
		if f.Type == "" || f.Type == GeneExpression {
			nGene++
		}
	}
	m.featPos, m.otherPos = make([]int32, 0, len(allFeats)), make([]int32, 0, len(allFeats))
	if nGene == len(allFeats) {
		m.feats = allFeats
		for i := range allFeats {
			m.featPos = append(m.featPos, int32(i))
			m.otherPos = append(m.otherPos, -1)
		}
	} else {
		m.feats, m.other = make([]matrix.Feature, 0, nGene), make([]matrix.Feature, 0, len(allFeats)-nGene)
		for _, f := range allFeats {
			if f.Type == "" || f.Type == GeneExpression {
				m.featPos = append(m.featPos, int32(len(m.feats)))
				m.otherPos = append(m.otherPos, -1)
				m.feats = append(m.feats, f)
			} else {
				m.featPos = append(m.featPos, -1)
				m.otherPos = append(m.otherPos, int32(len(m.other)))
				m.other = append(m.other, f)
			}
		}
	}
	if err := m.readHeader(data); err != nil {
		return nil, err
	}
	if len(m.other) > 0 {
		m.notes = append(m.notes, fmt.Sprintf("%d non-Gene Expression features kept apart (e.g. %s, %s)", len(m.other), m.other[0].Name, m.other[0].Type))
	}
	return m, nil
}

func readFeatures(path string) ([]matrix.Feature, []string, error) {
	l, err := formats.NewLines(path)
	if err != nil {
		return nil, nil, err
	}
	defer l.Close()
	// Room for the lines the file likely holds (a gzip features file
	// takes 4-5 bytes a line, a plain one 30-50): no copying of a growing
	// table of strings.
	var out []matrix.Feature
	if st, err := os.Stat(path); err == nil {
		per := int64(30)
		if strings.HasSuffix(path, ".gz") {
			per = 4
		}
		out = make([]matrix.Feature, 0, min(st.Size()/per+16, 1<<17))
	}
	for {
		line, err := l.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		id, rest, more := bytes.Cut(line, []byte{'\t'})
		if len(id) == 0 {
			return nil, nil, formats.Errorf(path, l.N, "", "each line is ID<TAB>symbol[<TAB>feature type]", "empty feature line")
		}
		ft := matrix.Feature{ID: string(id)}
		ft.Name = ft.ID
		if more {
			name, typ, hasType := bytes.Cut(rest, []byte{'\t'})
			ft.Name = string(name)
			if hasType {
				typ, _, _ = bytes.Cut(typ, []byte{'\t'})
				ft.Type = internType(typ)
			}
		}
		out = append(out, ft)
	}
	if len(out) == 0 {
		return nil, nil, formats.Errorf(path, 0, "", "the features file lists the matrix rows", "no features")
	}
	return out, MakeUnique(out), nil
}

// internType returns the feature type as a string, shared for the common
// types (a features file repeats one type on every line).
func internType(b []byte) string {
	switch string(b) {
	case GeneExpression:
		return GeneExpression
	case "Antibody Capture":
		return "Antibody Capture"
	case "CRISPR Guide Capture":
		return "CRISPR Guide Capture"
	}
	return string(b)
}

// ReadBarcodes reads a barcodes.tsv(.gz): one barcode per line, unique.
func ReadBarcodes(path string) ([]string, error) {
	l, err := formats.NewLines(path)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	var out []string
	seen := make(map[string]int, 4096)
	for {
		line, err := l.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		first, _, _ := bytes.Cut(line, []byte{'\t'})
		bc := string(first)
		if bc == "" {
			return nil, formats.Errorf(path, l.N, "", "remove blank lines", "empty barcode")
		}
		if prev, dup := seen[bc]; dup {
			return nil, formats.Errorf(path, l.N, "", "barcodes must be unique; if samples were merged, prefix each barcode with its sample", "duplicate barcode %s (first on line %d)", bc, prev)
		}
		seen[bc] = l.N
		out = append(out, bc)
	}
	return out, nil
}

// MakeUnique renames repeated gene symbols NAME, NAME.1, NAME.2 ... in file
// order, as Seurat's Read10X and scanpy's var_names_make_unique do (Cell
// Ranger references carry a few symbols shared by distinct Ensembl IDs). IDs
// are left as they are, so a gene can still be found by its ID. It returns
// the symbols that repeated, in file order.
func MakeUnique(fs []matrix.Feature) []string {
	taken := make(map[string]int, len(fs)) // every symbol given, and how often
	repeats := false
	for _, f := range fs {
		n := taken[f.Name]
		repeats = repeats || n > 0
		taken[f.Name] = n + 1
	}
	if !repeats {
		return nil
	}
	var repeated []string
	count := map[string]int{}
	seen := map[string]bool{}
	for i, f := range fs {
		if taken[f.Name] == 1 {
			continue
		}
		if !seen[f.Name] {
			seen[f.Name] = true
			continue
		}
		if count[f.Name] == 0 {
			repeated = append(repeated, f.Name)
		}
		for {
			count[f.Name]++
			cand := f.Name + "." + strconv.Itoa(count[f.Name])
			if _, ok := taken[cand]; !ok {
				fs[i].Name = cand
				taken[cand] = 1
				break
			}
		}
	}
	return repeated
}

// uniqueNote says which repeated symbols MakeUnique renamed ("" for none).
func uniqueNote(repeated []string) string {
	if len(repeated) == 0 {
		return ""
	}
	names := repeated
	more := ""
	if len(names) > 10 {
		names, more = names[:10], fmt.Sprintf(" and %d more", len(repeated)-10)
	}
	what := fmt.Sprintf("%d gene symbols repeat and were", len(repeated))
	if len(repeated) == 1 {
		what = "1 gene symbol repeats and was"
	}
	return fmt.Sprintf("%s made unique as NAME.1, NAME.2 (as Seurat and scanpy do; find them by ID or the new name): %s%s",
		what, strings.Join(names, ", "), more)
}

// openLines opens the matrix file (benchmarks read it from memory).
var openLines = formats.NewLines

func (m *MTX) openData() error {
	l, err := openLines(m.mtxPath)
	if err != nil {
		return err
	}
	return m.readHeader(l)
}

// readHeader reads the matrix's header and size line from l, just opened,
// and makes l the source of entries; l is closed on error.
func (m *MTX) readHeader(l *formats.Lines) error {
	head, err := l.Next()
	if err != nil {
		l.Close()
		return formats.Errorf(m.mtxPath, 1, "", "", "empty file")
	}
	f := bytes.Fields(bytes.ToLower(head))
	if len(f) != 5 || string(f[0]) != "%%matrixmarket" || string(f[1]) != "matrix" || string(f[2]) != "coordinate" {
		l.Close()
		return formats.Errorf(m.mtxPath, 1, "", "expected a MatrixMarket coordinate header such as '%%MatrixMarket matrix coordinate integer general'", "not a MatrixMarket coordinate matrix")
	}
	if t := string(f[3]); t != "integer" && t != "real" && t != "pattern" {
		l.Close()
		return formats.Errorf(m.mtxPath, 1, "", "use an integer or real matrix", "unsupported field type %q", t)
	}
	if string(f[4]) != "general" {
		l.Close()
		return formats.Errorf(m.mtxPath, 1, "", "10x matrices are 'general'", "unsupported symmetry %q", f[4])
	}
	for {
		line, err := l.Next()
		if err != nil {
			l.Close()
			return formats.Errorf(m.mtxPath, l.N, "", "the file is truncated", "no size line")
		}
		if len(line) > 0 && line[0] == '%' {
			continue
		}
		d := bytes.Fields(line)
		if len(d) != 3 {
			l.Close()
			return formats.Errorf(m.mtxPath, l.N, "", "the size line is 'rows columns entries'", "bad size line %q", line)
		}
		rows, e1 := strconv.Atoi(string(d[0]))
		cols, e2 := strconv.Atoi(string(d[1]))
		nnz, e3 := strconv.ParseInt(string(d[2]), 10, 64)
		if e1 != nil || e2 != nil || e3 != nil || rows < 0 || cols < 0 || nnz < 0 {
			l.Close()
			return formats.Errorf(m.mtxPath, l.N, "", "the size line is 'rows columns entries'", "bad size line %q", line)
		}
		if rows != len(m.featPos) {
			l.Close()
			return formats.Errorf(m.mtxPath, l.N, "", "the matrix and the features file must come from the same Cell Ranger run", "matrix has %d rows but %s lists %d features", rows, filepath.Base(m.dir), len(m.featPos))
		}
		if cols != len(m.cells) {
			l.Close()
			return formats.Errorf(m.mtxPath, l.N, "", "the matrix and barcodes.tsv must come from the same Cell Ranger run", "matrix has %d columns but barcodes.tsv lists %d barcodes", cols, len(m.cells))
		}
		m.nnz = nnz
		break
	}
	m.lines = l
	m.line = l.N
	clear(m.mark) // a pass before marked genes in cells this one will read again
	m.slow = 0
	m.pending = m.pending[:0]
	m.seen = 0
	m.otherEntries = m.otherEntries[:0]
	m.passDone = false
	m.started = false
	return nil
}

// lineByLine turns fastEntries off (tests compare the two paths).
var lineByLine = false

// fastEntries parses the complete lines in hand straight into the chunk
// being built (idx, val, ptr, with cur the cell being filled and end the
// first cell after the chunk) while they are plain entries: "row col[
// value]" in decimal integers of at most 12 digits, single spaces, LF or
// CRLF; within the matrix and the announced count; cells cur..end-1 in
// order; no (row, cell) repeated. It stops before the first other line,
// which Next's general path then reads (and places, or reports, as it
// would any line), and reports odd for a line that is not a plain entry.
// One written-out loop, no call per line or field, and no entry stored in
// between (BenchmarkMTXParse, 2026-12-03, load 0.7-1.0: 0.54-0.61 CPU s for
// the 10k-cell text against 0.61-0.69 with entries parsed ahead into a
// batch and 0.70-0.83 with a function per line; the row read from one word
// 0.46-0.53 against 0.49-0.69 with a loop over its digits). A line's column,
// when it is the line before's, is recognised by one 8-byte compare instead
// of reading its digits (the benchmark, which includes OpenMTX, 6 runs each
// alternating: 0.38-0.60 CPU s against 0.42-0.69 before this and OpenMTX's
// faster features and barcodes; every field read from a word as the row is
// was slower, 0.68-0.75). Its reads of b go without bounds checks (at,
// word), relying on Rest's lines all ending in '\n' (checked on entry):
// the 300-cell text parsed in 30.1-35.2 ms against 33.1-41.1 with checks
// (6 runs each, alternating, 2026-12-03). TestFastSameAsLines reads every
// text again placed just before an inaccessible page, so that a read past
// its end faults.
func (m *MTX) fastEntries(idx []int32, val []float64, ptr []int64, cur, end int) ([]int32, []float64, []int64, int, bool) {
	b := m.lines.Rest()
	if len(b) == 0 || b[len(b)-1] != '\n' { // Rest's promise, which the reads below rely on
		return idx, val, ptr, cur, false
	}
	// Every line of b ends with '\n', so each scan below stops at or before
	// the line's '\n', inside b, and each word is read where 8 bytes
	// remain: the reads go without bounds checks (at, word).
	bp := unsafe.Pointer(unsafe.SliceData(b))
	if m.mark == nil {
		m.mark = make([]int32, len(m.feats))
	}
	featPos, otherPos, mark := m.featPos, m.otherPos, m.mark
	nr := uint(len(featPos))
	left := m.nnz - m.seen
	n := int64(0)
	i := 0
	odd := false
	colMask, colWord, colLen, colNum := uint64(0), uint64(1), 0, 0 // no column yet: no word matches
	// While a cell's rows rise, none can repeat and its genes go unmarked
	// (marked all at once if a row falls back, and on return).
	lastCol, lastRow, colStart, inOrder := -1, 0, 0, false
	rowCol, rowLast, messy := m.rowCol, m.rowLast, m.messy
	for i < len(b) && n < left {
		j := i
		r := 0
		if i+8 <= len(b) {
			// The row's digits (1-7) from one 8-byte word, without a
			// branch on their number (row lengths vary line to line;
			// columns and values repeat theirs): a byte is a digit when
			// neither adding 0x46 nor subtracting 0x30 sets its top bit
			// (digits neither carry nor borrow, so the first flag is
			// exact); the digits, moved to the top bytes, are combined
			// in pairs, quads and halves by three multiplications
			// (Lemire's parse_eight_digits_unrolled).
			w := word(bp, i)
			nd := bits.TrailingZeros64(((w+0x4646464646464646)|(w-0x3030303030303030))&0x8080808080808080) >> 3
			x := (w & 0x0F0F0F0F0F0F0F0F) << (64 - 8*uint(nd))
			x = (x * (10<<8 + 1)) >> 8
			x = ((x & 0x00FF00FF00FF00FF) * (100<<16 + 1)) >> 16
			r = int(((x & 0x0000FFFF0000FFFF) * (10000<<32 + 1)) >> 32)
			j += nd
			if nd == 8 {
				odd = true
				break
			}
		} else {
			for at(bp, j)-'0' < 10 {
				r = r*10 + int(at(bp, j)-'0')
				j++
			}
		}
		if j == i || j-i > 12 || at(bp, j) != ' ' {
			odd = true
			break
		}
		j++
		k := j
		c := 0
		if j+8 <= len(b) && word(bp, j)&colMask == colWord {
			// The column of the line before (a cell's entries are
			// consecutive): its digits and the byte after them, compared
			// as one word.
			c = colNum
			j += colLen
		} else {
			for at(bp, j)-'0' < 10 {
				c = c*10 + int(at(bp, j)-'0')
				j++
			}
			if j == k || j-k > 12 {
				odd = true
				break
			}
			if nd := j - k; nd < 7 && k+8 <= len(b) {
				colMask = 1<<(8*uint(nd+1)) - 1
				colWord = word(bp, k) & colMask
				colLen, colNum = nd, c
			}
		}
		v := 1
		if at(bp, j) == ' ' {
			j++
			k = j
			v = 0
			for at(bp, j)-'0' < 10 {
				v = v*10 + int(at(bp, j)-'0')
				j++
			}
			if j == k || j-k > 12 {
				odd = true
				break
			}
		}
		if at(bp, j) == '\r' && j+1 < len(b) {
			j++
		}
		if at(bp, j) != '\n' || uint(r-1) >= nr {
			odd = true
			break
		}
		col := c - 1
		if col < cur || col >= end {
			break // out of order, past this chunk or outside the matrix: the general path
		}
		p := featPos[r-1]
		if col != lastCol {
			// A cell met first in this call after another one has no
			// entry yet; the call's first may have (marked).
			inOrder = lastCol >= 0
			lastCol, lastRow, colStart = col, 0, len(idx)
		}
		if inOrder && r > lastRow {
			lastRow = r // rows rising within the cell: none repeated
		} else {
			if inOrder {
				markAll(mark, idx[colStart:], col)
				inOrder = false
			}
			if p >= 0 && mark[p] == int32(col)+1 {
				break // repeated: the general path reports it
			}
		}
		for cur < col {
			ptr = append(ptr, int64(len(idx)))
			cur++
		}
		if p >= 0 {
			if !inOrder {
				mark[p] = int32(col) + 1
			}
			if col != rowCol {
				rowCol, rowLast = col, -1
			}
			if p <= rowLast || v == 0 {
				messy = true
			}
			rowLast = p
			idx = append(idx, p)
			val = append(val, float64(v))
		} else if op := otherPos[r-1]; op >= 0 && v != 0 {
			m.otherEntries = append(m.otherEntries, entry{row: op, col: int32(col), v: float64(v)})
		}
		n++
		i = j + 1
	}
	if inOrder { // the general path or the next call may go on with this cell
		markAll(mark, idx[colStart:], lastCol)
	}
	m.rowCol, m.rowLast, m.messy = rowCol, rowLast, messy
	m.lines.Skip(i, int(n))
	m.seen += n
	m.line += int(n)
	return idx, val, ptr, cur, odd
}

// at is b[i] for the b whose data bp points to, without a bounds check:
// fastEntries reads only inside b.
func at(bp unsafe.Pointer, i int) byte { return *(*byte)(unsafe.Add(bp, i)) }

// word is the little-endian 8 bytes at b[i:i+8], without a bounds check.
func word(bp unsafe.Pointer, i int) uint64 {
	return binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(bp, i))[:])
}

// markAll marks the genes idx as met in cell col.
func markAll(mark, idx []int32, col int) {
	for _, q := range idx {
		mark[q] = int32(col) + 1
	}
}

func (m *MTX) readEntry() (entry, error) {
	line, err := m.lines.Next()
	m.line = m.lines.N
	if errors.Is(err, io.EOF) {
		if m.seen != m.nnz {
			return entry{}, formats.Errorf(m.mtxPath, m.line, "", "the file is truncated: copy it again", "header announces %d entries but the file ends after %d", m.nnz, m.seen)
		}
		m.passDone = true
		return entry{}, io.EOF
	}
	if err != nil {
		return entry{}, err
	}
	r, c, v, ok := parseEntry(line)
	if !ok {
		d := bytes.Fields(line)
		if len(d) < 2 || len(d) > 3 {
			return entry{}, formats.Errorf(m.mtxPath, m.line, "", "entries are 'row column value'", "bad entry %q", line)
		}
		var e1, e2, e3 error
		r, e1 = strconv.Atoi(string(d[0]))
		c, e2 = strconv.Atoi(string(d[1]))
		v = 1.0
		if len(d) == 3 {
			v, e3 = strconv.ParseFloat(string(d[2]), 64)
		}
		if e1 != nil || e2 != nil || e3 != nil {
			return entry{}, formats.Errorf(m.mtxPath, m.line, "", "entries are 'row column value' with integer positions and a numeric value", "bad entry %q", line)
		}
	}
	if r < 1 || r > len(m.featPos) || c < 1 || c > len(m.cells) {
		return entry{}, formats.Errorf(m.mtxPath, m.line, "", "positions are 1-based and within the size line", "entry (%d, %d) outside the %d x %d matrix", r, c, len(m.featPos), len(m.cells))
	}
	m.seen++
	if m.seen > m.nnz {
		return entry{}, formats.Errorf(m.mtxPath, m.line, "", "fix the entry count in the size line", "more entries than the %d the header announces", m.nnz)
	}
	if op := m.otherPos[r-1]; op >= 0 && v != 0 {
		m.otherEntries = append(m.otherEntries, entry{row: op, col: int32(c - 1), v: v})
	}
	return entry{row: int32(r - 1), col: int32(c - 1), v: v}, nil
}

// Features returns the Gene Expression features.
func (m *MTX) Features() []matrix.Feature { return m.feats }

// Other returns the features of other types (e.g. Antibody Capture).
func (m *MTX) Other() []matrix.Feature { return m.other }

// OtherMatrix returns the values of the non-Gene Expression features
// (e.g. CITE-seq antibody counts) as cells x Other(), once every cell has
// been read (after Next returned io.EOF).
func (m *MTX) OtherMatrix() (*matrix.CSR, error) {
	if !m.passDone {
		return nil, fmt.Errorf("%s: read every cell before asking for the antibody (other-feature) values", m.mtxPath)
	}
	rows := make([][]entry, len(m.cells))
	for _, e := range m.otherEntries {
		rows[e.col] = append(rows[e.col], e)
	}
	csr, pos, cell, dup := rowsToCSR(rows, m.other, m.cells)
	if dup {
		return nil, m.repeated(m.otherPos, pos, cell)
	}
	return csr, nil
}

// rowsToCSR builds a matrix from per-cell entries (row = feature position),
// or reports the first feature position that a cell holds twice (dup).
func rowsToCSR(rows [][]entry, feats []matrix.Feature, cells []string) (_ *matrix.CSR, pos int32, cell int, dup bool) {
	var ch matrix.Chunk
	ch.Reset(0)
	var idx []int32
	var val []float64
	seen := make([]int32, len(feats)) // position -> 1 + the last cell holding it
	for c, r := range rows {
		idx, val = idx[:0], val[:0]
		for _, e := range r {
			if seen[e.row] == int32(c)+1 {
				return nil, e.row, c, true
			}
			seen[e.row] = int32(c) + 1
			idx, val = append(idx, e.row), append(val, e.v)
		}
		ch.AppendRow(idx, val)
	}
	return &matrix.CSR{Feats: feats, Cells: cells, Indptr: ch.Indptr, Indices: ch.Indices, Data: ch.Data}, 0, 0, false
}

// repeated is the error for a (row, column) entry found twice once the
// entries were gathered per cell (position pos of a feature table whose
// file rows positions gives), without the line of the repeat.
func (m *MTX) repeated(positions []int32, pos int32, cell int) error {
	row := slices.Index(positions, pos)
	return formats.Errorf(m.mtxPath, 0, "", "each (row, column) may appear once", "entry (%d, %d) repeated", row+1, cell+1)
}

// CellNames returns the barcodes.
func (m *MTX) CellNames() []string { return m.cells }

// Info describes the source.
func (m *MTX) Info() matrix.Info {
	return matrix.Info{Format: "10x-mtx", Path: m.dir, Matrix: "matrix.mtx", Notes: m.notes}
}

// Rewind restarts from the first cell. A file not read from since it was
// opened is kept as it is: OpenMTX starts inflating the matrix ahead, and
// score.Run rewinds before its first pass (reopening threw away 12-15 ms of
// inflating and restarted it, on the job's critical path).
func (m *MTX) Rewind() error {
	m.pos = 0
	if m.mem != nil {
		return m.mem.Rewind()
	}
	if m.lines != nil {
		if !m.started {
			return nil
		}
		m.lines.Close()
	}
	return m.openData()
}

// Close releases the file; a Rewind after it opens the file again.
func (m *MTX) Close() error {
	if m.lines != nil {
		l := m.lines
		m.lines = nil
		return l.Close()
	}
	return nil
}

// Next fills dst with up to max cells.
func (m *MTX) Next(dst *matrix.Chunk, max int) error {
	if m.mem != nil {
		return m.mem.Next(dst, max)
	}
	if m.pos >= len(m.cells) {
		return io.EOF
	}
	if m.lines == nil {
		return fmt.Errorf("%s: read after Close (Rewind opens the file again)", m.mtxPath)
	}
	m.started = true
	dst.Reset(m.pos)
	end := min(len(m.cells), m.pos+max)
	// Entries go straight into the chunk's arrays (room for half as many
	// again as the average cell's entries reserved up front, so that a
	// reused chunk seldom grows: with an eighth more, growing by append
	// cost 1,000-1,800 of the 10k-cell job's 6,200-7,600 page faults);
	// rows are made in place at the end.
	if len(m.cells) > 0 {
		hint := int(m.nnz/int64(len(m.cells))+1) * (end - m.pos) * 3 / 2
		// A chunk's arrays (several MB) on huge pages where Linux gives
		// them: a fault per 2 MiB instead of per 4 KiB on first use.
		dst.Indices = hugepage.Grow(dst.Indices, hint)
		dst.Data = hugepage.Grow(dst.Data, hint)
	}
	idx, val := dst.Indices[:0], dst.Data[:0]
	ptr := append(m.ptr[:0], 0)
	cur := m.pos
	flush := func(upTo int) {
		for cur < upTo {
			ptr = append(ptr, int64(len(idx)))
			cur++
		}
	}
	defer func() { m.ptr = ptr }()
	real := false // a value of this chunk, read line by line, is not a whole count
	m.rowCol, m.rowLast, m.messy = -1, -1, false
	for {
		var e entry
		if len(m.pending) > 0 {
			e = m.pending[0]
			m.pending = m.pending[1:]
		} else {
			if m.slow == 0 && !lineByLine {
				seen := m.seen
				var odd bool
				idx, val, ptr, cur, odd = m.fastEntries(idx, val, ptr, cur, end)
				if odd {
					m.slow = 256 // the next entries line by line (real values, tabs...)
				}
				if m.seen != seen {
					continue
				}
			}
			if m.slow > 0 {
				m.slow--
			}
			var err error
			e, err = m.readEntry()
			if errors.Is(err, io.EOF) {
				flush(end)
				break
			}
			if err != nil {
				return err
			}
		}
		c := int(e.col)
		if c < cur {
			// Not in cell order: read the whole file into memory once.
			if err := m.loadAll(); err != nil {
				return err
			}
			m.mem.M.Meta = m.Info()
			if err := m.mem.Rewind(); err != nil {
				return err
			}
			skip := matrix.Chunk{}
			if m.pos > 0 {
				if err := m.mem.Next(&skip, m.pos); err != nil {
					return err
				}
			}
			return m.mem.Next(dst, max)
		}
		if c >= end {
			m.pending = append(m.pending[:0], e)
			flush(end)
			break
		}
		flush(c)
		if p := m.featPos[e.row]; p >= 0 {
			if m.mark == nil {
				m.mark = make([]int32, len(m.feats))
			}
			if m.mark[p] == int32(c)+1 {
				return formats.Errorf(m.mtxPath, m.line, "", "each (row, column) may appear once", "entry (%d, %d) repeated", e.row+1, e.col+1)
			}
			m.mark[p] = int32(c) + 1
			idx = append(idx, p)
			val = append(val, e.v)
			real = real || !matrix.IsCount(e.v)
			if c != m.rowCol {
				m.rowCol, m.rowLast = c, -1
			}
			m.messy = m.messy || p <= m.rowLast || e.v == 0
			m.rowLast = p
		}
	}
	dst.Indices, dst.Data = idx, val
	if m.messy {
		dst.AppendRows(ptr, len(idx))
	} else {
		dst.AppendSortedRows(ptr, len(idx))
	}
	dst.Counts = !real // fastEntries reads only unsigned integers
	m.pos = end
	return nil
}

func (m *MTX) loadAll() error {
	m.lines.Close()
	if err := m.openData(); err != nil {
		return err
	}
	rows := make([][]entry, len(m.cells))
	for {
		e, err := m.readEntry()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if p := m.featPos[e.row]; p >= 0 {
			rows[e.col] = append(rows[e.col], entry{row: p, v: e.v})
		}
	}
	csr, pos, cell, dup := rowsToCSR(rows, m.feats, m.cells)
	if dup {
		return m.repeated(m.featPos, pos, cell)
	}
	m.notes = append(m.notes, "entries not in cell order: matrix read into memory")
	m.mem = matrix.NewMemSource(csr)
	return nil
}

// parseEntry reads "row col [value]" made of plain decimal integers (the
// common case) without allocating; anything else returns ok = false and is
// parsed by the general path.
func parseEntry(b []byte) (r, c int, v float64, ok bool) {
	i := 0
	field := func() (int, bool) {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
			i++
		}
		start, n := i, 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			n = n*10 + int(b[i]-'0')
			i++
			if i-start > 12 {
				return 0, false
			}
		}
		return n, i > start && (i == len(b) || b[i] == ' ' || b[i] == '\t' || b[i] == '\r')
	}
	if r, ok = field(); !ok {
		return
	}
	if c, ok = field(); !ok {
		return
	}
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i == len(b) || b[i] == '\r' {
		return r, c, 1, true
	}
	x, ok := field()
	if !ok {
		return 0, 0, 0, false
	}
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return r, c, float64(x), i == len(b)
}
