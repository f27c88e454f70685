// Package score computes gene-signature scores per cell (or bulk sample) from
// a streaming matrix.Source. Each method is a port of its reference
// implementation, described where it is defined:
//
//   - ucell: UCell 2.17 (Andreatta & Carmona 2021), methods.go ucellScore
//   - aucell: AUCell 1.2x (Aibar et al. 2017), methods.go aucellScore
//   - singscore: singscore 1.2x simpleScore (Foroutan et al. 2018)
//   - ssgsea: GSVA 1.46 method "ssgsea" (Barbie et al. 2009; Hänzelmann et al. 2013)
//   - zscore: GSVA 1.46 method "zscore" (Lee et al. 2008)
//   - modulescore: Seurat 4.3 AddModuleScore (Tirosh et al. 2016), modulescore.go
//   - weighted: sum of coefficient x expression (LSC17, Ng et al. 2016)
//   - mean: mean normalised expression of the set (PLAID; scanpy score_genes
//     without controls)
//
// On raw counts, UCell, AUCell and singscore take a one-pass path with the
// same bits (ucellcounts.go, aucellcounts.go).
//
// Scores never depend on the order of genes in a signature (signature.Resolve
// puts them in feature order, so sums run in one order) or of cells in the
// matrix (ssgsea alone orders equal-expression genes by their row in the
// matrix, as GSVA does). The matrix is never densified: cells are read in
// chunks and scored in parallel; memory is the chunk buffers plus the score
// table (cells x signatures).
package score

import (
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/lsc-bio/lsc/internal/hugepage"
	"github.com/lsc-bio/lsc/matrix"
	"github.com/lsc-bio/lsc/signature"
)

// Methods lists the method names in documentation order.
var Methods = []string{"ucell", "aucell", "singscore", "ssgsea", "zscore", "modulescore", "weighted", "mean"}

// ErrUnknownMethod is returned (wrapped) for a method name lsc does not have.
var ErrUnknownMethod = errors.New("unknown scoring method")

// ParseMethod validates a method name (case-insensitive) and returns it as
// Methods spells it.
func ParseMethod(s string) (string, error) {
	for _, m := range Methods {
		if strings.EqualFold(strings.TrimSpace(s), m) {
			return m, nil
		}
	}
	return "", fmt.Errorf("%w %q: use one of %s", ErrUnknownMethod, s, strings.Join(Methods, ", "))
}

// DefaultChunk is the number of cells per chunk unless Options say
// otherwise. A chunk of 64 cells (about 2 MB of indices and values at 2,600
// detected genes a cell) is written by the reader and read by a scorer
// while it is still in a core's 2 MB L2 cache; chunks of 128 were not. The
// whole job, 10k x 30k, 6-8 alternating runs each (2026-12-03): from .h5
// UCell 0.41 -> 0.38 s and AUCell 0.44 -> 0.405 s; from h5ad 0.415 ->
// 0.395 and 0.45 -> 0.43 s; from MTX UCell 0.515 -> 0.50 s, AUCell 0.52 s
// both (0.98 -> 0.975 CPU s); the 1M-cell h5ad 37.1-37.6 -> 34.1-34.7 s.
// Chunks of 32 were no faster than 64. Scores do not depend on it.
const DefaultChunk = 64

// Options tune the methods; zero values take the documented defaults.
type Options struct {
	Method     string
	MaxRank    int     // ucell (default 1500)
	AUCMaxRank float64 // aucell: a fraction of genes (< 1, default 0.05) or a count (>= 1)
	SSGSEANorm bool    // ssgsea: divide by the score range (GSVA default true)
	Alpha      float64 // ssgsea weight exponent (default 0.25)
	Seed       uint64  // modulescore control-gene draw
	NBin       int     // modulescore expression bins (default 24)
	NCtrl      int     // modulescore control genes per signature gene (default 100)
	Normalize  matrix.Normalization
	ChunkSize  int // cells per chunk (default 64: a chunk's arrays, about 2 MB for 2,600 genes a cell, stay in a core's L2 cache)
	Workers    int // scoring goroutines (default GOMAXPROCS)
	Limits     signature.Limits
	Progress   func(done, total int)
}

