package report

import (
	"bufio"
	"io"
	"strings"

	"github.com/lsc-bio/lsc/adt"
)

// ADTTable writes normalised antibody values as `cell` then one column per
// antibody in input order (the layout of lsc score).
func ADTTable(w io.Writer, m *adt.Matrix) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("cell")
	for _, a := range m.Antibodies {
		bw.WriteString("\t" + cell(a))
	}
	bw.WriteByte('\n')
	var b strings.Builder
	for c, name := range m.Cells {
		b.Reset()
		b.WriteString(cell(name))
		for a := range m.Antibodies {
			b.WriteByte('\t')
			b.WriteString(Num(m.Values[a][c]))
		}
		b.WriteByte('\n')
		bw.WriteString(b.String())
	}
	return bw.Flush()
}
