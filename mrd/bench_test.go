package mrd

import (
	"fmt"
	"math"
	"math/rand"
	"testing"
	"time"
)

// synthetic builds a history like bench/mrdgen's: patients x visits x 3
// fractions of BCR::ABL1/ABL1 qPCR, three months apart.
func synthetic(patients, visits int) (*Data, map[string]*Patient) {
	r := rand.New(rand.NewSource(1))
	d := &Data{Path: "synthetic"}
	pts := map[string]*Patient{}
	base := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < patients; i++ {
		id := fmt.Sprintf("S%05d", i+1)
		first := base.AddDate(0, 0, r.Intn(3650))
		pts[id] = &Patient{ID: id, Lines: []TherapyLine{{Therapy: "imatinib", Start: first.AddDate(0, -1, 0)}}}
		slope := -(0.3 + 0.9*r.Float64()) / 4
		for v := 0; v < visits; v++ {
			for f, frac := range []string{"PB", "CD34+CD38+", "CD34+CD38-"} {
				c := float64(20000 + r.Intn(80000))
				lv := 1 + slope*float64(v)/float64(1+f/2*2) + 0.15*r.NormFloat64()
				d.Rows = append(d.Rows, Measurement{Line: len(d.Rows) + 2, Patient: id, Date: first.AddDate(0, 3*v, 0), Fraction: frac, Assay: QPCR,
					Target: BCRABL1, TargetCopies: math.Round(math.Pow(10, lv) / 100 * c), ControlGene: "ABL1", ControlCopies: c, CF: 1, CFGiven: true})
			}
		}
	}
	return d, pts
}

// go test -run '^$' -bench Assess ./mrd: the time per row stays flat as the
// cohort grows (linear work; bench/README.md).
func BenchmarkAssess(b *testing.B) {
	for _, n := range []int{100, 1000} {
		d, pts := synthetic(n, 40)
		b.Run(fmt.Sprintf("patients=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := Assess(d, pts, DefaultParams()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(d.Rows)), "ns/row")
		})
	}
}