// Result is the score table and what was done to make it.
type Result struct {
	Method        string
	Cells         []string
	Signatures    []signature.Resolved
	Scores        [][]float64 // [signature][cell]
	Normalization string      // what was applied
	// Float32 reports scores computed as numbers (not ranks) from values
	// stored as 32-bit floats: they are written with float32 precision.
	Float32 bool
	Log     []string // human-readable notes (normalisation, dropped genes, controls)
	Params  map[string]any
}

func (o *Options) defaults() {
	if o.MaxRank == 0 {
		o.MaxRank = 1500
	}
	if o.AUCMaxRank == 0 {
		o.AUCMaxRank = 0.05
	}
	if o.Alpha == 0 {
		o.Alpha = 0.25
	}
	if o.NBin == 0 {
		o.NBin = 24
	}
	if o.NCtrl == 0 {
		o.NCtrl = 100
	}
	if o.Normalize == "" {
		o.Normalize = matrix.NormAuto
	}
	if o.ChunkSize <= 0 {
		o.ChunkSize = DefaultChunk
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Limits.MaxMissing == 0 {
		o.Limits.MaxMissing = 0.5
	}
	if o.Limits.MinGenes == 0 {
		o.Limits.MinGenes = 1
	}
}

func rankBased(m string) bool {
	return m == "ucell" || m == "aucell" || m == "singscore" || m == "ssgsea"
}

// Run scores sigs on src with opt.Method.
func Run(src matrix.Source, sigs []signature.Signature, opt Options) (*Result, error) {
	opt.defaults()
	m, err := ParseMethod(opt.Method)
	if err != nil {
		return nil, err
	}
	opt.Method = m
	feats := src.Features()
	res, err := signature.Resolve(sigs, feats, opt.Limits)
	if err != nil {
		return nil, err
	}
	for _, r := range res {
		if r.Sig.Weighted() && opt.Method != "weighted" {
			return nil, fmt.Errorf("signature %s is a weighted score: use --method weighted", r.Sig.Name)
		}
		if opt.Method == "weighted" && !r.Sig.Weighted() {
			return nil, fmt.Errorf("signature %s has no weights: --method weighted needs gene<TAB>weight lists such as LSC17", r.Sig.Name)
		}
		if len(r.Sig.Down) > 0 && !slices.Contains([]string{"ucell", "singscore"}, opt.Method) {
			how := fmt.Sprintf("score %s_UP and %s_DOWN separately otherwise", r.Sig.Name, r.Sig.Name)
			if r.Sig.File != "" {
				how = fmt.Sprintf("score the halves separately otherwise: pick one with %s:NAME_UP, or keep them apart with --separate-up-down", r.Sig.File)
			}
			return nil, fmt.Errorf("signature %s has down genes; only ucell and singscore score up/down pairs (%s)", r.Sig.Name, how)
		}
		if opt.Method == "ucell" && len(r.Sig.Up) > opt.MaxRank {
			return nil, fmt.Errorf("signature %s has %d genes, more than --max-rank %d (UCell refuses this too)", r.Sig.Name, len(r.Sig.Up), opt.MaxRank)
		}
	}
	cells := src.CellNames()
	out := &Result{Method: opt.Method, Cells: cells, Signatures: res, Scores: make([][]float64, len(res)), Params: map[string]any{}}
	// One array for the table, on huge pages where Linux gives them
	// (10k cells x 50 signatures: 4 MB, a fault per 2 MiB, not per 4 KiB).
	all := hugepage.Slice[float64](len(res) * len(cells))
	for i := range out.Scores {
		out.Scores[i] = all[i*len(cells) : (i+1)*len(cells) : (i+1)*len(cells)]
	}
	for _, r := range res {
		if len(r.Missing) > 0 {
			out.Log = append(out.Log, fmt.Sprintf("%s: %d of %d genes not in the data: %v", r.Sig.Name, len(r.Missing), r.UpTotal+r.DownTotal, r.Missing))
		}
		if len(r.Aliased) > 0 {
			out.Log = append(out.Log, fmt.Sprintf("%s: matched through aliases: %v", r.Sig.Name, r.Aliased))
		}
	}
	norm := newNormalizer(opt.Normalize, rankBased(opt.Method))
	switch opt.Method {
	case "ucell", "aucell", "singscore", "ssgsea":
		err = runRank(src, out, opt, norm)
	case "zscore":
		err = runZscore(src, out, opt, norm)
	case "modulescore":
		err = runModule(src, out, opt, norm)
	case "weighted", "mean":
		err = runLinear(src, out, opt, norm)
	}
	if err != nil {
		return nil, err
	}
	out.Normalization = norm.describe()
	if d, ok := src.(matrix.Described); ok && d.Info().Float32 && !rankBased(opt.Method) {
		out.Float32 = true
	}
	out.Log = append([]string{"normalisation: " + out.Normalization}, out.Log...)
	return out, nil
}

// normalizer applies the --normalize choice chunk by chunk; "auto" decides on
// the first chunk and checks every later chunk agrees.
type normalizer struct {
	mode     matrix.Normalization
	rankOnly bool
	decided  bool
	counts   bool
	mu       sync.Mutex
}

func newNormalizer(m matrix.Normalization, rankOnly bool) *normalizer {
	return &normalizer{mode: m, rankOnly: rankOnly}
}

func (n *normalizer) apply(c *matrix.Chunk) error {
	// The check reads every value: outside the lock, and only when the
	// mode depends on it.
	counts := n.mode == matrix.NormAuto && matrix.IsCounts(c)
	n.mu.Lock()
	if n.mode == matrix.NormAuto {
		if !n.decided {
			n.decided, n.counts = true, counts
		} else if n.counts && !counts {
			n.mu.Unlock()
			return fmt.Errorf("cells %d-%d hold non-integer values but the first cells looked like raw counts; choose --normalize explicitly (log1p-cp10k for counts, none for normalised data)", c.Start+1, c.Start+c.Cells)
		}
	}
	doLog := n.mode == matrix.NormLog1pCP10k || (n.mode == matrix.NormAuto && n.counts)
	n.mu.Unlock()
	if doLog && !n.rankOnly {
		matrix.Log1pCP10k(c)
	}
	return nil
}

func (n *normalizer) describe() string {
	doLog := n.mode == matrix.NormLog1pCP10k || (n.mode == matrix.NormAuto && n.counts)
	s := "none (values used as given)"
	if doLog {
		s = "log1p of counts per 10,000"
		if n.mode == matrix.NormAuto {
			s += " (auto: the matrix holds non-negative integer counts)"
		}
		if n.rankOnly {
			s += "; rank-based method: per-cell normalisation does not change ranks, so scores are computed on the values as read"
		}
	} else if n.mode == matrix.NormAuto {
		s += " (auto: values are not integer counts)"
	}
	return s
}

// stream reads src and calls fn(workerID, chunk) in parallel; chunks are
// recycled through a pool so memory stays at a few chunks.
func stream(src matrix.Source, opt Options, norm *normalizer, fn func(w int, c *matrix.Chunk) error) error {
	if err := src.Rewind(); err != nil {
		return err
	}
	total := len(src.CellNames())
	free := make(chan *matrix.Chunk, opt.Workers+2)
	for range opt.Workers + 2 {
		free <- &matrix.Chunk{}
	}
	work := make(chan *matrix.Chunk, opt.Workers)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	var failed atomic.Bool
	fail := func(err error) { once.Do(func() { firstErr = err; failed.Store(true) }) }
	var mu sync.Mutex
	done := 0
	for w := range opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				if !failed.Load() {
					if err := norm.apply(c); err != nil {
						fail(err)
					} else if err := fn(w, c); err != nil {
						fail(err)
					}
					mu.Lock()
					done += c.Cells
					if opt.Progress != nil {
						opt.Progress(done, total)
					}
					mu.Unlock()
				}
				free <- c
			}
		}()
	}
	for {
		c := <-free
		err := src.Next(c, opt.ChunkSize)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fail(err)
			break
		}
		work <- c
	}
	close(work)
	wg.Wait()
	return firstErr
}

