// Command studybench generates a synthetic study (patients x samples x 4
// assays, written as the output folders of lsc stemcells, lsc mrd assess and
// lsc flow compartments plus a patient sheet) and measures the study store on
// it: import throughput (result rows per second), timeline latency (median,
// p95) and database size. See bench/README.md.
//
//	go run ./bench/studybench -db /tmp/bench.db -patients 10000
//	go run ./bench/studybench -db 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable&search_path=bench' -patients 10000
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"github.com/lsc-bio/lsc/store"
)

func main() {
	db := flag.String("db", "", "SQLite file or postgres:// URL (a fresh one)")
	dir := flag.String("dir", "", "folder for the generated study (default a temporary folder)")
	patients := flag.Int("patients", 10000, "patients")
	samples := flag.Int("samples", 20, "samples per patient")
	queries := flag.Int("queries", 2000, "timeline queries")
	genOnly := flag.Bool("gen", false, "only write the study")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the import and queries")
	flag.Parse()
	if *prof != "" {
		f, err := os.Create(*prof)
		check(err)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "studybench")
		check(err)
		defer os.RemoveAll(d)
		*dir = d
	}
	t0 := time.Now()
	rows := generate(*dir, *patients, *samples)
	fmt.Printf("generated %d patients x %d samples x 4 assays (%d result rows) in %s\n", *patients, *samples, rows, time.Since(t0).Round(time.Millisecond))
	if *genOnly || *db == "" {
		return
	}
	ctx := context.Background()
	st, err := store.Open(ctx, *db, store.Options{Files: filepath.Join(*dir, "files")})
	check(err)
	defer st.Close()
	_, err = st.Migrate(ctx)
	check(err)
	t0 = time.Now()
	cpu0 := cpuSeconds()
	_, err = st.ImportPatients(ctx, "", filepath.Join(*dir, "patients.csv"), store.PatientOptions{})
	check(err)
	total := 0
	for _, run := range []string{"stem", "mrd", "flow"} {
		t1 := time.Now()
		r, err := st.ImportRun(ctx, "", filepath.Join(*dir, run), store.ImportOptions{})
		check(err)
		total += r.Results
		fmt.Printf("  %s: %d results in %s (%.0f rows/s)\n", run, r.Results, time.Since(t1).Round(time.Millisecond), float64(r.Results)/time.Since(t1).Seconds())
	}
	el := time.Since(t0)
	fmt.Printf("%s import: %d results + %d patients in %s: %.0f result rows/s (this process used %.1f s of CPU: %.0f rows per CPU second)\n",
		st.Backend(), total, *patients, el.Round(time.Millisecond), float64(total)/el.Seconds(), cpuSeconds()-cpu0, float64(total)/(cpuSeconds()-cpu0))
	rng := rand.New(rand.NewPCG(1, 2))
	lat := make([]float64, *queries)
	for i := range lat {
		p := fmt.Sprintf("B%05d", rng.IntN(*patients))
		t1 := time.Now()
		tl, err := st.Timeline(ctx, "", p)
		check(err)
		lat[i] = float64(time.Since(t1).Microseconds()) / 1000
		if len(tl.Series) == 0 {
			log.Fatalf("%s: empty timeline", p)
		}
	}
	sort.Float64s(lat)
	q := func(f float64) float64 { return lat[int(math.Ceil(f*float64(len(lat))))-1] }
	fmt.Printf("timeline (%d queries): median %.2f ms, p95 %.2f ms, max %.2f ms\n", len(lat), q(0.5), q(0.95), lat[len(lat)-1])
	fmt.Printf("database size: %s\n", size(ctx, st, *db))
}

func size(ctx context.Context, st store.Store, db string) string {
	if st.Backend() == "postgres" {
		var n int64
		err := st.DB().QueryRowContext(ctx, `SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`).Scan(&n)
		check(err)
		return fmt.Sprintf("%.1f MB (tables with indexes and TOAST, current schema)", float64(n)/1e6)
	}
	st.DB().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	fi, err := os.Stat(db)
	check(err)
	return fmt.Sprintf("%.1f MB (SQLite file after a WAL checkpoint)", float64(fi.Size())/1e6)
}

