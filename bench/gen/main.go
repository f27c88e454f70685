// Command gen writes the synthetic benchmark matrix (package matrix/synth)
// as a 10x Genomics MTX folder (matrix.mtx.gz, features.tsv.gz,
// barcodes.tsv.gz) with its 50 gene sets (sets.gmt), for running lsc and
// the peer tools on the same data. See bench/README.md.
//
//	go run ./bench/gen -cells 10000 -out /tmp/bench10k
//
// With -csr the matrix goes to stdout instead of matrix.mtx.gz, as blocks of
// cells for bench/h5ad.py to write an .h5ad: per block, little-endian int32
// cell count and int64 non-zero count, then int32 non-zeros per cell, int32
// gene indices and float32 values.
//
//	go run ./bench/gen -cells 1000000 -out /tmp/b1m -csr | /usr/bin/python3 bench/h5ad.py /tmp/b1m /tmp/b1m.h5ad
package main

import (
	"bufio"
	"encoding/binary"
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
	csr := flag.Bool("csr", false, "write the matrix to stdout as binary CSR blocks (for bench/h5ad.py)")
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
	writeSets(src, *out)
	var nnz int
	var ch matrix.Chunk
	if *csr {
		bw := bufio.NewWriterSize(os.Stdout, 1<<22)
		for src.Next(&ch, 10000) == nil {
			binary.Write(bw, binary.LittleEndian, int32(ch.Cells))
			binary.Write(bw, binary.LittleEndian, int64(len(ch.Indices)))
			for i := 0; i < ch.Cells; i++ {
				binary.Write(bw, binary.LittleEndian, int32(ch.Indptr[i+1]-ch.Indptr[i]))
			}
			binary.Write(bw, binary.LittleEndian, ch.Indices)
			v32 := make([]float32, len(ch.Data))
			for k, v := range ch.Data {
				v32[k] = float32(v)
			}
			binary.Write(bw, binary.LittleEndian, v32)
			nnz += len(ch.Indices)
		}
		if err := bw.Flush(); err != nil {
			log.Fatal(err)
		}
		log.Printf("%s: %d genes x %d cells, %d non-zeros as CSR blocks on stdout, 50 gene sets", *out, *genes, *cells, nnz)
		return
	}
	// Count entries first (the header needs the total), then write them.
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
	log.Printf("%s: %d genes x %d cells, %d non-zeros, 50 gene sets", *out, *genes, *cells, nnz)
}

func writeSets(src *synth.Source, dir string) {
	f, err := os.Create(filepath.Join(dir, "sets.gmt"))
	if err != nil {
		log.Fatal(err)
	}
	for i, s := range src.GeneSets(50, 50, 2) {
		fmt.Fprintf(f, "set%02d\tsynthetic\t%s\n", i+1, strings.Join(s, "\t"))
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
