package cart

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/lsc-bio/lsc/formats/input"
	"github.com/lsc-bio/lsc/repertoire"
	"github.com/lsc-bio/lsc/signature"
	"github.com/lsc-bio/lsc/stats"
)

// Sample is one row of the study sheet.
type Sample struct {
	Sample     string `json:"sample"`
	Patient    string `json:"patient"`
	Timepoint  string `json:"timepoint"`
	Group      string `json:"group"`
	Expression string `json:"expression"` // 10x folder/.h5, h5ad or table with the CAR feature ("" = none)
	Contigs    string `json:"contigs"`    // receptor contigs ("" = none)
	CellTypes  string `json:"cell_types"` // table of cell barcode and cell-type label ("" = none)
}

// Options for a study run.
type Options struct {
	CAR        CAROptions
	Repertoire repertoire.Options
	MinJoin    float64 // fewest receptor cells that must match expression cells (fraction; default 0.2)
	TopN       int     // clones counted in top_share (default 10)
	Jobs       int     // samples read at once (default 1); the result does not depend on it

	States      []signature.Signature // T-cell state signatures (default signature.TCellStates)
	NoStates    bool                  // do not score states
	StateMethod string                // scoring method for states (default ucell)
	Transform   string                // propeller transform: asin (default, as the seed study) or logit
	NotRobust   bool                  // propeller with limma eBayes robust = FALSE (default robust = TRUE, speckle's)
	Proteins    []string              // plasma-cell proteins (default CD269, CD38, CD319)
	PlasmaLabel string                // cell-type labels containing this are plasma cells (default "plasma")
	Pre, Post   string                // timepoints of the paired protein test (default the first two in the sheet)
}

// SampleResult holds one sample's measures (NaN when not measurable).
type SampleResult struct {
	Sample
	Cells, CARPos             int
	CARFraction, CARLo, CARHi float64 // Wilson 95% interval
	CD4, CD4CAR, CD8, CD8CAR  int
	ReceptorCells, Joined     int
	JoinRule                  string
	Clonotypes                int
	Shannon, NormShannon      float64
	ShannonCD4, ShannonCD8    float64
	TopShare, ExpandedShare   float64 // cells in the TopN largest clones; in clones of > 1 cell
	CARClones                 int     // clonotypes with at least one CAR+ cell
	CloneBins                 [5]int  // receptor cells in clones of 1, 2-5, 6-20, 21-100, > 100 cells
	CellTypes                 map[string]int
	StateFraction             map[string]float64 // among CD4/CD8 T cells, by state
	carClones                 []CARClone
	states                    []StateRow
	plasma                    []PlasmaRow
	notes                     []string // added to Result.Notes in sample order
}

// CloneBinNames label SampleResult.CloneBins (the seed study's bins).
var CloneBinNames = []string{"1", "2-5", "6-20", "21-100", ">100"}

// Metric names compared between groups, in order.
var Metrics = []string{"car_fraction", "cd4_car_fraction", "cd8_car_fraction", "shannon", "normalized_shannon",
	"shannon_cd4", "shannon_cd8", "top_share", "expanded_share"}

// Value returns a metric of a sample.
func (s *SampleResult) Value(metric string) float64 {
	frac := func(a, b int) float64 {
		if b == 0 {
			return math.NaN()
		}
		return float64(a) / float64(b)
	}
	switch metric {
	case "car_fraction":
		return s.CARFraction
	case "cd4_car_fraction":
		return frac(s.CD4CAR, s.CD4)
	case "cd8_car_fraction":
		return frac(s.CD8CAR, s.CD8)
	case "shannon":
		return s.Shannon
	case "normalized_shannon":
		return s.NormShannon
	case "shannon_cd4":
		return s.ShannonCD4
	case "shannon_cd8":
		return s.ShannonCD8
	case "top_share":
		return s.TopShare
	case "expanded_share":
		return s.ExpandedShare
	}
	if st, ok := strings.CutPrefix(metric, "state:"); ok {
		if v, ok := s.StateFraction[st]; ok {
			return v
		}
	}
	return math.NaN()
}

