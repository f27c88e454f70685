package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/formats/sheet"
)

// ScoreOptions name what an `lsc score` TSV does not say itself: the
// patient and sample its cells come from, and the sample's metadata.
type ScoreOptions struct {
	Patient   string // required
	Sample    string // required
	Date      string // YYYY-MM-DD, optional
	Timepoint string // e.g. diagnosis, optional
	Tissue    string // PB, BM ..., optional
	Fraction  string // sorted fraction, optional
	User      string
}

// ErrNotScores reports a file that is not `lsc score` output.
var ErrNotScores = errors.New("not an lsc score TSV")

// ImportScores imports the per-cell TSV of `lsc score` (column cell, then
// one column per signature) as one run of kind "score" for one sample:
// per signature a result with metric "score" (assay single_cell, unit
// score) whose value is the mean over the cells, n the number of cells
// with a score, and in its fields the summary: n_cells, n_missing, mean,
// median, sd (n-1 denominator), q25, q75 (R's default quantile type 7),
// min and max. The TSV itself is kept by checksum with the run, as other
// per-cell tables are. The same file for the same patient and sample is
// the same run (importing it again changes nothing).
func (c *core) ImportScores(ctx context.Context, study, path string, opt ScoreOptions) (*ImportResult, error) {
	b, err := readScores(path, opt)
	if err != nil {
		return nil, err
	}
	return c.importBundle(ctx, study, b, ImportOptions{User: opt.User})
}

func readScores(path string, opt ScoreOptions) (*bundle, error) {
	if strings.TrimSpace(opt.Patient) == "" || strings.TrimSpace(opt.Sample) == "" {
		return nil, fmt.Errorf("%s: an lsc score TSV names no patient or sample: give both (--patient P7 --sample P7-D0)", path)
	}
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if st.IsDir() {
		return nil, fmt.Errorf("%s is a folder: --kind score takes the TSV lsc score wrote (--out scores.tsv)", path)
	}
	d, err := date(opt.Date, "--date", 0, "--date")
	if err != nil {
		return nil, fmt.Errorf("--date %q: write dates as YYYY-MM-DD", opt.Date)
	}
	sh, err := sheet.Read(path)
	if err != nil {
		return nil, err
	}
	if len(sh.Header) < 2 || !strings.EqualFold(strings.TrimSpace(sh.Header[0]), "cell") {
		return nil, formats.Errorf(path, 1, "header", "give the TSV lsc score wrote: column cell, then one column per signature",
			"%w: the header is %q", ErrNotScores, strings.Join(sh.Header, "\t"))
	}
	if len(sh.Rows) == 0 {
		return nil, formats.Errorf(path, 2, "", "score at least one cell", "%w: no cells", ErrNotScores)
	}
	sigs := sh.Header[1:]
	seen := map[string]bool{}
	for _, s := range sigs {
		if s == "" || seen[s] {
			return nil, formats.Errorf(path, 1, "header", "each signature column needs a distinct name", "%w: signature column %q empty or repeated", ErrNotScores, s)
		}
		seen[s] = true
	}
	vals := make([][]float64, len(sigs))
	missing := make([]int, len(sigs))
	for _, r := range sh.Rows {
		if r.Fields[0] == "" {
			return nil, formats.Errorf(path, r.Line, "column cell", "every row needs its cell barcode", "empty cell")
		}
		for i := range sigs {
			f := strings.TrimSpace(r.Fields[i+1])
			if f == "" || f == "NA" || f == "NaN" {
				missing[i]++ // a cell the method could not score
				continue
			}
			v, err := strconv.ParseFloat(f, 64)
			if err != nil || math.IsInf(v, 0) {
				return nil, formats.Errorf(path, r.Line, "column "+sigs[i], "an lsc score TSV holds one finite number per cell and signature",
					"%w: %q is not a number", ErrNotScores, f)
			}
			vals[i] = append(vals[i], v)
		}
	}
	b := newBundle()
	s := sampleRec{patient: opt.Patient, name: opt.Sample, timepoint: opt.Timepoint, tissue: opt.Tissue, fraction: opt.Fraction, date: d}
	if err := b.sample(s, path); err != nil {
		return nil, err
	}
	for i, sig := range sigs {
		if len(vals[i]) == 0 {
			b.skipped++
			b.warnings = append(b.warnings, fmt.Sprintf("%s: signature %s has no scored cell; no summary stored", path, sig))
			continue
		}
		sum := summarise(vals[i])
		n := int64(sum.N)
		mean := sum.Mean
		fields := map[string]string{"n_cells": strconv.Itoa(sum.N), "n_missing": strconv.Itoa(missing[i]),
			"mean": fnum(sum.Mean), "median": fnum(sum.Median), "sd": fnum(sum.SD), "q25": fnum(sum.Q25), "q75": fnum(sum.Q75),
			"min": fnum(sum.Min), "max": fnum(sum.Max)}
		b.results = append(b.results, resultRec{patient: opt.Patient, sample: opt.Sample, assay: "single_cell", metric: "score",
			fraction: opt.Fraction, target: sig, unit: "score", value: &mean, n: &n, file: filepath.Base(path), line: 1, fields: fields})
	}
	if err := b.addFile(path); err != nil {
		return nil, err
	}
	params, _ := json.Marshal(map[string]string{"patient": opt.Patient, "sample": opt.Sample, "date": opt.Date,
		"timepoint": opt.Timepoint, "tissue": opt.Tissue, "fraction": opt.Fraction})
	b.run.Parameters = string(params)
	abs, _ := filepath.Abs(path)
	b.run.Source = abs
	b.finish("score")
	return b, nil
}

// scoreSummary is the summary of one signature's per-cell scores.
type scoreSummary struct {
	N                                    int
	Mean, Median, SD, Q25, Q75, Min, Max float64
}

// summarise returns the mean, the median, the sample standard deviation
// (n-1; 0 for one value), the quartiles by R's default quantile (type 7:
// linear between order statistics at (n-1)p) and the range of v.
func summarise(v []float64) scoreSummary {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	var sum float64
	for _, x := range v { // in file order: the mean does not depend on the sort
		sum += x
	}
	mean := sum / float64(n)
	var ss float64
	for _, x := range s {
		ss += (x - mean) * (x - mean)
	}
	sd := 0.0
	if n > 1 {
		sd = math.Sqrt(ss / float64(n-1))
	}
	q := func(p float64) float64 {
		h := float64(n-1) * p
		lo := math.Floor(h)
		i := int(lo)
		if i+1 >= n {
			return s[n-1]
		}
		return s[i] + (h-lo)*(s[i+1]-s[i])
	}
	return scoreSummary{N: n, Mean: mean, Median: q(0.5), SD: sd, Q25: q(0.25), Q75: q(0.75), Min: s[0], Max: s[n-1]}
}
