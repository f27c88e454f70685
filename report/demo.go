package report

import (
	"bufio"
	"fmt"
	"io"

	"github.com/lsc-bio/lsc/demo"
)

// Demo writes the summary 'lsc demo' prints: mean score per cell type, then
// HSC-like against the other malignant cells per signature.
func Demo(w io.Writer, r *demo.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "van Galen 2019 AML870-D0: %d cells x %d genes; method %s\n", len(r.Scores.Cells), r.Genes, r.Scores.Method)
	fmt.Fprintf(bw, "%-16s %6s", "cell type", "cells")
	for _, s := range r.Scores.Signatures {
		fmt.Fprintf(bw, " %16s", s.Sig.Name)
	}
	fmt.Fprintln(bw)
	for _, g := range r.Groups {
		fmt.Fprintf(bw, "%-16s %6d", g.Type, g.Cells)
		for _, m := range g.Mean {
			fmt.Fprintf(bw, " %16.4f", m)
		}
		fmt.Fprintln(bw)
	}
	fmt.Fprintln(bw, "(mean score per CellType of the authors' annotation: the stem/progenitor-like malignant cells, HSC-like and Prog-like, score highest)")
	fmt.Fprintf(bw, "HSC-like (%d cells) vs other malignant cells (%d):", r.NHSC, r.NOther)
	for i, s := range r.Scores.Signatures {
		fmt.Fprintf(bw, " %s AUC %.3f (Mann-Whitney p %s);", s.Sig.Name, r.HSC[i].AUC, FormatP(r.HSC[i].P))
	}
	fmt.Fprintln(bw, " AUC 0.5 = no separation")
	return bw.Flush()
}