// Test is one group comparison.
type Test struct {
	Timepoint, Metric string
	GroupA, GroupB    string
	NA, NB            int
	MedianA, MedianB  float64
	W, P, PAdj        float64
}

// CARClone is a clonotype with CAR+ cells in one sample.
type CARClone struct {
	CloneID, Sample, Patient, Timepoint string
	Cells, CARPos                       int
	VJ, VDJ                             string
}

// Expanded is a clonotype followed between two samples of one patient
// (consecutive in the sheet).
type Expanded struct {
	Patient, FromSample, ToSample, FromTimepoint, ToTimepoint, CloneID string
	repertoire.Change
	CARPosTo int // CAR+ cells of the clone in the later sample
}

// Result is a study run.
type Result struct {
	Samples   []SampleResult
	Tests     []Test
	CARClones []CARClone
	Expansion []Expanded
	Groups    []string
	Rep       *repertoire.Result // nil without contigs

	States       []StateRow
	StateNames   []string
	Compositions []*Composition
	Plasma       []PlasmaRow
	PlasmaTests  []PairedTest
	Notes        []string // what could not be done and why
}

// PairedTest compares one protein's per-patient mean CLR on plasma cells
// between two timepoints (Wilcoxon signed-rank, BH over proteins).
type PairedTest struct {
	Protein, Pre, Post    string
	Patients              []string
	PreV, PostV           []float64
	MedianPre, MedianPost float64
	V, P, PAdj            float64
}

// Run measures every sample and compares the groups per timepoint.
func Run(samples []Sample, opt Options) (*Result, error) {
	if opt.MinJoin == 0 {
		opt.MinJoin = 0.2
	}
	if opt.TopN == 0 {
		opt.TopN = 10
	}
	if opt.States == nil && !opt.NoStates {
		opt.States = defaultStates()
	}
	if opt.StateMethod == "" {
		opt.StateMethod = "ucell"
	}
	if opt.Transform == "" {
		opt.Transform = TransformAsin
	}
	if opt.Transform != TransformAsin && opt.Transform != TransformLogit {
		return nil, fmt.Errorf("%w: transform %q: use asin or logit", ErrComposition, opt.Transform)
	}
	if opt.Proteins == nil {
		opt.Proteins = []string{"CD269", "CD38", "CD319"}
	}
	if opt.PlasmaLabel == "" {
		opt.PlasmaLabel = "plasma"
	}
	res := &Result{}
	var ins []repertoire.Input
	for _, s := range samples {
		if s.Contigs != "" {
			ins = append(ins, repertoire.Input{Path: s.Contigs, Sample: s.Sample})
		}
	}
	if len(ins) > 0 {
		rep, err := repertoire.Run(ins, repertoire.RunOptions{Options: opt.Repertoire, RarefyReps: 1, Jobs: opt.Jobs})
		if err != nil {
			return nil, err
		}
		res.Rep = rep
	}
	per := make([]SampleResult, len(samples))
	errs := make([]error, len(samples))
	sem := make(chan struct{}, max(opt.Jobs, 1))
	var wg sync.WaitGroup
	for i := range samples {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			per[i], errs[i] = measure(samples[i], res, opt)
		}(i)
	}
	wg.Wait()
	for i, r := range per {
		if errs[i] != nil {
			return nil, errs[i]
		}
		res.Samples = append(res.Samples, r)
		res.CARClones = append(res.CARClones, r.carClones...)
		res.Notes = append(res.Notes, r.notes...)
		res.States = append(res.States, r.states...)
		res.Plasma = append(res.Plasma, r.plasma...)
	}
	if len(res.States) > 0 {
		for _, sg := range opt.States {
			res.StateNames = append(res.StateNames, sg.Name)
		}
	}
	res.compare()
	res.expansion(samples)
	res.compositions(opt.Transform, !opt.NotRobust)
	if err := res.plasmaTests(opt); err != nil {
		return nil, err
	}
	return res, nil
}

