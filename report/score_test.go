package report

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
)

// Scores formats blocks of cells in parallel; the file must still hold
// every cell once, in order, with each value read back bit for bit. The
// values are built here (cell i: (i+1)/3 and -sqrt((i+1)/4)), so the
// expectation is the construction itself. 10,001 cells span three
// formatting blocks, the last one partial.
func TestScoresOrderAndValues(t *testing.T) {
	const n = 10001
	res := &score.Result{Signatures: []signature.Resolved{{Sig: signature.Signature{Name: "a"}}, {Sig: signature.Signature{Name: "b"}}}}
	res.Scores = make([][]float64, 2)
	for i := 0; i < n; i++ {
		res.Cells = append(res.Cells, fmt.Sprintf("c%05d", i))
		res.Scores[0] = append(res.Scores[0], float64(i+1)/3)
		res.Scores[1] = append(res.Scores[1], -math.Sqrt(float64(i+1)/4))
	}
	var buf bytes.Buffer
	if err := Scores(&buf, res); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != n+1 || lines[0] != "cell\ta\tb" {
		t.Fatalf("%d lines, header %q", len(lines), lines[0])
	}
	for i, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if len(f) != 3 || f[0] != res.Cells[i] {
			t.Fatalf("line %d: %q", i+1, l)
		}
		for s := 0; s < 2; s++ {
			v, err := strconv.ParseFloat(f[s+1], 64)
			if err != nil || math.Float64bits(v) != math.Float64bits(res.Scores[s][i]) {
				t.Fatalf("cell %d signature %d: %q, want %v", i, s, f[s+1], res.Scores[s][i])
			}
		}
	}
}

// The score table for two cells and two signatures; the numbers are the
// shortest decimal forms of the float64 values given.
func ExampleScores() {
	res := &score.Result{
		Cells:      []string{"AAACCTG-1", "AAACGGG-1"},
		Signatures: []signature.Resolved{{Sig: signature.Signature{Name: "LSPC-Quiescent"}}, {Sig: signature.Signature{Name: "LSC104"}}},
		Scores:     [][]float64{{0.25, 1.0 / 3}, {-0.125, 0}},
	}
	Scores(os.Stdout, res)
	// Output:
	// cell	LSPC-Quiescent	LSC104
	// AAACCTG-1	0.25	-0.125
	// AAACGGG-1	0.3333333333333333	0
}

// The table of formatted numbers gives strconv's text for every value:
// repeated values (hits), values whose slots collide, float32 and float64
// forms of the same value in turn, and special values.
func TestFmtCacheIsStrconv(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	vals := []float64{0, math.Copysign(0, -1), 1, -1, math.NaN(), math.Inf(1), math.Inf(-1), 1e-300, 0.1, 1.0 / 3}
	for i := 0; i < 200000; i++ {
		switch r.IntN(3) {
		case 0:
			vals = append(vals, vals[r.IntN(len(vals))])
		case 1:
			vals = append(vals, float64(r.IntN(3000))/2999)
		default:
			vals = append(vals, r.NormFloat64()*math.Pow(10, float64(r.IntN(40)-20)))
		}
	}
	fc := new(fmtCache)
	for i, v := range vals {
		for _, bits := range []int{64, 32} {
			if i%2 == 0 && bits == 32 {
				continue
			}
			got := string(fc.append([]byte("x"), v, bits))
			if want := "x" + strconv.FormatFloat(v, 'g', -1, bits); got != want {
				t.Fatalf("value %d (%v, %d bits): %q, strconv gives %q", i, v, bits, got, want)
			}
		}
	}
}

// Blocks reuse their buffers and number caches within a call: 25 blocks
// whose cell names grow from block to block (so a reused buffer sized for
// an earlier block must grow) give the text built line by line with
// strconv here, and a second call on the same result the same bytes.
func TestScoresBlocksReuse(t *testing.T) {
	const n = 25*1024 - 7
	r := rand.New(rand.NewPCG(5, 6))
	res := &score.Result{Signatures: []signature.Resolved{{Sig: signature.Signature{Name: "x"}}, {Sig: signature.Signature{Name: "y"}}, {Sig: signature.Signature{Name: "z"}}}}
	res.Scores = make([][]float64, 3)
	var want strings.Builder
	want.WriteString("cell\tx\ty\tz\n")
	for i := range n {
		name := fmt.Sprintf("c%d-%s", i, strings.Repeat("N", i/1024*7))
		res.Cells = append(res.Cells, name)
		want.WriteString(name)
		for s := range 3 {
			v := float64(r.IntN(500)) / 499 // repeats: cache hits
			if s == 2 {
				v = r.NormFloat64()
			}
			res.Scores[s] = append(res.Scores[s], v)
			want.WriteString("\t" + strconv.FormatFloat(v, 'g', -1, 64))
		}
		want.WriteString("\n")
	}
	for range 2 {
		var buf bytes.Buffer
		if err := Scores(&buf, res); err != nil {
			t.Fatal(err)
		}
		if buf.String() != want.String() {
			t.Fatalf("table differs from strconv's (%d bytes, want %d)", buf.Len(), want.Len())
		}
	}
}

// failAfter accepts n bytes, then fails every write.
type failAfter struct{ n int }

var errFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k := f.n
		f.n = 0
		return k, errFull
	}
	f.n -= len(p)
	return len(p), nil
}

// A writer that fails (at the header, in the first block, in a later one)
// gives its error back, and Scores returns instead of waiting on blocks
// nobody writes.
func TestScoresWriteError(t *testing.T) {
	res := &score.Result{Signatures: []signature.Resolved{{Sig: signature.Signature{Name: "a"}}}, Scores: [][]float64{nil}}
	for i := range 5000 {
		res.Cells = append(res.Cells, fmt.Sprintf("cell%d", i))
		res.Scores[0] = append(res.Scores[0], float64(i)/7)
	}
	for _, n := range []int{0, 3, 100, 30000, 60000} {
		if err := Scores(&failAfter{n: n}, res); !errors.Is(err, errFull) {
			t.Fatalf("failing after %d bytes: %v, want %v", n, err, errFull)
		}
	}
}
