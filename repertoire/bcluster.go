package repertoire

import "strings"

// BClusters groups B cells into clonal clusters as dandelion and
// scRepertoire do for BCRs: the primary heavy chains (VDJ_1, IGH) must
// share the V and J gene (alleles ignored) and the junction amino-acid
// length, and their junctions must be at least identity identical
// (1 - Hamming/length >= identity, default 0.85); clusters are the
// connected components (single linkage). Returns a cluster id per cell
// (-1 for cells without a heavy chain), numbered by first cell.
func BClusters(cells []Cell, identity float64) []int {
	if identity <= 0 {
		identity = 0.85
	}
	type key struct {
		v, j string
		n    int
	}
	groups := map[key][]int{}
	var order []key
	for i := range cells {
		h := cells[i].VDJ[0]
		if h == nil || h.Locus != "IGH" || h.JunctionAA == "" {
			continue
		}
		k := key{gene(h.VCall), gene(h.JCall), len(h.JunctionAA)}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	uf := newUnionFind(len(cells))
	for _, k := range order {
		g := groups[k]
		// identical junctions first (cheap), then pairwise Hamming over the
		// distinct ones
		byJ := map[string]int{}
		var distinct []int
		for _, i := range g {
			j := cells[i].VDJ[0].JunctionAA
			if f, ok := byJ[j]; ok {
				uf.union(f, i)
			} else {
				byJ[j] = i
				distinct = append(distinct, i)
			}
		}
		maxMis := int(float64(k.n)*(1-identity) + 1e-9)
		for a := 0; a < len(distinct); a++ {
			for b := a + 1; b < len(distinct); b++ {
				if hamming(cells[distinct[a]].VDJ[0].JunctionAA, cells[distinct[b]].VDJ[0].JunctionAA, maxMis) {
					uf.union(distinct[a], distinct[b])
				}
			}
		}
	}
	out := make([]int, len(cells))
	ids := map[int]int{}
	for i := range cells {
		out[i] = -1
		h := cells[i].VDJ[0]
		if h == nil || h.Locus != "IGH" || h.JunctionAA == "" {
			continue
		}
		r := uf.find(i)
		id, ok := ids[r]
		if !ok {
			id = len(ids)
			ids[r] = id
		}
		out[i] = id
	}
	return out
}

// gene drops the allele: IGHV3-23*01 -> IGHV3-23; of several calls
// ("IGHV3-23*01,IGHV3-23D*01") the first is used.
func gene(call string) string {
	call, _, _ = strings.Cut(call, ",")
	call, _, _ = strings.Cut(call, "*")
	return call
}

// hamming reports whether equal-length a and b differ in at most max places.
func hamming(a, b string, max int) bool {
	d := 0
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] {
			d++
			if d > max {
				return false
			}
		}
	}
	return true
}
