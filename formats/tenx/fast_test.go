package tenx

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/internal/guardpage"
	"github.com/lsc-bio/lsc/matrix"
)

// readAll reads every cell of the folder in blocks of max cells and returns
// a description of what was read (or of the error), with the fast path (fastEntries) on or off.
func readAll(t *testing.T, dir string, max int, fast bool) string {
	t.Helper()
	lineByLine = !fast
	defer func() { lineByLine = false }()
	m, err := OpenMTX(dir)
	if err != nil {
		return "open: " + err.Error()
	}
	defer m.Close()
	var b strings.Builder
	var ch matrix.Chunk
	for {
		err := m.Next(&ch, max)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
			return b.String()
		}
		if ch.Counts { // the reader's word must agree with a scan of the values
			scan := ch
			scan.Counts = false
			if !matrix.IsCounts(&scan) {
				t.Fatalf("chunk at cell %d flagged as counts, values %v", ch.Start, ch.Data)
			}
		}
		for i := 0; i < ch.Cells; i++ { // rows as every reader gives them
			idx, val := ch.Row(i)
			for k := range idx {
				if val[k] == 0 || k > 0 && idx[k] <= idx[k-1] {
					t.Fatalf("cell %d: genes %v values %v: not rising, or a zero kept", ch.Start+i+1, idx, val)
				}
			}
		}
		fmt.Fprintf(&b, "%d %v %v %v\n", ch.Start, ch.Indptr, ch.Indices, ch.Data)
	}
	if len(m.Other()) > 0 {
		o, err := m.OtherMatrix()
		if err != nil {
			return b.String() + "other: " + err.Error()
		}
		fmt.Fprintf(&b, "other %v %v %v\n", o.Indptr, o.Indices, o.Data)
	}
	fmt.Fprintf(&b, "notes %q", m.Info().Notes)
	return b.String()
}