// expansion follows clones between consecutive samples of each patient
// (clones with at least 2 cells on one side), Fisher's exact test with BH
// per pair of samples.
func (res *Result) expansion(samples []Sample) {
	if res.Rep == nil {
		return
	}
	sizes := map[string][]int{}
	for _, cr := range res.Rep.CloneRows {
		v := sizes[cr.Sample]
		if v == nil {
			v = make([]int, len(res.Rep.Clones.Size))
			sizes[cr.Sample] = v
		}
		id, _ := strconv.Atoi(cr.ID)
		v[id] = cr.Cells
	}
	car := map[[2]string]int{}
	for _, c := range res.CARClones {
		car[[2]string{c.Sample, c.CloneID}] = c.CARPos
	}
	last := map[string]Sample{}
	for _, s := range samples {
		prev, ok := last[s.Patient]
		last[s.Patient] = s
		if !ok || sizes[prev.Sample] == nil || sizes[s.Sample] == nil {
			continue
		}
		for _, ch := range repertoire.Expansion(sizes[prev.Sample], sizes[s.Sample], 2) {
			id := repertoire.CloneID(ch.Clone)
			res.Expansion = append(res.Expansion, Expanded{Patient: s.Patient, FromSample: prev.Sample, ToSample: s.Sample,
				FromTimepoint: prev.Timepoint, ToTimepoint: s.Timepoint, CloneID: id, Change: ch, CARPosTo: car[[2]string{s.Sample, id}]})
		}
	}
}

func measure(s Sample, res *Result, opt Options) (SampleResult, error) {
	rep := res.Rep
	r := SampleResult{Sample: s}
	nan := math.NaN()
	r.CARFraction, r.CARLo, r.CARHi = nan, nan, nan
	r.Shannon, r.NormShannon, r.ShannonCD4, r.ShannonCD8, r.TopShare, r.ExpandedShare = nan, nan, nan, nan, nan, nan
	var calls *Calls
	if s.Expression != "" {
		src, err := input.Open(s.Expression, input.Options{})
		if err != nil {
			return r, err
		}
		calls, err = Call(src, opt.CAR)
		src.Close()
		if err != nil {
			return r, fmt.Errorf("sample %s (%s): %w", s.Sample, s.Expression, err)
		}
		r.Cells = len(calls.Cells)
		for c, p := range calls.Positive {
			if p {
				r.CARPos++
			}
			switch calls.TGroup[c] {
			case "CD4":
				r.CD4++
				if p {
					r.CD4CAR++
				}
			case "CD8":
				r.CD8++
				if p {
					r.CD8CAR++
				}
			}
		}
		if r.Cells > 0 {
			r.CARFraction = float64(r.CARPos) / float64(r.Cells)
			if ci, err := stats.Wilson(r.CARPos, r.Cells, 0.95); err == nil {
				r.CARLo, r.CARHi = ci.Lower, ci.Upper
			}
		}
		if err := measureCells(&r, calls, res, opt); err != nil {
			return r, err
		}
	} else if s.CellTypes != "" {
		return r, fmt.Errorf("sample %s: a cell_types table (%s) needs the expression input its barcodes belong to", s.Sample, s.CellTypes)
	}
	if rep == nil || s.Contigs == "" {
		return r, nil
	}
	// this sample's receptor cells with a clonotype
	var keys []repertoire.CellKey
	var ids []int
	for i := range rep.Cells {
		if rep.Cells[i].Sample == s.Sample && rep.Clones.ID[i] >= 0 {
			keys = append(keys, repertoire.CellKey{Sample: s.Sample, Barcode: rep.Cells[i].ID})
			ids = append(ids, rep.Clones.ID[i])
		}
	}
	r.ReceptorCells = len(keys)
	var idx []int
	if calls != nil {
		var err error
		idx, r.JoinRule, r.Joined, err = repertoire.Join(calls.Cells, keys, []string{s.Sample}, opt.MinJoin)
		if err != nil {
			return r, fmt.Errorf("sample %s: joining %s to %s: %w", s.Sample, s.Contigs, s.Expression, err)
		}
	}
	all, cd4, cd8 := map[int]int{}, map[int]int{}, map[int]int{}
	car := map[int]int{}
	for j, id := range ids {
		all[id]++
		if idx == nil || idx[j] < 0 {
			continue
		}
		switch calls.TGroup[idx[j]] {
		case "CD4":
			cd4[id]++
		case "CD8":
			cd8[id]++
		}
		if calls.Positive[idx[j]] {
			car[id]++
		}
	}
	d := repertoire.Measure(values(all))
	r.Clonotypes, r.Shannon, r.NormShannon = d.Clonotypes, d.Shannon, d.NormalizedShannon
	if calls != nil {
		r.ShannonCD4, r.ShannonCD8 = repertoire.Measure(values(cd4)).Shannon, repertoire.Measure(values(cd8)).Shannon
	}
	sizes := values(all)
	sort.Sort(sort.Reverse(sort.IntSlice(sizes)))
	top, exp := 0, 0
	for i, n := range sizes {
		switch {
		case n == 1:
			r.CloneBins[0] += n
		case n <= 5:
			r.CloneBins[1] += n
		case n <= 20:
			r.CloneBins[2] += n
		case n <= 100:
			r.CloneBins[3] += n
		default:
			r.CloneBins[4] += n
		}
		if i < opt.TopN {
			top += n
		}
		if n > 1 {
			exp += n
		}
	}
	if len(ids) > 0 {
		r.TopShare, r.ExpandedShare = float64(top)/float64(len(ids)), float64(exp)/float64(len(ids))
	}
	r.CARClones = len(car)
	for _, id := range sortedKeys(car) {
		c := CARClone{CloneID: repertoire.CloneID(id), Sample: s.Sample, Patient: s.Patient, Timepoint: s.Timepoint, Cells: all[id], CARPos: car[id]}
		for i := range rep.CloneRows {
			if cr := &rep.CloneRows[i]; cr.Sample == s.Sample && cr.ID == c.CloneID {
				c.VJ, c.VDJ = cr.VJ, cr.VDJ
				break
			}
		}
		r.carClones = append(r.carClones, c)
	}
	sort.SliceStable(r.carClones, func(a, b int) bool { return r.carClones[a].Cells > r.carClones[b].Cells })
	return r, nil
}

