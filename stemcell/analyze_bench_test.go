package stemcell

import (
	"fmt"
	"testing"

	"github.com/lsc-bio/lsc/study"
)

// BenchmarkAnalyzeSamples times Analyze on studies of 2,000 / 8,000 /
// 32,000 samples (a diagnosis and a day-30 sample per patient, 20 cells
// each): the cohort step used to scan the sheet once per burden
// (O(samples^2)); bench/README.md states the measured exponent.
func BenchmarkAnalyzeSamples(b *testing.B) {
	for _, ns := range []int{2000, 8000, 32000} {
		sheet := &study.Sheet{HasOutcome: true}
		var scored []Scored
		for i := 0; i < ns; i++ {
			tp := study.Timepoint{Label: "diagnosis", Kind: "diagnosis"}
			if i%2 == 1 {
				tp = study.Timepoint{Label: "day30", Kind: "day", Order: 30}
			}
			out := "no relapse"
			if (i/2)%3 == 0 {
				out = "relapse"
			}
			s := study.Sample{ID: fmt.Sprintf("S%d", i), Patient: fmt.Sprintf("P%d", i/2), Timepoint: tp, Outcome: out}
			sheet.Samples = append(sheet.Samples, s)
			sc := Scored{Sample: s}
			for c := 0; c < 20; c++ {
				sc.Cells = append(sc.Cells, fmt.Sprintf("c%d", c))
				sc.Scores = append(sc.Scores, float64((i*7+c*13)%100)/100)
				sc.Types = append(sc.Types, "HSC-like")
			}
			scored = append(scored, sc)
		}
		b.Run(fmt.Sprintf("samples=%d", ns), func(b *testing.B) {
			c0 := cpuSeconds()
			for i := 0; i < b.N; i++ {
				if _, err := Analyze(scored, sheet, Options{Method: "fixed", Fixed: 0.5, Bootstrap: 10}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cpuSeconds()-c0)/float64(b.N), "cpu-s/op")
		})
	}
}