// The fast path (fastEntries) reads every file as the line-by-line path
// does: the same cells and values, the same antibody values, and the same
// error on the same line, over random folders with odd lines mixed in
// (CRLF, tabs, real values, comments, bad, out-of-range, repeated, surplus
// and unordered entries, no final newline), plain and gzip, with blocks of
// cells of several sizes.
func TestFastSameAsLines(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	odd := []func(row, col, v int) string{
		func(row, col, v int) string { return fmt.Sprintf("%d %d %d\r\n", row, col, v) },
		func(row, col, v int) string { return fmt.Sprintf("%d\t%d\t%d\n", row, col, v) },
		func(row, col, v int) string { return fmt.Sprintf("%d  %d %d\n", row, col, v) },
		func(row, col, v int) string { return fmt.Sprintf("%d %d %d.5\n", row, col, v) },
		func(row, col, v int) string { return fmt.Sprintf("%d %d %d \n", row, col, v) },
		func(row, col, v int) string { return fmt.Sprintf("%d %d\n", row, col) },
		func(row, col, v int) string { return fmt.Sprintf("%05d %d %d\n", row, col, v) },
		func(row, col, v int) string { return fmt.Sprintf("%d %d 0\n", row, col) },
		func(row, col, v int) string { return fmt.Sprintf("%d %d %d\n", row+1000, col, v) },
		func(row, col, v int) string { return fmt.Sprintf("%d %d %d\n", row, 0, v) },
		func(row, col, v int) string { return fmt.Sprintf("%d %d x\n", row, col) },
		func(row, col, v int) string { return fmt.Sprintf("%d %d 1234567890123\n", row, col) },
		func(row, col, v int) string { return "\n" },
		func(row, col, v int) string { return "% a comment\n" },
	}
	for iter := 0; iter < 400; iter++ {
		dir := t.TempDir()
		G, C := 5+r.IntN(60), 1+r.IntN(40)
		var feats bytes.Buffer
		for g := range G {
			typ := "Gene Expression"
			if r.IntN(8) == 0 {
				typ = "Antibody Capture"
			}
			fmt.Fprintf(&feats, "ENSG%d\tG%d\t%s\n", g, g, typ)
		}
		var bcs bytes.Buffer
		for c := range C {
			fmt.Fprintf(&bcs, "C%d\n", c)
		}
		var body bytes.Buffer
		n := 0
		rate := []int{0, 2, 50, 1000}[r.IntN(4)] // odd lines per 1000
		for c := 1; c <= C; c++ {
			var lines []string // the cell's entries
			for g := 1; g <= G; g++ {
				if r.IntN(3) != 0 {
					continue
				}
				v := 1 + r.IntN(30)
				if rate > 0 && r.IntN(1000) < rate {
					lines = append(lines, odd[r.IntN(len(odd))](g, c, v))
				} else {
					lines = append(lines, fmt.Sprintf("%d %d %d\n", g, c, v))
				}
				n++
				if r.IntN(500) == 0 { // repeated entry
					lines = append(lines, fmt.Sprintf("%d %d %d\n", g, c, v))
					n++
				}
			}
			if len(lines) > 2 && r.IntN(40) == 0 { // an earlier row again, after higher ones
				lines = append(lines, lines[r.IntN(len(lines)-1)])
				n++
			}
			if r.IntN(10) == 0 { // rows not rising within the cell
				r.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
			}
			for _, l := range lines {
				body.WriteString(l)
			}
			if r.IntN(300) == 0 && c > 1 { // out of cell order
				fmt.Fprintf(&body, "1 %d 1\n", c-1)
				n++
			}
		}
		count := n + []int{0, 0, 0, -1, 1}[r.IntN(5)]
		text := fmt.Sprintf("%%%%MatrixMarket matrix coordinate integer general\n%%comment\n%d %d %d\n", G, C, count) + body.String()
		if r.IntN(4) == 0 {
			text = strings.TrimSuffix(text, "\n")
		}
		name := "matrix.mtx"
		data := []byte(text)
		if r.IntN(2) == 0 {
			name += ".gz"
			var gz bytes.Buffer
			w := gzip.NewWriter(&gz)
			w.Write(data)
			w.Close()
			data = gz.Bytes()
		}
		os.WriteFile(filepath.Join(dir, "features.tsv"), feats.Bytes(), 0o644)
		os.WriteFile(filepath.Join(dir, "barcodes.tsv"), bcs.Bytes(), 0o644)
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
		for _, per := range []int{1, 3, 1000} {
			want := readAll(t, dir, per, false)
			got := readAll(t, dir, per, true)
			if os.Getenv("LSC_SHOW_FAST") != "" && per == 3 {
				t.Logf("%.150s", want[strings.LastIndex(want[:len(want)-1], "\n")+1:])
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("iteration %d, %d cells a block:\nline by line: %.600s\nfast:         %.600s\n%s", iter, per, want, got, text)
			}
			// The same text ending at an inaccessible page (Linux): the
			// fast path reads nothing past it.
			gb := guardpage.Buf(t, len(text), false)
			copy(gb, text)
			path := filepath.Join(dir, name)
			openLines = func(string) (*formats.Lines, error) { return formats.NewLinesBytes(gb, path), nil }
			got = readAll(t, dir, per, true)
			openLines = formats.NewLines
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("iteration %d, %d cells a block, text before a guard page:\nline by line: %.600s\nfast:         %.600s\n%s", iter, per, want, got, text)
			}
		}
	}
}

// FuzzFastSameAsLines: any matrix.mtx (plain) reads the same through the
// fast path as line by line: same cells, values and error.
func FuzzFastSameAsLines(f *testing.F) {
	f.Add([]byte("%%MatrixMarket matrix coordinate integer general\n4 3 5\n1 1 5\n2 1 1\n4 2 7\n3 3 2\n1 3 9\n"), uint8(1))
	f.Add([]byte("%%MatrixMarket matrix coordinate integer general\n4 3 3\n1 1 5\r\n2 1\n4\t2\t7\n"), uint8(2))
	f.Add([]byte("%%MatrixMarket matrix coordinate real general\n4 3 2\n1 2 0.5\n3 1 2\n"), uint8(3))
	f.Fuzz(func(t *testing.T, b []byte, per uint8) {
		dir := mtxFolder(t, "g1\tA\tGene Expression\ng2\tB\tAntibody Capture\ng3\tC\tGene Expression\ng4\tD\tGene Expression\n", "c1\nc2\nc3\n", string(b))
		n := 1 + int(per%4)
		if want, got := readAll(t, dir, n, false), readAll(t, dir, n, true); want != got {
			t.Fatalf("line by line:\n%s\nfast:\n%s", want, got)
		}
	})
}

