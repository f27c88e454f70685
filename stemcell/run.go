package stemcell

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/lsc-bio/lsc/atomicfile"
	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/formats/sheet"
	"github.com/lsc-bio/lsc/matrix"
	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
	"github.com/lsc-bio/lsc/study"
)

// Scored holds one sample's cells after scoring.
type Scored struct {
	Sample   study.Sample
	Cells    []string
	Scores   []float64
	Types    []string // cell type from the annotation ("" without one)
	Missing  []string // signature genes absent from the sample
	Cached   bool
	Checksum string   // of the sample's input files
	Float32  bool     // scores carry float32 precision (score.Result.Float32)
	Notes    []string // what the reader noted (repeated genes made unique ...); none when cached
}

// ScoreOptions configure ScoreSamples.
type ScoreOptions struct {
	Score    score.Options
	Input    input.Options // matrix inside each file (h5ad layer or raw, 10x genome)
	Jobs     int           // samples in parallel (default 1)
	CacheDir string        // "" = no cache
}

// ErrNoTypes is returned (wrapped) when a sample names a cell-type column
// but neither an annotation table nor its data file (an h5ad's obs) has it.
var ErrNoTypes = errors.New("no cell types for the sample")

// ScoreSamples scores every sample with sig, in parallel (Jobs at a time),
// reusing cached results whose input checksums and parameters match.
func ScoreSamples(samples []study.Sample, sig signature.Signature, o ScoreOptions) ([]Scored, error) {
	jobs := o.Jobs
	if jobs < 1 {
		jobs = 1
	}
	out := make([]Scored, len(samples))
	errs := make([]error, len(samples))
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i := range samples {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			out[i], errs[i] = scoreOne(samples[i], sig, o)
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("sample %s (sheet line %d): %w", samples[i].ID, samples[i].Line, err)
		}
	}
	return out, nil
}

