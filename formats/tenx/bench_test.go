package tenx

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/inflate"
	"github.com/lsc-bio/lsc/matrix"
)

// BenchmarkMTXParse: LSC_BENCH_MTX=DIR (an MTX folder with matrix.mtx.gz,
// as bench/gen writes) parsed from text already inflated into memory: every
// cell read into chunks of 64 cells (score.DefaultChunk), as lsc score reads them, on this
// goroutine alone. cpu-s/op is the process's user + system CPU per pass.
func BenchmarkMTXParse(b *testing.B) {
	dir := os.Getenv("LSC_BENCH_MTX")
	if dir == "" {
		b.Skip("set LSC_BENCH_MTX to an MTX folder")
	}
	f, err := os.Open(filepath.Join(dir, "matrix.mtx.gz"))
	if err != nil {
		b.Fatal(err)
	}
	text, err := io.ReadAll(inflate.NewGzipReader(f))
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	openLines = func(path string) (*formats.Lines, error) { return formats.NewLinesBytes(text, path), nil }
	defer func() { openLines = formats.NewLines }()
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	cpu0 := processCPU()
	var ch matrix.Chunk
	for range b.N {
		m, err := OpenMTX(dir)
		if err != nil {
			b.Fatal(err)
		}
		for {
			if err := m.Next(&ch, 64); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		m.Close()
	}
	b.ReportMetric((processCPU()-cpu0)/float64(b.N), "cpu-s/op")
}

func processCPU() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
