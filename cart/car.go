package cart

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lsc-bio/lsc/matrix"
)

// CAROptions choose the CAR call.
type CAROptions struct {
	Features []string // summed; default idecel, ciltacel
	Above    float64  // CAR+ when the summed count is above this (default 0)
}

// Calls are the per-cell CAR and T-cell calls of one expression input.
type Calls struct {
	Cells    []string
	Count    []float64 // summed CAR feature counts
	Positive []bool
	TGroup   []string // "CD4", "CD8" or "" (both or neither)
	Found    []string // CAR features present in the input
}

// ErrNoCAR is wrapped when none of the CAR features is in the input.
var ErrNoCAR = errors.New("no CAR feature")

// Call reads every cell of src and calls CAR+ cells and CD4/CD8 T cells.
// CAR features are looked up by name or id among the gene-expression
// features, then among the features kept apart (antibody capture). T-cell
// group: CD8 when CD8A+CD8B counts are above 0 and CD4 is 0, CD4 the other
// way round, "" otherwise.
func Call(src matrix.Source, opt CAROptions) (*Calls, error) {
	if len(opt.Features) == 0 {
		opt.Features = []string{"idecel", "ciltacel"}
	}
	feats := src.Features()
	want := map[string]bool{}
	for _, f := range opt.Features {
		want[f] = true
	}
	role := make([]byte, len(feats)) // 'c' CAR, '4' CD4, '8' CD8A/B
	var found []string
	for i, f := range feats {
		switch {
		case want[f.Name] || want[f.ID]:
			role[i] = 'c'
			found = append(found, f.Name)
		case f.Name == "CD4":
			role[i] = '4'
		case f.Name == "CD8A" || f.Name == "CD8B":
			role[i] = '8'
		}
	}
	cells := src.CellNames()
	res := &Calls{Cells: cells, Count: make([]float64, len(cells)), Positive: make([]bool, len(cells)), TGroup: make([]string, len(cells))}
	cd4, cd8 := make([]float64, len(cells)), make([]float64, len(cells))
	var ch matrix.Chunk
	for {
		err := src.Next(&ch, 4096)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		for i := 0; i < ch.Cells; i++ {
			idx, v := ch.Row(i)
			c := ch.Start + i
			for k, j := range idx {
				switch role[j] {
				case 'c':
					res.Count[c] += v[k]
				case '4':
					cd4[c] += v[k]
				case '8':
					cd8[c] += v[k]
				}
			}
		}
	}
	if len(found) == 0 {
		if o, ok := src.(interface {
			Other() []matrix.Feature
			OtherMatrix() (*matrix.CSR, error)
		}); ok {
			m, err := o.OtherMatrix()
			if err == nil {
				for j, f := range m.Feats {
					if want[f.Name] || want[f.ID] {
						found = append(found, f.Name)
						for c := range cells {
							for k := m.Indptr[c]; k < m.Indptr[c+1]; k++ {
								if int(m.Indices[k]) == j {
									res.Count[c] += m.Data[k]
								}
							}
						}
					}
				}
			}
		}
	}
	if len(found) == 0 {
		var first []string
		for _, f := range feats[:min(5, len(feats))] {
			first = append(first, f.Name)
		}
		return nil, fmt.Errorf("%w: none of %s among the %d features (first: %s); name the construct feature with --car-features",
			ErrNoCAR, strings.Join(opt.Features, ", "), len(feats), strings.Join(first, ", "))
	}
	res.Found = found
	for c := range cells {
		res.Positive[c] = res.Count[c] > opt.Above
		switch {
		case cd8[c] > 0 && cd4[c] == 0:
			res.TGroup[c] = "CD8"
		case cd4[c] > 0 && cd8[c] == 0:
			res.TGroup[c] = "CD4"
		}
	}
	return res, nil
}
