// Command mrdgen writes a synthetic molecular-monitoring history for timing
// `lsc mrd assess` (bench/README.md): PATIENTS patients, each with VISITS
// visits three months apart and one BCR::ABL1/ABL1 qPCR row per fraction
// (PB, CD34+CD38+, CD34+CD38-, ... up to -fractions), the level falling
// about a log a year with noise, some samples undetectable. A patient
// sheet (imatinib from a month before the first visit) goes beside it.
// The same flags give the same bytes.
//
//	go run ./bench/mrdgen -patients 3000 -visits 40 -fractions 3 -out /tmp/mrd3000
//
// writes /tmp/mrd3000/measurements.csv and /tmp/mrd3000/patients.csv.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"time"
)

var fractionNames = []string{"PB", "CD34+CD38+", "CD34+CD38-", "BM-MNC", "CD34+CD38-CD90+"}

func main() {
	patients := flag.Int("patients", 3000, "patients")
	visits := flag.Int("visits", 40, "visits per patient, three months apart")
	fractions := flag.Int("fractions", 3, "fractions measured at each visit (1-5)")
	seed := flag.Int64("seed", 1, "random seed")
	out := flag.String("out", "", "output folder")
	flag.Parse()
	if *out == "" || *fractions < 1 || *fractions > len(fractionNames) || *patients < 1 || *visits < 1 {
		log.Fatal("usage: mrdgen -patients N -visits V -fractions 1-5 -out DIR")
	}
	if err := os.MkdirAll(*out, 0o777); err != nil {
		log.Fatal(err)
	}
	rng := rand.New(rand.NewSource(*seed))
	mf, err := os.Create(filepath.Join(*out, "measurements.csv"))
	if err != nil {
		log.Fatal(err)
	}
	pf, err := os.Create(filepath.Join(*out, "patients.csv"))
	if err != nil {
		log.Fatal(err)
	}
	m, p := bufio.NewWriter(mf), bufio.NewWriter(pf)
	fmt.Fprintln(m, "patient,date,fraction,assay,target,transcript,target_copies,control_gene,control_copies,conversion_factor")
	fmt.Fprintln(p, "patient,diagnosis,therapy,therapy_start,transcript")
	base := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < *patients; i++ {
		id := fmt.Sprintf("S%05d", i+1)
		first := base.AddDate(0, 0, rng.Intn(3650))
		fmt.Fprintf(p, "%s,CML-CP,imatinib,%s,e14a2\n", id, first.AddDate(0, -1, 0).Format("2006-01-02"))
		start := 1 + 0.5*rng.NormFloat64()      // log10 % IS at the first visit
		slope := -(0.3 + 0.9*rng.Float64()) / 4 // log10 per visit (three months)
		for v := 0; v < *visits; v++ {
			day := first.AddDate(0, 3*v, 0).Format("2006-01-02")
			for f := 0; f < *fractions; f++ {
				lv := start + slope*float64(v) + 0.15*rng.NormFloat64()
				if f == 2 { // the stem-cell fraction falls more slowly
					lv = start + slope*float64(v)/3 + 0.15*rng.NormFloat64()
				}
				control := 20000 + rng.Intn(80000)
				copies := math.Round(math.Pow(10, lv) / 100 * float64(control))
				if rng.Float64() < 0.05 {
					copies = 0
				}
				fmt.Fprintf(m, "%s,%s,%s,qpcr,BCR::ABL1,e14a2,%g,ABL1,%d,1\n", id, day, fractionNames[f], copies, control)
			}
		}
	}
	for _, w := range []*bufio.Writer{m, p} {
		if err := w.Flush(); err != nil {
			log.Fatal(err)
		}
	}
	for _, f := range []*os.File{mf, pf} {
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
	}
}
