package score

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lsc-bio/lsc/signature"
)

// The histogram path for raw counts gives the same bits as the general
// ranker (sorted ranks, ucellScore) on random cells: up and up/down sets,
// genes in both halves, sets with absent genes, max-rank above and below the
// number of genes, heavy ties, cells with no counts; values it does not take
// (zero, fractional, negative, >= 65536) are refused, never scored.
func TestUCellCountsSameBitsAsRanker(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 300; trial++ {
		G := 5 + r.IntN(400)
		sigs := randomSets(r, G)
		maxRank := []int{1, 3, 50, 1500}[r.IntN(4)]
		onePassCells(t, r, trial, G, len(sigs), newUCellCounts(G, maxRank, sigs),
			func(rk *ranker, s int) float64 { return ucellScore(rk, &sigs[s], maxRank) }, []float64{0.3}, nil)
	}
}

// onePassCells gives fast 20 random count cells of G genes at one of the
// densities (row buffers reused from cell to cell, as a chunk's are) and
// checks that it takes exactly the cells of whole counts in [1, 65536) and
// scores each of its nsets sets with the bits of ref through the general
// ranker. took, when given, sees each cell taken.
func onePassCells(t *testing.T, r *rand.Rand, trial, G, nsets int, fast countScorer, ref func(rk *ranker, s int) float64, dens []float64, took func(idx []int32)) {
	t.Helper()
	rk := newRanker(G)
	got := make([]float64, nsets)
	var idx []int32
	var val []float64
	for cell := 0; cell < 20; cell++ {
		var want bool
		idx, val, _, want = randomCountCell(r, G, dens[r.IntN(len(dens))], idx, val)
		ok := fast.score(idx, val, got)
		if ok != want {
			t.Fatalf("trial %d cell %d: one pass took=%v a cell with values %v", trial, cell, ok, val)
		}
		if !ok {
			continue
		}
		if took != nil {
			took(idx)
		}
		rk.load(idx, val)
		for s := range nsets {
			if w := ref(rk, s); math.Float64bits(w) != math.Float64bits(got[s]) {
				t.Fatalf("trial %d cell %d set %d: %v in one pass, %v by the ranker", trial, cell, s, got[s], w)
			}
		}
	}
}

// shuffleSets puts each set's up genes in a random order: Resolve gives
// them in feature order, which the one-pass paths must not rely on.
func shuffleSets(r *rand.Rand, sigs []signature.Resolved) {
	for s := range sigs {
		r.Shuffle(len(sigs[s].Up), func(i, j int) { sigs[s].Up[i], sigs[s].Up[j] = sigs[s].Up[j], sigs[s].Up[i] })
	}
}

// randomSets draws 1-6 resolved signatures over G genes: up sets of 1-30
// genes listing up to 2 absent ones, half of them with a down set of 1-20.
func randomSets(r *rand.Rand, G int) []signature.Resolved {
	var sigs []signature.Resolved
	for s := 0; s < 1+r.IntN(6); s++ {
		pick := func(n int) []int32 {
			p := r.Perm(G)[:min(n, G)]
			out := make([]int32, len(p))
			for i, g := range p {
				out[i] = int32(g)
			}
			slices.Sort(out)
			return out
		}
		rs := signature.Resolved{Up: pick(1 + r.IntN(30))}
		rs.UpTotal = len(rs.Up) + r.IntN(3)
		if r.IntN(2) == 0 {
			rs.Down = pick(1 + r.IntN(20))
			rs.DownTotal = len(rs.Down) + r.IntN(2)
		}
		sigs = append(sigs, rs)
	}
	return sigs
}

// randomCountCell draws a cell of G genes at density dens into idx and val
// (their buffers reused): counts from 1 to top, top 1, 3, 40 or 70,000 (past
// the histogram's range), and in one cell of ten one value the histogram
// refuses (0, 2.5, -1, NaN). want is whether every value is a whole count in
// [1, 65536), the cells the histogram takes.
func randomCountCell(r *rand.Rand, G int, dens float64, idx []int32, val []float64) (_ []int32, _ []float64, top int, want bool) {
	idx, val = idx[:0], val[:0]
	top = []int{1, 3, 40, 70000}[r.IntN(4)]
	for g := 0; g < G; g++ {
		if r.Float64() < dens {
			idx = append(idx, int32(g))
			val = append(val, float64(1+r.IntN(top)))
		}
	}
	if r.IntN(10) == 0 && len(val) > 0 {
		val[r.IntN(len(val))] = []float64{0, 2.5, -1, math.NaN()}[r.IntN(4)]
	}
	want = true
	for _, v := range val {
		want = want && v >= 1 && v < 65536 && v == math.Trunc(v)
	}
	return idx, val, top, want
}

// The same pass for singscore gives the bits of singscoreScore through the
// general ranker: up and up/down sets in listing order, sets with absent
// genes, cells with no counts, every gene non-zero, heavy ties; it refuses
// the values the histogram does not take.
func TestSingscoreCountsSameBitsAsRanker(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 300; trial++ {
		G := 5 + r.IntN(400)
		sigs := randomSets(r, G)
		shuffleSets(r, sigs)
		onePassCells(t, r, trial, G, len(sigs), newSingscoreCounts(G, sigs),
			func(rk *ranker, s int) float64 { return singscoreScore(rk, G, &sigs[s]) }, []float64{0, 0.05, 0.3, 0.9, 1}, nil)
	}
}
