package repertoire

import (
	"sort"

	"github.com/lsc-bio/lsc/airr"
)

// Cell is one cell's receptor: its chains indexed as scirpy's receptor model.
type Cell struct {
	ID, Sample string
	VJ, VDJ    [2]*airr.Chain // primary and secondary chain per arm; nil when absent
	Multichain bool           // more than two kept chains in one arm
	Contigs    int            // contigs read for the cell (all, before filtering)
	// chain_qc classes
	ReceptorType, ReceptorSubtype, ChainPairing string
}

// HasIR reports whether any chain was kept.
func (c *Cell) HasIR() bool { return c.VJ[0] != nil || c.VDJ[0] != nil }

// IndexOptions choose which contigs are read as cells.
type IndexOptions struct {
	// KeepAllContigs keeps contigs with is_cell or high_confidence false
	// (scirpy read_10x_vdj filtered=False); by default they are dropped.
	KeepAllContigs bool
}

// Index groups chains by (sample, cell) in order of first appearance,
// indexes the chains and classifies each cell (chain_qc).
func Index(chains []airr.Chain, opt IndexOptions) []Cell {
	type key struct{ s, c string }
	pos := map[key]int{}
	var cells []Cell
	var kept [][]*airr.Chain
	for i := range chains {
		ch := &chains[i]
		if !opt.KeepAllContigs && !(ch.IsCell && ch.HighConfidence) {
			continue
		}
		k := key{ch.Sample, ch.Cell}
		j, ok := pos[k]
		if !ok {
			j = len(cells)
			pos[k] = j
			cells = append(cells, Cell{ID: ch.Cell, Sample: ch.Sample})
			kept = append(kept, nil)
		}
		cells[j].Contigs++
		if ch.Productive && ch.JunctionAA != "" && airr.Arm(ch.Locus) != "" {
			kept[j] = append(kept[j], ch)
		}
	}
	for j := range cells {
		indexCell(&cells[j], kept[j])
		classify(&cells[j])
	}
	return cells
}

func nz(v float64) float64 {
	if v < 0 {
		return 0
	}
	return v
}

// rankBefore orders chains as scirpy's sort_chains_by: umi_count,
// duplicate_count, consensus_count, junction, junction_aa, all descending.
func rankBefore(a, b *airr.Chain) bool {
	if x, y := nz(a.UMICount), nz(b.UMICount); x != y {
		return x > y
	}
	if x, y := nz(a.DuplicateCount), nz(b.DuplicateCount); x != y {
		return x > y
	}
	if x, y := nz(a.ConsensusCount), nz(b.ConsensusCount); x != y {
		return x > y
	}
	if a.Junction != b.Junction {
		return a.Junction > b.Junction
	}
	return a.JunctionAA > b.JunctionAA
}

func indexCell(c *Cell, kept []*airr.Chain) {
	var vj, vdj []*airr.Chain
	for _, ch := range kept {
		if airr.Arm(ch.Locus) == "VJ" {
			vj = append(vj, ch)
		} else {
			vdj = append(vdj, ch)
		}
	}
	for _, arm := range []struct {
		list []*airr.Chain
		dst  *[2]*airr.Chain
	}{{vj, &c.VJ}, {vdj, &c.VDJ}} {
		l := arm.list
		sort.SliceStable(l, func(i, j int) bool { return rankBefore(l[i], l[j]) })
		for i := 0; i < len(l) && i < 2; i++ {
			arm.dst[i] = l[i]
		}
		if len(l) > 2 {
			c.Multichain = true
		}
	}
}
