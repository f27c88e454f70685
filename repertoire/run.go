package repertoire

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lsc-bio/lsc/airr"

	"github.com/lsc-bio/lsc/internal/par"
)

// Input is one contig file and the sample it holds ("" = the file's own
// sample column, else the file name without extensions).
type Input struct {
	Path, Sample string
}

// RunOptions are the clonotype options plus the rarefaction settings.
type RunOptions struct {
	Options
	Index      IndexOptions
	RarefyReps int     // draws for the rarefied indices when samples are compared (default 100)
	BIdentity  float64 // > 0: also B-cell clonal clusters at this junction aa identity (BClusters)
	// Groups gives cell groups (e.g. CD4/CD8 from a Seurat or scanpy
	// annotation): diversity is also measured per sample and group.
	// Cell names are matched with Join's rules.
	Groups *CellGroups
	Seed   uint64 // rarefaction seed
	// Jobs is how many files are read and indexed, and samples rarefied,
	// at once (default 1). The result does not depend on it.
	Jobs int
}

// CellGroups names a group for cells named as the expression side names them.
type CellGroups struct {
	Cells, Groups []string
	MinJoin       float64 // default 0.2
}

// SampleDiversity is one row of diversity.tsv.
type SampleDiversity struct {
	Sample, Group string
	Diversity
	Rarefied Diversity // to the smallest sample (equal to Diversity when one sample)
}

// CloneRow is one clonotype in one sample.
type CloneRow struct {
	ID, Sample        string
	Cells, Total      int // cells of the clone in the sample; cells with a clonotype in the sample
	Fraction          float64
	VJ, VDJ           string // junctions of the clone's first cell (primary chains)
	ReceptorType      string
	CountBin, PropBin string
}

// Result is a whole repertoire run.
type Result struct {
	Files     []FileSummary
	Cells     []Cell
	Clones    *Clonotypes
	BCluster  []int // per cell, with RunOptions.BIdentity > 0 (else nil)
	Samples   []string
	Diversity []SampleDiversity
	CloneRows []CloneRow
	Overlap   []Overlap // every pair of samples, in sample order
	Options   RunOptions
}

// Overlap compares the clonotypes of two samples.
type Overlap struct {
	A, B                  string
	Shared                int // clonotypes in both
	Jaccard, MorisitaHorn float64
}

// FileSummary says what was read from one input.
type FileSummary struct {
	Path, Format      string
	Contigs, Cells    int
	DroppedContigs    int // is_cell or high_confidence false (kept with KeepAllContigs)
	UnproductiveOrNoJ int // contigs not indexed: unproductive, no junction_aa or no locus
}