func scoreOne(s study.Sample, sig signature.Signature, o ScoreOptions) (Scored, error) {
	res := Scored{Sample: s}
	sum, err := inputChecksum(s)
	if err != nil {
		return res, err
	}
	res.Checksum = sum
	cache := ""
	if o.CacheDir != "" {
		cache = cacheFile(o.CacheDir, sum, s, sig, o)
		if r, ok := readCache(cache); ok {
			r.Sample, r.Checksum, r.Cached = s, sum, true
			return r, nil
		}
	}
	src, err := input.Open(s.Path, o.Input)
	if err != nil {
		return res, err
	}
	defer src.Close()
	opt := o.Score
	opt.Progress = nil
	sr, err := score.Run(src, []signature.Signature{sig}, opt)
	if err != nil {
		return res, err
	}
	res.Cells, res.Scores = sr.Cells, sr.Scores[0]
	res.Missing, res.Float32 = sr.Signatures[0].Missing, sr.Float32
	if d, ok := src.(matrix.Described); ok {
		res.Notes = d.Info().Notes
	}
	res.Types = make([]string, len(res.Cells))
	switch {
	case s.Annotation != "":
		if err := annotate(&res, s); err != nil {
			return res, err
		}
	case s.TypeColumn != "":
		if err := obsTypes(&res, s, src); err != nil {
			return res, err
		}
	}
	if cache != "" {
		if err := writeCache(cache, res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// CachePath returns the file in dir that holds s's scores for sig and the
// options o (ScoreSamples reads and writes it when o.CacheDir is dir): its
// name is the sample and a key of the input files' checksums and every
// parameter that changes the scores, so a changed input or parameter gives
// another file. It reads the sample's input files.
func CachePath(dir string, s study.Sample, sig signature.Signature, o ScoreOptions) (string, error) {
	sum, err := inputChecksum(s)
	if err != nil {
		return "", fmt.Errorf("sample %s (sheet line %d): %w", s.ID, s.Line, err)
	}
	return cacheFile(dir, sum, s, sig, o), nil
}

func cacheFile(dir, sum string, s study.Sample, sig signature.Signature, o ScoreOptions) string {
	key := cacheKey(sum, s, sig, o.Score, o.Input)
	return filepath.Join(dir, safe(s.ID)+"."+key[:16]+".tsv")
}

// inputChecksum is the checksum of a sample's data file, and of its
// annotation when it has one.
func inputChecksum(s study.Sample) (string, error) {
	sum, err := checksum(s.Path)
	if err != nil {
		return "", err
	}
	if s.Annotation != "" {
		a, err := checksum(s.Annotation)
		if err != nil {
			return "", err
		}
		sum += "+" + a
	}
	return sum, nil
}

func annotate(res *Scored, s study.Sample) error {
	sh, err := sheet.Read(s.Annotation)
	if err != nil {
		return err
	}
	cc := 0
	if s.CellColumn != "" {
		if cc = sh.Col(s.CellColumn); cc < 0 {
			return formats.Errorf(s.Annotation, 1, "header", "set cell_column to one of: "+strings.Join(sh.Header, ", "), "no column %q", s.CellColumn)
		}
	}
	tc := -1
	if s.TypeColumn != "" {
		if tc = sh.Col(s.TypeColumn); tc < 0 {
			return formats.Errorf(s.Annotation, 1, "header", "set celltype_column to one of: "+strings.Join(sh.Header, ", "), "no column %q", s.TypeColumn)
		}
	}
	types := map[string]string{}
	for _, r := range sh.Rows {
		types[r.Get(cc)] = r.Get(tc)
	}
	found := 0
	for i, c := range res.Cells {
		if t, ok := types[c]; ok {
			found++
			res.Types[i] = t
			if tc < 0 {
				res.Types[i] = "annotated"
			}
		}
	}
	if found == 0 {
		return formats.Errorf(s.Annotation, 0, "column "+sh.Header[cc], "the annotation must name cells as the expression file does (e.g. "+res.Cells[0]+")",
			"none of the %d cells of %s is in the annotation", len(res.Cells), s.Path)
	}
	return nil
}

// obsTypes takes the cell types from an h5ad's obs column s.TypeColumn.
func obsTypes(res *Scored, s study.Sample, src any) error {
	obs, ok := src.(interface {
		ObsColumn(string) ([]string, error)
		ObsColumns() []string
	})
	if !ok {
		return fmt.Errorf("%w: celltype_column %q without an annotation file, and %s is not an h5ad with obs columns; add an annotation table (cell, cell type)", ErrNoTypes, s.TypeColumn, s.Path)
	}
	types, err := obs.ObsColumn(s.TypeColumn)
	if err != nil {
		return fmt.Errorf("%w: %s: obs column %q: %w; 'lsc inspect %s' lists them (%s)", ErrNoTypes, s.Path, s.TypeColumn, err, s.Path, strings.Join(obs.ObsColumns(), ", "))
	}
	if len(types) != len(res.Cells) {
		return fmt.Errorf("%s: obs column %q has %d values for %d cells", s.Path, s.TypeColumn, len(types), len(res.Cells))
	}
	copy(res.Types, types)
	return nil
}

func checksum(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	files := []string{path}
	if st.IsDir() {
		files = nil
		entries, err := os.ReadDir(path)
		if err != nil {
			return "", err
		}
		for _, e := range entries {
			if !e.IsDir() {
				files = append(files, filepath.Join(path, e.Name()))
			}
		}
		sort.Strings(files)
	}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return "", err
		}
		io.WriteString(h, filepath.Base(f)+"\x00")
		_, err = io.Copy(h, fh)
		fh.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// cacheKey names a sample's cached scores. The leading version changes when
// lsc's scores change for the same inputs (v2: zscore/modulescore gene sums
// in fixed cell blocks), so caches of older versions are not reused.
func cacheKey(sum string, s study.Sample, sig signature.Signature, o score.Options, in input.Options) string {
	h := sha256.New()
	fmt.Fprintf(h, "v2|%s|%s|%s|%s|%s|", sum, s.CellColumn, s.TypeColumn, sig.Name, strings.Join(sig.Up, ","))
	fmt.Fprintf(h, "%s|%v|%s|%d|%g|%v|%d|%d|%d|%s|%d|%d", strings.Join(sig.Down, ","), sig.Weights, o.Method, o.MaxRank, o.AUCMaxRank, o.SSGSEANorm, o.Seed, o.NBin, o.NCtrl, o.Normalize, o.Limits.MinGenes, o.ChunkSize)
	if in != (input.Options{}) { // added after v2; absent for the default matrix, so v2 caches stay valid
		fmt.Fprintf(h, "|%s|%v|%s", in.Layer, in.UseRaw, in.Genome)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func safe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '_'
		}
		return r
	}, s)
}

func writeCache(path string, r Scored) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintf(bw, "#missing\t%s\n", strings.Join(r.Missing, ","))
		if r.Float32 {
			fmt.Fprintf(bw, "#float32\n")
		}
		for i, c := range r.Cells {
			fmt.Fprintf(bw, "%s\t%s\t%s\n", c, strconv.FormatFloat(r.Scores[i], 'g', -1, 64), r.Types[i])
		}
		return bw.Flush()
	})
}

func readCache(path string) (Scored, bool) {
	f, err := os.Open(path)
	if err != nil {
		return Scored{}, false
	}
	defer f.Close()
	var r Scored
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if m, ok := strings.CutPrefix(line, "#missing\t"); ok {
			if m != "" {
				r.Missing = strings.Split(m, ",")
			}
			continue
		}
		if line == "#float32" {
			r.Float32 = true
			continue
		}
		p := strings.Split(line, "\t")
		if len(p) != 3 {
			return Scored{}, false
		}
		v, err := strconv.ParseFloat(p[1], 64)
		if err != nil {
			return Scored{}, false
		}
		r.Cells, r.Scores, r.Types = append(r.Cells, p[0]), append(r.Scores, v), append(r.Types, p[2])
	}
	return r, sc.Err() == nil && len(r.Cells) > 0
}
