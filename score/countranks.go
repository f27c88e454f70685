package score

import "github.com/lsc-bio/lsc/signature"

// countRanks answers ranker's rank query for a cell of raw counts without
// sorting it, as ucellCounts does for UCell: a gene's place in the cell's
// decreasing order depends only on its count c, with ge[c+1] genes strictly
// above it and ge[c]-ge[c+1] tied with it (ge[v]: the cell's genes with a
// count >= v), and every gene at zero has all n non-zero genes above it and
// G-n tied with it. These are the numbers ranker.rank returns for the same
// cell, so aucellScore and singscoreScore give the same bits through either
// (countranks_test.go). The runner uses it for the AUCell cells that
// aucellCounts refuses because their zero block reaches under the
// threshold. Cells with a value that is not a whole count in [1, maxCount)
// are refused and go through the general ranker.
//
// Only the genes a caller will ask about (asked, the signatures' genes) have
// their count set, so a cell of 2,500 non-zero genes writes and clears the
// few hundred of them that belong to a set.
type countRanks struct {
	G     int
	asked []bool  // genes rank may be asked about
	n     int     // non-zero genes of the loaded cell
	cnt   []int32 // asked gene -> its count in the loaded cell (0: not in the cell)
	ge    []int32 // ge[v] for v in 1..top+1; all zeros between cells
	idx   []int32 // the loaded cell's genes whose count is set, to clear cnt (the chunk's own may be reused by then)
	top   int     // largest count of the loaded cell
}

// newCountRanks answers for cells of G genes; asked (G long) marks the only
// genes rank will be asked about.
func newCountRanks(G int, asked []bool) *countRanks {
	return &countRanks{G: G, asked: asked, cnt: make([]int32, G), ge: make([]int32, maxCount+1)}
}

// askedGenes marks the genes of the signatures (up and down).
func askedGenes(G int, sigs []signature.Resolved) []bool {
	a := make([]bool, G)
	for s := range sigs {
		for _, g := range sigs[s].Up {
			a[g] = true
		}
		for _, g := range sigs[s].Down {
			a[g] = true
		}
	}
	return a
}

// load prepares the cell and reports true, or reports false (nothing
// loaded) when a value is not a whole count in [1, maxCount).
func (c *countRanks) load(idx []int32, val []float64) bool {
	c.reset()
	top, ok := countsAtLeast(c.ge, val)
	if !ok {
		return false
	}
	set := c.idx[:0]
	for i, g := range idx {
		if c.asked[g] {
			c.cnt[g] = int32(val[i])
			set = append(set, g)
		}
	}
	c.idx, c.n, c.top = set, len(idx), top
	return true
}

// reset clears what the last loaded cell left.
func (c *countRanks) reset() {
	for _, g := range c.idx {
		c.cnt[g] = 0
	}
	clear(c.ge[:c.top+1])
	c.idx, c.n, c.top = c.idx[:0], 0, 0
}

// rank is ranker.rank: the genes with a strictly greater count and the size
// of g's tie block, for a gene marked asked.
func (c *countRanks) rank(g int32) (greater, eq int) {
	k := c.cnt[g]
	if k == 0 {
		return c.n, c.G - c.n
	}
	return int(c.ge[k+1]), int(c.ge[k] - c.ge[k+1])
}
