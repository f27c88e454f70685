// Command gen writes the synthetic benchmark matrix (package matrix/synth)
// as a 10x Genomics MTX folder (matrix.mtx.gz, features.tsv.gz,
// barcodes.tsv.gz) with its 50 gene sets (sets.gmt), for running lsc and
// the peer tools on the same data. See bench/README.md.
//
//	go run ./bench/gen -cells 10000 -out /tmp/bench10k
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/gzip"

	"github.com/lsc-bio/lsc/matrix"
	"github.com/lsc-bio/lsc/matrix/synth"
)

func main() {
	cells := flag.Int("cells", 10000, "cells")
	genes := flag.Int("genes", 30000, "genes")
	umis := flag.Int("umis", 5000, "mean UMIs per cell (about 2,000 detected genes)")
	out := flag.String("out", "", "output folder")
	flag.Parse()
	if *out == "" {
		log.Fatal("give -out")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	src := synth.New(*genes, *cells, *umis, 1)
	gz := func(name string, fill func(w io.Writer) error) {
		f, err := os.Create(filepath.Join(*out, name))
		if err != nil {
			log.Fatal(err)
		}
		z, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
		bw := bufio.NewWriterSize(z, 1<<20)
		if err := fill(bw); err != nil {
			log.Fatal(err)
		}
		bw.Flush()
		z.Close()
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
	}
	gz("features.tsv.gz", func(w io.Writer) error {
		for _, f := range src.Features() {
			fmt.Fprintf(w, "%s\t%s\tGene Expression\n", f.ID, f.Name)
		}
		return nil
	})
	gz("barcodes.tsv.gz", func(w io.Writer) error {
		for _, c := range src.CellNames() {
			fmt.Fprintln(w, c)
		}
		return nil
	})
	// Count entries first (the header needs the total), then write them.
	var nnz int
	var ch matrix.Chunk
	for src.Next(&ch, 4096) == nil {
		nnz += len(ch.Indices)
	}
	src.Rewind()
	gz("matrix.mtx.gz", func(w io.Writer) error {
		fmt.Fprintf(w, "%%%%MatrixMarket matrix coordinate integer general\n%d %d %d\n", *genes, *cells, nnz)
		for src.Next(&ch, 4096) == nil {
			for i := 0; i < ch.Cells; i++ {
				idx, v := ch.Row(i)
				for k, g := range idx {
					fmt.Fprintf(w, "%d %d %d\n", g+1, ch.Start+i+1, int(v[k]))
				}
			}
		}
		return nil
	})
	sets := src.GeneSets(50, 50, 2)
	f, err := os.Create(filepath.Join(*out, "sets.gmt"))
	if err != nil {
		log.Fatal(err)
	}
	for i, s := range sets {
		fmt.Fprintf(f, "set%02d\tsynthetic\t%s\n", i+1, strings.Join(s, "\t"))
	}
	f.Close()
	log.Printf("%s: %d genes x %d cells, %d non-zeros, 50 gene sets", *out, *genes, *cells, nnz)
}