// A cell's rows rising leave its genes unmarked in the fast path; when the
// fast path hands over mid-cell (an odd line here), they must be marked so
// that the general path still finds a repeat of one of them.
func TestFastRepeatAfterHandOver(t *testing.T) {
	dir := mtxFolder(t, "g1\tA\ng2\tB\ng3\tC\n", "c1\nc2\n", "%%MatrixMarket matrix coordinate integer general\n3 2 5\n1 1 1\n1 2 1\n3 2 1\n2\t2\t1\n3 2 4\n")
	for _, fast := range []bool{false, true} {
		if got := readAll(t, dir, 2, fast); !strings.Contains(got, "entry (3, 2) repeated") {
			t.Errorf("fast %v: %s", fast, got)
		}
	}
}

// A second pass (Rewind) reads every cell again: the genes the pass before
// marked as met in a cell are not repeats. Gene 1 is only in cell 1, so its
// mark from the first pass was still there on the second (a false "entry
// (1, 1) repeated" before marks were cleared on Rewind).
func TestRewindForgetsMarks(t *testing.T) {
	dir := mtxFolder(t, "g1\tA\ng2\tB\n", "c1\nc2\n", "%%MatrixMarket matrix coordinate integer general\n2 2 3\n1 1 5\n2 1 1\n2 2 7\n")
	for _, fast := range []bool{false, true} {
		lineByLine = !fast
		m, err := OpenMTX(dir)
		if err != nil {
			t.Fatal(err)
		}
		for pass := range 3 {
			var ch matrix.Chunk
			for {
				err := m.Next(&ch, 1+pass)
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("fast %v, pass %d: %v", fast, pass+1, err)
				}
			}
			if err := m.Rewind(); err != nil {
				t.Fatal(err)
			}
		}
		m.Close()
	}
	lineByLine = false
}

