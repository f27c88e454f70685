package report

import (
	"io"
	"math"
	"runtime"
	"strconv"

	"github.com/lsc-bio/lsc/score"
)

// Scores writes the public score table of 'lsc score': a header 'cell' and
// one column per signature in the order given, then one line per cell with
// each score in the shortest form that reads back to the same float64 (to
// the same float32 for res.Float32: numeric scores of float32 data).
func Scores(w io.Writer, res *score.Result) error {
	head := []byte("cell")
	for _, s := range res.Signatures {
		head = append(append(head, '\t'), s.Sig.Name...)
	}
	if _, err := w.Write(append(head, '\n')); err != nil {
		return err
	}
	// Numbers are formatted in blocks of cells on all cores (formatting 50
	// million floats took 5 s on one) and written in cell order, each
	// block straight from its buffer.
	bits := 64
	if res.Float32 {
		bits = 32 // the shortest form of the float32 nearest: no digits the source never had
	}
	const block = 1024 // cells: a 10k-cell table in 10 blocks, both cores busy to the end
	nb := (len(res.Cells) + block - 1) / block
	out := make([]chan []byte, nb)
	for i := range out {
		out[i] = make(chan []byte, 1)
	}
	// At most par blocks are in hand at once, and their buffers and
	// number caches are reused from block to block within this call: on
	// a fresh process every new page costs a fault, and a 10k x 50 table
	// formatted into new memory per block took 13 MB of them, the whole
	// tail of a 0.7 s job (a sync.Pool is emptied by the collections a
	// job like this runs between blocks).
	par := runtime.GOMAXPROCS(0) + 1
	bufs := make(chan []byte, par)
	caches := make(chan *fmtCache, par)
	for range par {
		bufs <- nil
		caches <- nil
	}
	go func() {
		for b := range nb {
			buf := <-bufs // a free slot: at most par blocks in hand
			go func() {
				fc := <-caches
				if fc == nil {
					fc = new(fmtCache)
				}
				if buf == nil {
					// Sized for the block (name, and 24 bytes a score at
					// most), so it never grows: each doubling copied
					// into new pages.
					n := 0
					for c := b * block; c < min(len(res.Cells), (b+1)*block); c++ {
						n += len(res.Cells[c]) + 1 + 24*len(res.Signatures)
					}
					buf = make([]byte, 0, n)
				}
				buf = buf[:0]
				for c := b * block; c < min(len(res.Cells), (b+1)*block); c++ {
					buf = append(buf, res.Cells[c]...)
					for s := range res.Signatures {
						buf = append(buf, '\t')
						buf = fc.append(buf, res.Scores[s][c], bits)
					}
					buf = append(buf, '\n')
				}
				caches <- fc
				out[b] <- buf
			}()
		}
	}()
	var err error
	for b := range nb {
		buf := <-out[b]
		if err == nil {
			_, err = w.Write(buf)
		}
		bufs <- buf
	}
	return err
}

// fmtCache remembers the text of recently formatted numbers: score tables
// repeat values (UCell's are a rank sum over a few thousand levels, many
// cells score 0), and strconv's shortest form costs about 100 ns a number,
// 5 s of CPU for a million cells x 50 signatures. A slot holds the float's
// bits and its text; a hit is an exact bits match, so the text is the one
// strconv gives.
type fmtCache struct {
	bits int // 64 or 32, as strconv's bitSize
	key  [fmtSlots]uint64
	n    [fmtSlots]uint8 // text length, 0: empty slot
	text [fmtSlots][fmtMax]byte
}

const (
	fmtLog   = 14
	fmtSlots = 1 << fmtLog
	fmtMax   = 31 // longer than any shortest float64 ('g', -1)
)

// append appends v as strconv.AppendFloat(dst, v, 'g', -1, bits) does.
func (fc *fmtCache) append(dst []byte, v float64, bits int) []byte {
	if fc.bits != bits { // the texts are of the other precision
		*fc = fmtCache{bits: bits}
	}
	k := math.Float64bits(v)
	i := (k * 0x9E3779B97F4A7C15) >> (64 - fmtLog)
	if n := fc.n[i]; n != 0 && fc.key[i] == k {
		return append(dst, fc.text[i][:n]...)
	}
	m := len(dst)
	dst = strconv.AppendFloat(dst, v, 'g', -1, bits)
	if t := dst[m:]; len(t) <= fmtMax {
		fc.key[i], fc.n[i] = k, uint8(len(t))
		copy(fc.text[i][:], t)
	}
	return dst
}
