package report

import (
	"bufio"
	"io"
	"strings"
)

// TSV writes a header and rows as tab-separated values; tabs and line
// breaks inside a field become spaces.
func TSV(w io.Writer, header []string, rows [][]string) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(strings.Join(header, "\t") + "\n")
	for _, r := range rows {
		for i, f := range r {
			if i > 0 {
				bw.WriteByte('\t')
			}
			bw.WriteString(cell(f))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// TimelineText writes a study timeline's rows (lsc study timeline without
// --json) as aligned text: the first row is a title.
func TimelineText(w io.Writer, rows [][]string) error {
	if len(rows) == 0 {
		return nil
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(strings.Join(rows[0], " ") + "\n")
	width := map[int]int{}
	for _, r := range rows[1:] {
		for i, f := range r {
			width[i] = max(width[i], len(f))
		}
	}
	for _, r := range rows[1:] {
		for i, f := range r {
			if i > 0 {
				bw.WriteString("  ")
			}
			bw.WriteString(f)
			if i < len(r)-1 {
				bw.WriteString(strings.Repeat(" ", width[i]-len(f)))
			}
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