// mtxFolder writes an MTX folder (plain features.tsv, barcodes.tsv and
// matrix.mtx) in a temporary folder.
func mtxFolder(t *testing.T, features, barcodes, mtx string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{"features.tsv": features, "barcodes.tsv": barcodes, "matrix.mtx": mtx} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A chunk of whole counts says so (the normaliser's IsCounts then reads
// nothing), whether its values came through the integer fast path (cell 1)
// or line by line (cell 3, read so after the real value); one with a real
// value (cell 2) does not, and IsCounts then scans it.
func TestChunkCountsFlag(t *testing.T) {
	dir := mtxFolder(t, "g1\tA\ng2\tB\n", "c1\nc2\nc3\n", "%%MatrixMarket matrix coordinate real general\n2 3 4\n1 1 5\n2 1 1\n2 2 0.5\n1 3 7\n")
	m, err := OpenMTX(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var got []bool
	var ch matrix.Chunk
	for {
		if err := m.Next(&ch, 1); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		got = append(got, ch.Counts)
		if ch.Start == 1 && matrix.IsCounts(&ch) {
			t.Error("cell 2 holds 0.5: not counts")
		}
	}
	if !slices.Equal(got, []bool{true, false, true}) {
		t.Errorf("Counts flags per cell %v, want true, false, true", got)
	}
	ch.Reset(0)
	if ch.Counts {
		t.Error("Reset kept the flag")
	}
}

// On a file of whole counts every chunk says so, including those whose
// first entry was read line by line when the chunk before ended (the entry
// that stopped it).
func TestChunkCountsEveryChunk(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	var body strings.Builder
	n := 0
	for c := 1; c <= 50; c++ {
		for g := 1; g <= 20; g++ {
			if r.IntN(3) == 0 {
				fmt.Fprintf(&body, "%d %d %d\n", g, c, 1+r.IntN(100))
				n++
			}
		}
	}
	var feats, cells strings.Builder
	for g := 1; g <= 20; g++ {
		fmt.Fprintf(&feats, "g%d\tG%d\n", g, g)
	}
	for c := 1; c <= 50; c++ {
		fmt.Fprintf(&cells, "c%d\n", c)
	}
	dir := mtxFolder(t, feats.String(), cells.String(), fmt.Sprintf("%%%%MatrixMarket matrix coordinate integer general\n20 50 %d\n%s", n, body.String()))
	for _, max := range []int{1, 3, 7, 50} {
		m, err := OpenMTX(dir)
		if err != nil {
			t.Fatal(err)
		}
		var ch matrix.Chunk
		for {
			if err := m.Next(&ch, max); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatal(err)
			}
			if !ch.Counts {
				t.Errorf("chunks of %d: the chunk at cell %d holds whole counts but is not flagged", max, ch.Start+1)
			}
			if m.messy { // rows rising, no zero: they stand as written (AppendSortedRows)
				t.Errorf("chunks of %d: the chunk at cell %d was sorted again", max, ch.Start+1)
			}
		}
		m.Close()
	}
}

// A repeated (row, column) entry is an error wherever it is met: in a file
// whose cells are out of order (read into memory whole) and among the
// antibody (other-feature) entries, which the cell-by-cell reading does
// not mark. Both were taken silently before, the first giving a cell the
// same gene twice.
func TestRepeatedEntryEverywhere(t *testing.T) {
	feats := "g1\tA\tGene Expression\ng2\tB\tAntibody Capture\ng3\tC\tGene Expression\n"
	for name, body := range map[string]string{
		"cells out of order":    "3 2 6\n1 2 5\n3 1 1\n1 1 4\n3 2 2\n",
		"antibody in order":     "1 1 4\n2 1 7\n2 1 7\n3 2 2\n1 2 5\n",
		"antibody out of order": "2 2 7\n1 1 4\n2 2 1\n3 2 2\n1 2 5\n",
	} {
		n := strings.Count(body, "\n")
		dir := mtxFolder(t, feats, "c1\nc2\n", fmt.Sprintf("%%%%MatrixMarket matrix coordinate integer general\n3 2 %d\n%s", n, body))
		for _, fast := range []bool{false, true} {
			got := readAll(t, dir, 1, fast)
			if !strings.Contains(got, "repeated") || !strings.Contains(got, "may appear once") {
				t.Errorf("%s, fast %v: no error for the repeated entry:\n%s", name, fast, got)
			}
		}
	}
}

// TestRewindKeepsFreshFile: a Rewind before anything was read keeps the
// file OpenMTX opened (score.Run rewinds before its first pass, and
// reopening restarted the inflating); after a read or a Close it opens the
// file again. Every pass reads the same cells.
func TestRewindKeepsFreshFile(t *testing.T) {
	dir := mtxFolder(t, "g1\tA\ng2\tB\n", "c1\nc2\n", "%%MatrixMarket matrix coordinate integer general\n2 2 3\n1 1 5\n2 1 1\n2 2 7\n")
	opened := 0
	defer func(f func(string) (*formats.Lines, error)) { openLines = f }(openLines)
	openLines = func(p string) (*formats.Lines, error) { opened++; return formats.NewLines(p) }
	m, err := OpenMTX(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	read := func() string {
		t.Helper()
		var out []string
		var ch matrix.Chunk
		for {
			err := m.Next(&ch, 1)
			if errors.Is(err, io.EOF) {
				return strings.Join(out, ";")
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(ch.Indices, ch.Data))
		}
	}
	const want = "[0 1] [5 1];[1] [7]"
	steps := []struct {
		name   string
		do     func() error
		opened int
	}{
		{"fresh", m.Rewind, 1},
		{"fresh again", m.Rewind, 1},
		{"after a pass", m.Rewind, 2},
		{"after Close", func() error { m.Close(); return m.Rewind() }, 3},
	}
	for i, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if opened != s.opened {
			t.Errorf("%s: matrix opened %d times, want %d", s.name, opened, s.opened)
		}
		if i == 0 {
			continue // the next step rewinds a fresh file again
		}
		if got := read(); got != want {
			t.Errorf("%s: read %s, want %s", s.name, got, want)
		}
	}
	if err := m.Rewind(); err != nil {
		t.Fatal(err)
	}
	m.Close()
	if err := m.Next(&matrix.Chunk{}, 1); err == nil || !strings.Contains(err.Error(), "after Close") {
		t.Errorf("Next after Close: %v, want an error", err)
	}
}