// Run reads the inputs, indexes chains, defines clonotypes over all samples
// together (so shared clones get one id) and measures each sample.
func Run(inputs []Input, opt RunOptions) (*Result, error) {
	if err := opt.Options.fill(); err != nil {
		return nil, err
	}
	if opt.RarefyReps == 0 {
		opt.RarefyReps = 100
	}
	res := &Result{Options: opt}
	type read struct {
		sum   FileSummary
		cells []Cell
	}
	reads := make([]read, len(inputs))
	err := par.Each(len(inputs), opt.Jobs, func(k int) error {
		in := inputs[k]
		f, chains, err := airr.ReadFile(in.Path)
		if err != nil {
			return err
		}
		sum := FileSummary{Path: in.Path, Format: string(f), Contigs: len(chains)}
		for i := range chains {
			if in.Sample != "" || chains[i].Sample == "" {
				chains[i].Sample = sampleName(in)
			}
			if !opt.Index.KeepAllContigs && !(chains[i].IsCell && chains[i].HighConfidence) {
				sum.DroppedContigs++
			} else if !chains[i].Productive || chains[i].JunctionAA == "" || airr.Arm(chains[i].Locus) == "" {
				sum.UnproductiveOrNoJ++
			}
		}
		cells := Index(chains, opt.Index)
		sum.Cells = len(cells)
		reads[k] = read{sum, cells}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var all []Cell
	for _, r := range reads {
		res.Files = append(res.Files, r.sum)
		all = append(all, r.cells...)
	}
	res.Cells = all
	cl, err := Define(all, opt.Options)
	if err != nil {
		return nil, err
	}
	res.Clones = cl
	if opt.BIdentity > 0 {
		res.BCluster = BClusters(all, opt.BIdentity)
	}
	res.measure()
	if opt.Groups != nil {
		if err := res.measureGroups(opt.Groups); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// measureGroups adds a diversity row per sample and cell group (not
// rarefied: Rarefied repeats the plain indices).
func (r *Result) measureGroups(g *CellGroups) error {
	var keys []CellKey
	var who []int
	for i := range r.Cells {
		if r.Clones.ID[i] >= 0 {
			keys = append(keys, CellKey{Sample: r.Cells[i].Sample, Barcode: r.Cells[i].ID})
			who = append(who, i)
		}
	}
	minJoin := g.MinJoin
	if minJoin == 0 {
		minJoin = 0.2
	}
	idx, _, _, err := Join(g.Cells, keys, r.Samples, minJoin)
	if err != nil {
		return fmt.Errorf("cell groups: %w", err)
	}
	type sg struct{ s, g string }
	counts := map[sg]map[int]int{}
	var order []sg
	for j, k := range idx {
		if k < 0 || g.Groups[k] == "" {
			continue
		}
		key := sg{r.Cells[who[j]].Sample, g.Groups[k]}
		if counts[key] == nil {
			counts[key] = map[int]int{}
			order = append(order, key)
		}
		counts[key][r.Clones.ID[who[j]]]++
	}
	rank := map[string]int{}
	for i, s := range r.Samples {
		rank[s] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		if order[a].s != order[b].s {
			return rank[order[a].s] < rank[order[b].s]
		}
		return order[a].g < order[b].g
	})
	for _, key := range order {
		var ids []int
		for id := range counts[key] {
			ids = append(ids, id)
		}
		sort.Ints(ids)
		sizes := make([]int, len(ids))
		for i, id := range ids {
			sizes[i] = counts[key][id]
		}
		d := Measure(sizes)
		r.Diversity = append(r.Diversity, SampleDiversity{Sample: key.s, Group: key.g, Diversity: d, Rarefied: d})
	}
	return nil
}

func sampleName(in Input) string {
	if in.Sample != "" {
		return in.Sample
	}
	b := filepath.Base(in.Path)
	for {
		ext := filepath.Ext(b)
		switch strings.ToLower(ext) {
		case ".gz", ".csv", ".tsv", ".json", ".tab", ".txt":
			b = strings.TrimSuffix(b, ext)
			continue
		}
		return b
	}
}

// CloneID formats a clone id as written in the tables ("" for none).
func CloneID(id int) string {
	if id < 0 {
		return ""
	}
	return fmt.Sprint(id)
}

func (r *Result) measure() {
	seen := map[string]bool{}
	perSample := map[string]map[int]int{}
	first := map[[2]int]int{} // (sample index, clone) -> first cell
	sIdx := map[string]int{}
	for i := range r.Cells {
		s := r.Cells[i].Sample
		if !seen[s] {
			seen[s] = true
			sIdx[s] = len(r.Samples)
			r.Samples = append(r.Samples, s)
			perSample[s] = map[int]int{}
		}
		if id := r.Clones.ID[i]; id >= 0 {
			perSample[s][id]++
			k := [2]int{sIdx[s], id}
			if _, ok := first[k]; !ok {
				first[k] = i
			}
		}
	}
	minCells := -1
	sizes := map[string][]int{}
	for _, s := range r.Samples {
		var ids []int
		for id := range perSample[s] {
			ids = append(ids, id)
		}
		sort.Ints(ids)
		total := 0
		for _, id := range ids {
			sizes[s] = append(sizes[s], perSample[s][id])
			total += perSample[s][id]
		}
		if total > 0 && (minCells < 0 || total < minCells) {
			minCells = total
		}
		// clonotype rows, largest first, then by id
		sort.SliceStable(ids, func(a, b int) bool { return perSample[s][ids[a]] > perSample[s][ids[b]] })
		for _, id := range ids {
			c := &r.Cells[first[[2]int{sIdx[s], id}]]
			n := perSample[s][id]
			f := float64(n) / float64(total)
			r.CloneRows = append(r.CloneRows, CloneRow{ID: CloneID(id), Sample: s, Cells: n, Total: total, Fraction: f,
				VJ: junction(c.VJ[0], r.Options.Sequence), VDJ: junction(c.VDJ[0], r.Options.Sequence),
				ReceptorType: c.ReceptorType, CountBin: CountBin(n), PropBin: ProportionBin(f)})
		}
	}
	vec := func(s string) []int {
		v := make([]int, len(r.Clones.Size))
		for id, n := range perSample[s] {
			v[id] = n
		}
		return v
	}
	for i, a := range r.Samples {
		va := vec(a)
		for _, b := range r.Samples[i+1:] {
			vb := vec(b)
			o := Overlap{A: a, B: b, Jaccard: Jaccard(va, vb), MorisitaHorn: MorisitaHorn(va, vb)}
			for k := range va {
				if va[k] > 0 && vb[k] > 0 {
					o.Shared++
				}
			}
			r.Overlap = append(r.Overlap, o)
		}
	}
	div := make([]SampleDiversity, len(r.Samples))
	par.Each(len(r.Samples), r.Options.Jobs, func(si int) error {
		s := r.Samples[si]
		d := SampleDiversity{Sample: s, Group: "all", Diversity: Measure(sizes[s])}
		d.Rarefied = d.Diversity
		if len(r.Samples) > 1 && minCells > 0 {
			d.Rarefied = Rarefy(sizes[s], minCells, r.Options.RarefyReps, r.Options.Seed+uint64(si))
		}
		div[si] = d
		return nil
	})
	r.Diversity = append(r.Diversity, div...)
}

func junction(c *airr.Chain, seq string) string {
	if c == nil {
		return ""
	}
	if seq == "aa" {
		return c.JunctionAA
	}
	return c.Junction
}
