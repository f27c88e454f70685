package hdf5x

import (
	"bytes"
	stdzlib "compress/zlib"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/klauspost/compress/zlib"
	"github.com/lsc-bio/lsc/inflate"
	"github.com/scigolib/hdf5"
)

// deflateChunks returns, for every chunked dataset of the file at path that
// lsc's chunk reader indexes, each chunk's zlib stream (the input of the
// deflate filter) and the chunk's decoded size.
func deflateChunks(t testing.TB, path string) (streams [][]byte, sizes []int) {
	f, err := Open(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer f.Close()
	r, err := f.rawFile()
	if err != nil {
		t.Fatal(err)
	}
	var walk func(g *hdf5.Group)
	walk = func(g *hdf5.Group) {
		for _, c := range g.Children() {
			switch o := c.(type) {
			case *hdf5.Group:
				walk(o)
			case *hdf5.Dataset:
				ix, err := buildIndexOf(r, o.Address(), true)
				if err != nil {
					continue
				}
				for i := range ix.starts {
					raw, err := readAt(r, ix.addrs[i], int(ix.sizes[i]))
					if err != nil {
						t.Fatal(err)
					}
					// Undo the filters applied after deflate (in writing
					// order), then take deflate's input.
					for k := len(ix.filters) - 1; k >= 0; k-- {
						if ix.masks[i]&(1<<uint(k)) != 0 {
							continue
						}
						if ix.filters[k].id == 1 {
							streams = append(streams, raw)
							sizes = append(sizes, ix.chunkLen*ix.elemSize)
							break
						}
						if ix.filters[k].id != 3 {
							break // only Fletcher-32 is seen after deflate
						}
						raw = raw[:len(raw)-4]
					}
				}
			}
		}
	}
	walk(f.f.Root())
	return streams, sizes
}

// testdataH5 lists the HDF5 files (10x .h5, .h5ad, .loom) in ../shared/testdata.
func testdataH5(t *testing.T) []string {
	var files []string
	filepath.WalkDir("../../../shared/testdata", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".h5") || strings.HasSuffix(p, ".h5ad") || strings.HasSuffix(p, ".loom")) {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Skip("../shared/testdata not present")
	}
	return files
}

// Every gzip chunk of every HDF5 file in the shared test data inflates with
// package inflate to the bytes compress/zlib and klauspost/compress/zlib
// give (the two independent decoders lsc is checked against).
func TestInflateEveryTestdataChunk(t *testing.T) {
	files := append(testdataH5(t), "../h5ad/testdata/synth_chunked.h5ad")
	total := 0
	for _, p := range files {
		streams, sizes := deflateChunks(t, p)
		for i, c := range streams {
			sr, err := stdzlib.NewReader(bytes.NewReader(c))
			if err != nil {
				t.Fatalf("%s chunk %d: compress/zlib: %v", p, i, err)
			}
			want, err := io.ReadAll(sr)
			if err != nil {
				t.Fatalf("%s chunk %d: compress/zlib: %v", p, i, err)
			}
			kr, err := zlib.NewReader(bytes.NewReader(c))
			if err != nil {
				t.Fatal(err)
			}
			want2, err := io.ReadAll(kr)
			if err != nil || !bytes.Equal(want, want2) {
				t.Fatalf("%s chunk %d: klauspost %d bytes (%v), compress/zlib %d", p, i, len(want2), err, len(want))
			}
			out := make([]byte, sizes[i])
			n, err := inflate.DecodeZlib(out, c)
			if err != nil || !bytes.Equal(out[:n], want) {
				t.Fatalf("%s chunk %d: inflate %d bytes (%v), compress/zlib %d", p, i, n, err, len(want))
			}
			total++
		}
	}
	if total < 100 {
		t.Errorf("only %d gzip chunks found", total)
	}
	t.Logf("%d gzip chunks in %d files", total, len(files))
}

// BenchmarkInflate inflates the gzip chunks of the largest chunk size in a
// file (LSC_BENCH_H5, else the small synthetic h5ad; at most 200 chunks,
// spread over the file) with
// compress/zlib, klauspost/compress/zlib and package inflate. MB/s is decoded
// bytes per wall second; MB/cpu-s per second of this thread's CPU time, the
// per-core rate, which holds on a shared machine.
func BenchmarkInflate(b *testing.B) {
	path := os.Getenv("LSC_BENCH_H5")
	if path == "" {
		path = "../h5ad/testdata/synth_chunked.h5ad"
	}
	all, allSizes := deflateChunks(b, path)
	big := 0
	for _, s := range allSizes {
		big = max(big, s)
	}
	// Up to 200 chunks of that size, spread evenly over the file (an h5ad's
	// X/data and X/indices chunks have the same size; the first 200 would
	// all be values).
	var pick []int
	for i, s := range allSizes {
		if s == big {
			pick = append(pick, i)
		}
	}
	var streams [][]byte
	total := 0
	for k := range min(len(pick), 200) {
		i := pick[k*len(pick)/min(len(pick), 200)]
		streams = append(streams, all[i])
		total += big
	}
	out := make([]byte, big)
	run := func(name string, dec func(c []byte)) {
		b.Run(name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.SetBytes(int64(total))
			t0 := threadCPU()
			for range b.N {
				for _, c := range streams {
					dec(c)
				}
			}
			b.ReportMetric(float64(total)*float64(b.N)/(threadCPU()-t0)/1e6, "MB/cpu-s")
		})
	}
	run("compress-flate", func(c []byte) {
		zr, _ := stdzlib.NewReader(bytes.NewReader(c))
		io.ReadFull(zr, out)
	})
	run("klauspost", func(c []byte) {
		zr, _ := zlib.NewReader(bytes.NewReader(c))
		io.ReadFull(zr, out)
	})
	var d inflate.Decoder
	run("inflate", func(c []byte) {
		if _, err := d.DecodeZlib(out, c); err != nil {
			b.Fatal(err)
		}
	})
}

// threadCPU is the CPU time of the calling OS thread in seconds.
func threadCPU() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(1, &ru) // RUSAGE_THREAD
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
