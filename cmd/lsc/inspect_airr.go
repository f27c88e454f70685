package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/lsc-bio/lsc/airr"
	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/repertoire"
)

// receptorInspection is what 'lsc inspect' reports about a receptor or
// feature-reference table.
type receptorInspection struct {
	Path       string         `json:"path"`
	Format     string         `json:"format"`
	Contigs    int            `json:"contigs,omitempty"`
	Cells      int            `json:"cells,omitempty"`
	Loci       map[string]int `json:"loci,omitempty"`
	Pairing    map[string]int `json:"chain_pairing,omitempty"`
	FirstCells []string       `json:"first_cells,omitempty"`
	Features   int            `json:"features,omitempty"`
	FirstFeats []string       `json:"first_features,omitempty"`
}

func inspectReceptor(w io.Writer, path string, f airr.Format, asJSON bool) error {
	r := receptorInspection{Path: path, Format: string(f)}
	if f == airr.FormatFeatureRef {
		rc, err := formats.OpenText(path)
		if err != nil {
			return err
		}
		defer rc.Close()
		fr, err := airr.ReadFeatureReference(rc, path)
		if err != nil {
			return err
		}
		r.Features = len(fr)
		for _, x := range fr[:min(5, len(fr))] {
			r.FirstFeats = append(r.FirstFeats, x.ID+"="+x.Name)
		}
	} else {
		_, chains, err := airr.ReadFile(path)
		if err != nil {
			return err
		}
		cells := repertoire.Index(chains, repertoire.IndexOptions{})
		r.Contigs, r.Cells, r.Loci, r.Pairing = len(chains), len(cells), map[string]int{}, map[string]int{}
		for _, c := range chains {
			l := c.Locus
			if l == "" {
				l = "none"
			}
			r.Loci[l]++
		}
		for i, c := range cells {
			r.Pairing[c.ChainPairing]++
			if i < 5 {
				r.FirstCells = append(r.FirstCells, c.ID)
			}
		}
	}
	if asJSON {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(r)
	}
	if r.Features > 0 {
		fmt.Fprintf(w, "%s: %s, %d features\nfeatures: %s\n", path, f, r.Features, list(r.FirstFeats, r.Features))
		return nil
	}
	fmt.Fprintf(w, "%s: %s, %d contigs in %d cells (is_cell and high-confidence)\nloci: %s\nchain pairing: %s\ncells: %s\n",
		path, f, r.Contigs, r.Cells, counts(r.Loci), counts(r.Pairing), list(r.FirstCells, r.Cells))
	return nil
}

func counts(m map[string]int) string {
	var k []string
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	var s []string
	for _, x := range k {
		s = append(s, fmt.Sprintf("%s %d", x, m[x]))
	}
	return strings.Join(s, ", ")
}
