package score

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"

	"github.com/lsc-bio/lsc/matrix"
)

// sumBlock is the number of cells whose values geneSums adds up on their
// own before adding the block's total to the running sum. Fixed blocks, added
// in cell order, make the sums the same bits whatever --chunk and --jobs.
const sumBlock = 256

// geneSums returns, for the genes in want (nil = all), the sum of values over
// all cells: each block of sumBlock cells is summed in cell order, and the
// block totals are added to the result in block order as soon as the blocks
// before them are in (so only the blocks of chunks still in flight are held).
// With mean given, it sums squared deviations from mean instead (zeros
// included).
func geneSums(src matrix.Source, opt Options, norm *normalizer, want []int32, mean []float64) ([]float64, error) {
	G := len(src.Features())
	opt.ChunkSize = (max(opt.ChunkSize, 1) + sumBlock - 1) / sumBlock * sumBlock
	slot := make([]int32, G)
	for i := range slot {
		slot[i] = -1
	}
	if want == nil {
		want = make([]int32, G)
		for i := range want {
			want[i] = int32(i)
		}
	}
	for k, g := range want {
		slot[g] = int32(k)
	}
	tot := make([]float64, len(want))
	var mu sync.Mutex
	pending := map[int][]float64{} // block number -> its totals, waiting for earlier blocks
	next := 0                      // the block to add next
	err := stream(src, opt, norm, func(w int, c *matrix.Chunk) error {
		if c.Start%sumBlock != 0 {
			return fmt.Errorf("internal: chunk starts at cell %d, not a multiple of %d", c.Start, sumBlock)
		}
		var blocks [][]float64
		nnz := make([]int, len(want))
		for b0 := 0; b0 < c.Cells; b0 += sumBlock {
			p := make([]float64, len(want))
			clear(nnz)
			b1 := min(c.Cells, b0+sumBlock)
			for i := b0; i < b1; i++ {
				idx, val := c.Row(i)
				for k, g := range idx {
					if s := slot[g]; s >= 0 {
						if mean == nil {
							p[s] += val[k]
						} else {
							d := val[k] - mean[s]
							p[s] += d * d
							nnz[s]++
						}
					}
				}
			}
			if mean != nil {
				for s := range p {
					p[s] += float64(b1-b0-nnz[s]) * mean[s] * mean[s]
				}
			}
			blocks = append(blocks, p)
		}
		mu.Lock()
		defer mu.Unlock()
		for k, p := range blocks {
			pending[c.Start/sumBlock+k] = p
		}
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			for s, v := range p {
				tot[s] += v
			}
			delete(pending, next)
			next++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(pending) > 0 {
		return nil, fmt.Errorf("internal: %d cell blocks were not summed", len(pending))
	}
	return tot, nil
}

// runZscore is GSVA 1.46 method "zscore" (Lee et al., PLoS Comput Biol 2008):
// each gene is standardised across samples, (x - mean)/sd with the n-1
// standard deviation; genes constant across samples are dropped (GSVA
// discards them for every method but ssgsea); the score of a set is the sum
// of its genes' z-scores divided by the square root of their number.
func runZscore(src matrix.Source, out *Result, opt Options, norm *normalizer) error {
	var want []int32
	seen := map[int32]bool{}
	for _, r := range out.Signatures {
		for _, g := range r.Up {
			if !seen[g] {
				seen[g] = true
				want = append(want, g)
			}
		}
	}
	slices.Sort(want)
	n := float64(len(out.Cells))
	if n < 2 {
		return fmt.Errorf("zscore needs at least two cells or samples")
	}
	sums, err := geneSums(src, opt, norm, want, nil)
	if err != nil {
		return err
	}
	mean := make([]float64, len(want))
	for s := range sums {
		mean[s] = sums[s] / n
	}
	ss, err := geneSums(src, opt, norm, want, mean)
	if err != nil {
		return err
	}
	pos := map[int32]int{}
	sd := make([]float64, len(want))
	for s, g := range want {
		sd[s] = math.Sqrt(ss[s] / (n - 1))
		pos[g] = s
	}
	type term struct {
		slot int
		inv  float64
	}
	sets := make([][]term, len(out.Signatures))
	base := make([]float64, len(out.Signatures))
	scale := make([]float64, len(out.Signatures))
	for i, r := range out.Signatures {
		var dropped []string
		for _, g := range r.Up {
			s := pos[g]
			if sd[s] == 0 {
				dropped = append(dropped, src.Features()[g].Name)
				continue
			}
			sets[i] = append(sets[i], term{s, 1 / sd[s]})
			base[i] -= mean[s] / sd[s]
		}
		if len(sets[i]) == 0 {
			return fmt.Errorf("signature %s: every gene found is constant across the samples; no z-score can be formed", r.Sig.Name)
		}
		if len(dropped) > 0 {
			out.Log = append(out.Log, fmt.Sprintf("%s: %d genes constant across samples dropped (as GSVA does): %v", r.Sig.Name, len(dropped), dropped))
		}
		scale[i] = 1 / math.Sqrt(float64(len(sets[i])))
	}
	slotOf := make(map[int32]int, len(want))
	for s, g := range want {
		slotOf[g] = s
	}
	return stream(src, opt, norm, func(w int, c *matrix.Chunk) error {
		val := make([]float64, len(want))
		for i := 0; i < c.Cells; i++ {
			clear(val)
			idx, v := c.Row(i)
			for k, g := range idx {
				if s, ok := slotOf[g]; ok {
					val[s] = v[k]
				}
			}
			for si, ts := range sets {
				z := base[si]
				for _, t := range ts {
					z += val[t.slot] * t.inv
				}
				out.Scores[si][c.Start+i] = z * scale[si]
			}
		}
		return nil
	})
}

// runModule is Seurat 4.3 AddModuleScore (after Tirosh et al., Science 2016):
// genes are binned into nbin equal-size bins by their average expression over
// all cells (ggplot2::cut_number on the averages; ties, which Seurat breaks
// with random noise of 1e-30, are broken here by gene name); for each
// signature gene, ctrl genes are drawn without replacement from its bin; the
// score of a cell is the mean of the signature genes minus the mean of the
// union of control genes. The draw for a gene comes from a generator seeded
// by (seed, gene symbol), so a signature's controls do not depend on the
// order of its genes or on the other signatures scored with it, and the same
// seed gives the same bits.
func runModule(src matrix.Source, out *Result, opt Options, norm *normalizer) error {
	feats := src.Features()
	G := len(feats)
	n := float64(len(out.Cells))
	sums, err := geneSums(src, opt, norm, nil, nil)
	if err != nil {
		return err
	}
	order := make([]int32, G)
	for i := range order {
		order[i] = int32(i)
	}
	sort.Slice(order, func(a, b int) bool {
		ma, mb := sums[order[a]]/n, sums[order[b]]/n
		if ma != mb {
			return ma < mb
		}
		return feats[order[a]].Name < feats[order[b]].Name
	})
	nbin := opt.NBin
	bin := make([]int, G)
	bins := make([][]int32, nbin)
	for rank, g := range order {
		// equal-count bins over positions 0..G-1, breaks (G-1)k/nbin, right-open
		b := 0
		if G > 1 {
			b = int(math.Floor(float64(rank) * float64(nbin) / float64(G-1)))
		}
		b = min(b, nbin-1)
		bin[g] = b
		bins[b] = append(bins[b], g)
	}
	for b := range bins {
		slices.SortFunc(bins[b], func(x, y int32) int {
			if feats[x].Name < feats[y].Name {
				return -1
			}
			if feats[x].Name > feats[y].Name {
				return 1
			}
			return int(x - y)
		})
	}
	ctrls := make([][]int32, len(out.Signatures))
	capped := false
	for i, r := range out.Signatures {
		set := map[int32]bool{}
		for _, g := range r.Up {
			pool := bins[bin[g]]
			k := min(opt.NCtrl, len(pool))
			if k < opt.NCtrl {
				capped = true
			}
			h := fnv.New64a()
			h.Write([]byte(feats[g].Name))
			rng := rand.New(rand.NewPCG(opt.Seed, h.Sum64()))
			p := slices.Clone(pool)
			for j := 0; j < k; j++ {
				x := j + rng.IntN(len(p)-j)
				p[j], p[x] = p[x], p[j]
				set[p[j]] = true
			}
		}
		for g := range set {
			ctrls[i] = append(ctrls[i], g)
		}
		slices.Sort(ctrls[i])
	}
	out.Params["seed"] = opt.Seed
	out.Params["nbin"] = nbin
	out.Params["ctrl"] = opt.NCtrl
	if capped {
		out.Log = append(out.Log, fmt.Sprintf("modulescore: some bins hold fewer than %d genes; all genes of such a bin were used as controls", opt.NCtrl))
	}
	for i, r := range out.Signatures {
		out.Log = append(out.Log, fmt.Sprintf("%s: %d control genes (seed %d)", r.Sig.Name, len(ctrls[i]), opt.Seed))
	}
	return stream(src, opt, norm, func(w int, c *matrix.Chunk) error {
		val := make([]float64, G)
		for i := 0; i < c.Cells; i++ {
			idx, v := c.Row(i)
			for k, g := range idx {
				val[g] = v[k]
			}
			for si, r := range out.Signatures {
				var a, b float64
				for _, g := range r.Up {
					a += val[g]
				}
				for _, g := range ctrls[si] {
					b += val[g]
				}
				out.Scores[si][c.Start+i] = a/float64(len(r.Up)) - b/float64(len(ctrls[si]))
			}
			for _, g := range idx {
				val[g] = 0
			}
		}
		return nil
	})
}