func sortedKeys(m map[int]int) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}

// values lists the counts in clone-id order (deterministic).
func values(m map[int]int) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	out := make([]int, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// compare runs, per timepoint and metric, the rank-sum test between the
// first two groups (sorted), BH-adjusted over all tests.
func (res *Result) compare() {
	groups := map[string]bool{}
	var tps []string
	seenTP := map[string]bool{}
	for _, s := range res.Samples {
		if s.Group != "" {
			groups[s.Group] = true
		}
		if !seenTP[s.Timepoint] {
			seenTP[s.Timepoint] = true
			tps = append(tps, s.Timepoint)
		}
	}
	for g := range groups {
		res.Groups = append(res.Groups, g)
	}
	sort.Strings(res.Groups)
	if len(res.Groups) != 2 {
		return
	}
	var ps []float64
	metrics := append([]string(nil), Metrics...)
	for _, n := range res.StateNames {
		metrics = append(metrics, "state:"+n)
	}
	for _, tp := range tps {
		for _, m := range metrics {
			var a, b []float64
			for i := range res.Samples {
				s := &res.Samples[i]
				v := s.Value(m)
				if s.Timepoint != tp || math.IsNaN(v) {
					continue
				}
				if s.Group == res.Groups[0] {
					a = append(a, v)
				} else if s.Group == res.Groups[1] {
					b = append(b, v)
				}
			}
			if len(a) == 0 || len(b) == 0 {
				continue
			}
			t := Test{Timepoint: tp, Metric: m, GroupA: res.Groups[0], GroupB: res.Groups[1], NA: len(a), NB: len(b),
				MedianA: median(a), MedianB: median(b), W: math.NaN(), P: math.NaN()}
			if mw, err := stats.MannWhitneyTest(a, b); err == nil {
				t.W, t.P = mw.W, mw.P
			}
			res.Tests = append(res.Tests, t)
			ps = append(ps, t.P)
		}
	}
	adj := stats.BenjaminiHochberg(ps)
	for i := range res.Tests {
		res.Tests[i].PAdj = adj[i]
	}
}

func median(x []float64) float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
