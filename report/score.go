package report

import (
	"bufio"
	"io"
	"runtime"
	"strconv"

	"github.com/lsc-bio/lsc/score"
)

// Scores writes the public score table of 'lsc score': a header 'cell' and
// one column per signature in the order given, then one line per cell with
// each score in the shortest form that reads back to the same float64 (to
// the same float32 for res.Float32: numeric scores of float32 data).
func Scores(w io.Writer, res *score.Result) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("cell")
	for _, s := range res.Signatures {
		bw.WriteString("\t" + s.Sig.Name)
	}
	bw.WriteByte('\n')
	// Numbers are formatted in blocks of cells on all cores (formatting 50
	// million floats took 5 s on one) and written in cell order.
	bits := 64
	if res.Float32 {
		bits = 32 // the shortest form of the float32 nearest: no digits the source never had
	}
	const block = 4096
	nb := (len(res.Cells) + block - 1) / block
	out := make([]chan []byte, nb)
	for i := range out {
		out[i] = make(chan []byte, 1)
	}
	sem := make(chan struct{}, runtime.GOMAXPROCS(0)+1)
	go func() {
		for b := range nb {
			sem <- struct{}{}
			go func() {
				var buf []byte
				for c := b * block; c < min(len(res.Cells), (b+1)*block); c++ {
					buf = append(buf, res.Cells[c]...)
					for s := range res.Signatures {
						buf = append(buf, '\t')
						buf = strconv.AppendFloat(buf, res.Scores[s][c], 'g', -1, bits)
					}
					buf = append(buf, '\n')
				}
				out[b] <- buf
			}()
		}
	}()
	for b := range nb {
		bw.Write(<-out[b])
		<-sem
	}
	return bw.Flush()
}