// generate writes patients.csv, stem/samples.tsv, mrd/measurements.tsv
// (qPCR and FISH rows) and flow/compartments.tsv; returns the result rows.
func generate(dir string, patients, samples int) int {
	rng := rand.New(rand.NewPCG(7, 11))
	for _, d := range []string{"stem", "mrd", "flow"} {
		check(os.MkdirAll(filepath.Join(dir, d), 0o777))
	}
	pt := newTSV(filepath.Join(dir, "patients.csv"), "patient,sex,birth_year,diagnosis,diagnosis_date,therapy,therapy_start")
	stem := newTSV(filepath.Join(dir, "stem/samples.tsv"), "sample\tpatient\ttimepoint\tn_cells\tn_stem_like\tfraction\tlower95\tupper95\trisk_group\tdate")
	mrd := newTSV(filepath.Join(dir, "mrd/measurements.tsv"), "input_line\tpatient\tdate\tfraction\tassay\ttarget\ttarget_copies\tcontrol_gene\tcontrol_copies\t"+
		"ratio_percent\tis_percent\tresponse\tdetectable\tabnormal_nuclei\tscored_nuclei\tprobe\tclone_percent\tclone_lower95\tclone_upper95\tnotes")
	flow := newTSV(filepath.Join(dir, "flow/compartments.tsv"), "sample\tpatient\ttimepoint\tcompartment\tpopulation\tmeasured\tcount\t"+
		"pct_of_parent\tpct_of_parent_lower95\tpct_of_parent_upper95\tpct_of_all\tpct_of_all_lower95\tpct_of_all_upper95\tdate")
	base := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	line := 1
	rows := 0
	for p := 0; p < patients; p++ {
		id := fmt.Sprintf("B%05d", p)
		dx := base.AddDate(0, 0, rng.IntN(3000))
		fmt.Fprintf(pt, "%s,%s,%d,CML-CP,%s,imatinib,%s\n", id, []string{"F", "M"}[rng.IntN(2)], 1940+rng.IntN(50), dx.Format("2006-01-02"), dx.Format("2006-01-02"))
		is := 20 * rng.Float64()
		for s := 0; s < samples; s++ {
			d := dx.AddDate(0, 0, s*91).Format("2006-01-02")
			name := id + "-" + d
			n := 500 + rng.IntN(3000)
			k := rng.IntN(n / 3)
			f := float64(k) / float64(n)
			fmt.Fprintf(stem, "%s\t%s\tday%d\t%d\t%d\t%v\t%v\t%v\t>15%%\t%s\n", name, id, s*91, n, k, f, f*0.9, f*1.1, d)
			line++
			is *= 0.3 + 0.6*rng.Float64()
			fmt.Fprintf(mrd, "%d\t%s\t%s\tPB\tqpcr\tBCR::ABL1\t%d\tABL1\t100000\t%v\t%v\tMMR\tyes\t\t\t\t\t\t\tsynthetic\n", line, id, d, int(is*1000), is, is)
			line++
			ab := rng.IntN(40)
			fmt.Fprintf(mrd, "%d\t%s\t%s\tCD34+CD38-\tfish\t\t\t\t\t\t\tnot assessable\tyes\t%d\t200\tdel(5q)\t%v\t%v\t%v\tsynthetic\n", line, id, d, ab, float64(ab)/2, float64(ab)/2*0.7, float64(ab)/2*1.3)
			c := 100 + rng.IntN(1000)
			pp, pa := 100*rng.Float64(), rng.Float64()
			fmt.Fprintf(flow, "%s\t%s\tday%d\tCD34+CD38-\t/blasts/CD34+/CD34+CD38-\tyes\t%d\t%v\t%v\t%v\t%v\t%v\t%v\t%s\n", name, id, s*91, c, pp, pp*0.9, pp*1.1, pa, pa*0.9, pa*1.1, d)
			rows += 5 // stem-like, IS %, clone %, % parent, % total
		}
	}
	for _, w := range []*tsvFile{pt, stem, mrd, flow} {
		w.close()
	}
	return rows
}

type tsvFile struct {
	*bufio.Writer
	f *os.File
}

func newTSV(path, header string) *tsvFile {
	f, err := os.Create(path)
	check(err)
	w := &tsvFile{bufio.NewWriterSize(f, 1<<20), f}
	w.WriteString(strings.TrimSpace(header) + "\n")
	return w
}

func (w *tsvFile) close() {
	check(w.Flush())
	check(w.f.Close())
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