func runRank(src matrix.Source, out *Result, opt Options, norm *normalizer) error {
	G := len(src.Features())
	rankers := make([]*ranker, opt.Workers)
	for i := range rankers {
		rankers[i] = newRanker(G)
	}
	T := int(math.Ceil(opt.AUCMaxRank * float64(G)))
	if opt.AUCMaxRank >= 1 {
		T = int(opt.AUCMaxRank)
	}
	T = int(math.Round(float64(T)))
	switch opt.Method {
	case "ucell":
		out.Params["max_rank"] = opt.MaxRank
	case "aucell":
		out.Params["auc_max_rank"] = T
		out.Log = append(out.Log, fmt.Sprintf("AUCell threshold: top %d of %d genes; ties scored by their exact expectation over AUCell's random tie-breaking", T, G))
	case "ssgsea":
		out.Params["alpha"] = opt.Alpha
		out.Params["ssgsea_norm"] = opt.SSGSEANorm
	}
	// On raw counts, ranks come from a histogram of the cell's counts
	// instead of a sort, and each signature's sum is formed in one pass
	// over the cell's non-zero genes, with the same bits as the general
	// ranker (ucellcounts.go for UCell and singscore, aucellcounts.go).
	var fast []countScorer
	for range opt.Workers {
		switch opt.Method {
		case "ucell":
			fast = append(fast, newUCellCounts(G, opt.MaxRank, out.Signatures))
		case "singscore":
			fast = append(fast, newSingscoreCounts(G, out.Signatures))
		case "aucell":
			fast = append(fast, newAUCellCounts(G, T, out.Signatures))
		}
	}
	err := stream(src, opt, norm, func(w int, c *matrix.Chunk) error {
		r := rankers[w]
		row := make([]float64, len(out.Signatures))
		for i := 0; i < c.Cells; i++ {
			cell := c.Start + i
			if fast != nil {
				if idx, val := c.Row(i); fast[w].score(idx, val, row) {
					for s, v := range row {
						out.Scores[s][cell] = v
					}
					continue
				}
			}
			r.load(c.Row(i))
			for s := range out.Signatures {
				rs := &out.Signatures[s]
				var v float64
				switch opt.Method {
				case "ucell":
					v = ucellScore(r, rs, opt.MaxRank)
				case "aucell":
					v = aucellScore(r, rs.Up, T)
				case "singscore":
					v = singscoreScore(r, G, rs)
				case "ssgsea":
					v = ssgseaRaw(r, rs.Up, opt.Alpha)
				}
				out.Scores[s][cell] = v
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if opt.Method == "ssgsea" && opt.SSGSEANorm {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, col := range out.Scores {
			for _, v := range col {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		rng := hi - lo
		out.Log = append(out.Log, fmt.Sprintf("ssGSEA scores divided by their range over all signatures and cells (%.6g), as GSVA does", rng))
		if rng > 0 {
			for _, col := range out.Scores {
				for i := range col {
					col[i] /= rng
				}
			}
		}
	}
	return nil
}

// runLinear computes weighted sums and means.
func runLinear(src matrix.Source, out *Result, opt Options, norm *normalizer) error {
	nGenes := len(src.Features())
	return stream(src, opt, norm, func(w int, c *matrix.Chunk) error {
		// A dense row buffer: set the cell's values, read the signatures'
		// genes, clear what was set (O(non-zeros + signature genes) per cell).
		val := make([]float64, nGenes)
		for i := 0; i < c.Cells; i++ {
			idx, v := c.Row(i)
			for k, g := range idx {
				val[g] = v[k]
			}
			for s := range out.Signatures {
				rs := &out.Signatures[s]
				var sum float64
				for k, g := range rs.Up {
					if opt.Method == "weighted" {
						sum += rs.Weights[k] * val[g]
					} else {
						sum += val[g]
					}
				}
				if opt.Method == "mean" {
					sum /= float64(len(rs.Up))
				}
				out.Scores[s][c.Start+i] = sum
			}
			for _, g := range idx {
				val[g] = 0
			}
		}
		return nil
	})
}
