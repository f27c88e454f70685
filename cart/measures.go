package cart

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/lsc-bio/lsc/adt"
	"github.com/lsc-bio/lsc/signature"
	"github.com/lsc-bio/lsc/stats"
)

// measureCells adds the per-cell measures that need the expression input
// beyond the CAR call: T-cell states, cell-type counts, plasma-cell proteins.
func measureCells(r *SampleResult, calls *Calls, res *Result, opt Options) error {
	s := r.Sample
	if len(opt.States) > 0 {
		rows, err := scoreStates(s, calls, opt)
		switch {
		case errors.Is(err, signature.ErrTooFewGenes):
			r.notes = append(r.notes, fmt.Sprintf("sample %s: T-cell states not scored: %v", s.Sample, err))
		case err != nil:
			return err
		default:
			r.states = rows
			r.StateFraction = map[string]float64{}
			for _, x := range rows {
				if x.TGroup == "T" {
					r.StateFraction[x.State] = x.Fraction
				}
			}
		}
	}
	if s.CellTypes == "" {
		return nil
	}
	labels, err := readLabels(s, calls.Cells, opt.MinJoin)
	if err != nil {
		return err
	}
	r.CellTypes = map[string]int{}
	for _, l := range labels {
		if l != "" {
			r.CellTypes[l]++
		}
	}
	if len(opt.Proteins) == 0 {
		return nil
	}
	rows, err := plasmaProteins(s, labels, opt)
	if errors.Is(err, adt.ErrNoADT) {
		r.notes = append(r.notes, fmt.Sprintf("sample %s: no antibody capture in %s: plasma-cell proteins not measured", s.Sample, s.Expression))
		return nil
	}
	if err != nil {
		return err
	}
	r.plasma = rows
	return nil
}

// compositions runs the propeller test per timepoint on the T-cell states
// (all CD4/CD8 T cells), the cell types and the clone-size bins.
func (res *Result) compositions(transform string, robust bool) {
	var tps []string
	seen := map[string]bool{}
	for _, s := range res.Samples {
		if !seen[s.Timepoint] {
			seen[s.Timepoint] = true
			tps = append(tps, s.Timepoint)
		}
	}
	for _, tp := range tps {
		for _, kind := range []string{"state", "cell_type", "clone_size"} {
			var samples, groups []string
			var rows []map[string]int
			clusterSet := map[string]bool{}
			var clusters []string
			add := func(c string) {
				if !clusterSet[c] {
					clusterSet[c] = true
					clusters = append(clusters, c)
				}
			}
			for i := range res.Samples {
				s := &res.Samples[i]
				if s.Timepoint != tp || s.Group == "" {
					continue
				}
				m := map[string]int{}
				switch kind {
				case "state":
					for _, x := range s.states {
						if x.TGroup == "T" {
							m[x.State] = x.Cells
							add(x.State)
						}
					}
				case "cell_type":
					for c, n := range s.CellTypes {
						m[c] = n
					}
				case "clone_size":
					if s.ReceptorCells > 0 {
						for b, n := range s.CloneBins {
							m[CloneBinNames[b]] = n
							add(CloneBinNames[b])
						}
					}
				}
				tot := 0
				for _, n := range m {
					tot += n
				}
				if tot == 0 {
					continue
				}
				samples, groups, rows = append(samples, s.Sample.Sample), append(groups, s.Group), append(rows, m)
			}
			if kind == "cell_type" {
				for _, m := range rows {
					for c := range m {
						clusterSet[c] = true
					}
				}
				for c := range clusterSet {
					clusters = append(clusters, c)
				}
				sort.Strings(clusters)
			}
			if len(samples) == 0 {
				continue
			}
			// clusters without cells at this timepoint are left out (speckle
			// takes its clusters from the cells)
			var kept []string
			for _, c := range clusters {
				for _, m := range rows {
					if m[c] > 0 {
						kept = append(kept, c)
						break
					}
				}
			}
			clusters = kept
			counts := make([][]float64, len(rows))
			for i, m := range rows {
				counts[i] = make([]float64, len(clusters))
				for j, c := range clusters {
					counts[i][j] = float64(m[c])
				}
			}
			comp, err := Propeller(samples, groups, clusters, counts, transform, robust)
			if err != nil {
				res.Notes = append(res.Notes, fmt.Sprintf("timepoint %s, %s composition: not tested: %v", tp, kind, err))
				continue
			}
			comp.Name, comp.Timepoint = kind, tp
			res.Compositions = append(res.Compositions, comp)
		}
	}
}

// plasmaTests pairs each patient's samples at the two timepoints and runs
// the signed-rank test per protein.
func (res *Result) plasmaTests(opt Options) error {
	if len(res.Plasma) == 0 {
		return nil
	}
	pre, post := opt.Pre, opt.Post
	if pre == "" || post == "" {
		var tps []string
		seen := map[string]bool{}
		for _, p := range res.Plasma {
			if !seen[p.Timepoint] {
				seen[p.Timepoint] = true
				tps = append(tps, p.Timepoint)
			}
		}
		if len(tps) < 2 {
			res.Notes = append(res.Notes, fmt.Sprintf("plasma-cell proteins: one timepoint (%v); no paired test", tps))
			return nil
		}
		if pre == "" {
			pre = tps[0]
		}
		if post == "" {
			post = tps[1]
		}
	}
	var ps []float64
	for _, prot := range opt.Proteins {
		at := map[[2]string]float64{}
		var patients []string
		seenP := map[string]bool{}
		for _, p := range res.Plasma {
			if p.Protein != prot || (p.Timepoint != pre && p.Timepoint != post) {
				continue
			}
			k := [2]string{p.Patient, p.Timepoint}
			if _, dup := at[k]; dup {
				return fmt.Errorf("patient %s has two samples at timepoint %s: give distinct timepoints (e.g. PB-post, BM-post) and choose with --pre/--post", p.Patient, p.Timepoint)
			}
			at[k] = p.MeanCLR
			if !seenP[p.Patient] {
				seenP[p.Patient] = true
				patients = append(patients, p.Patient)
			}
		}
		t := PairedTest{Protein: prot, Pre: pre, Post: post, V: math.NaN(), P: math.NaN(), MedianPre: math.NaN(), MedianPost: math.NaN(), PAdj: math.NaN()}
		for _, pt := range patients {
			a, okA := at[[2]string{pt, pre}]
			b, okB := at[[2]string{pt, post}]
			if okA && okB && !math.IsNaN(a) && !math.IsNaN(b) {
				t.Patients, t.PreV, t.PostV = append(t.Patients, pt), append(t.PreV, a), append(t.PostV, b)
			}
		}
		if len(t.Patients) == 0 {
			res.Notes = append(res.Notes, fmt.Sprintf("plasma-cell %s: no patient has plasma cells at both %s and %s", prot, pre, post))
		} else {
			t.MedianPre, t.MedianPost = median(t.PreV), median(t.PostV)
			if w, err := stats.SignedRankTest(t.PostV, t.PreV); err == nil {
				t.V, t.P = w.V, w.P
			} else {
				res.Notes = append(res.Notes, fmt.Sprintf("plasma-cell %s: %v", prot, err))
			}
		}
		res.PlasmaTests = append(res.PlasmaTests, t)
		ps = append(ps, t.P)
	}
	for i, q := range stats.BenjaminiHochberg(ps) {
		res.PlasmaTests[i].PAdj = q
	}
	return nil
}
