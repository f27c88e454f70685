package signature

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/lsc-bio/lsc/matrix"
)

// NewIndexFor answers Find for the genes it was given as NewIndex does, on
// random feature tables with repeated symbols and IDs, Ensembl IDs with and
// without versions, and genes asked by symbol, ID, versioned ID, alias or
// not present at all (the expectation is NewIndex's answer).
func TestNewIndexForSameAsNewIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	aliases := []string{"GPR56", "ADGRG1", "SEPT9", "SEPTIN9", "H2AFZ", "H2AZ1"}
	for trial := range 300 {
		var fs []matrix.Feature
		for i := range 1 + r.IntN(60) {
			name := fmt.Sprintf("G%d", r.IntN(40))
			if r.IntN(6) == 0 {
				name = aliases[r.IntN(len(aliases))]
			}
			id := fmt.Sprintf("ENSG%05d", r.IntN(40))
			switch r.IntN(3) {
			case 0:
				id += fmt.Sprintf(".%d", r.IntN(3))
			case 1:
				id = fmt.Sprintf("X%d", i)
			}
			fs = append(fs, matrix.Feature{ID: id, Name: name})
		}
		var genes []string
		for range 1 + r.IntN(30) {
			var g string
			switch r.IntN(5) {
			case 0:
				g = fs[r.IntN(len(fs))].Name
			case 1:
				g = fs[r.IntN(len(fs))].ID
			case 2:
				g = fmt.Sprintf("ENSG%05d.%d", r.IntN(40), r.IntN(3))
			case 3:
				g = aliases[r.IntN(len(aliases))]
			default:
				g = fmt.Sprintf("G%d", r.IntN(60))
			}
			genes = append(genes, g)
		}
		all, some := NewIndex(fs), NewIndexFor(fs, genes)
		for _, g := range genes {
			i1, how1, ok1 := all.Find(g)
			i2, how2, ok2 := some.Find(g)
			if i1 != i2 || how1 != how2 || ok1 != ok2 {
				t.Fatalf("trial %d, gene %q: NewIndexFor finds %d %q %v, NewIndex %d %q %v", trial, g, i2, how2, ok2, i1, how1, ok1)
			}
		}
	}
}
