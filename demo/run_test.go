package demo

import (
	"bufio"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/matrix"
	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
)

// The demo's HSC-like vs other malignant AUC with ucell equals the AUC that
// pROC 1.18 gives on UCell 2.17's own scores of AML870-D0
// (stemcell/testdata/vangalen_ucell_auc.tsv, made by make_fixtures.R there),
// and the group sizes are the authors' annotation (96 HSC-like of 314
// malignant cells).
func TestDemoAgainstUCell(t *testing.T) {
	want := map[string]float64{}
	f, err := os.Open("../stemcell/testdata/vangalen_ucell_auc.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if p[0] == "AML870" {
			want[p[1]], _ = strconv.ParseFloat(p[4], 64)
		}
	}
	sigs, err := signature.Load(Signatures("ucell"), signature.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(sigs, score.Options{Method: "ucell"})
	if err != nil {
		t.Fatal(err)
	}
	if res.NHSC != 96 || res.NOther != 218 {
		t.Errorf("cells: %d HSC-like, %d other", res.NHSC, res.NOther)
	}
	for i, s := range res.Scores.Signatures {
		if w, ok := want[s.Sig.Name]; !ok || math.Abs(res.HSC[i].AUC-w) > 1e-12 {
			t.Errorf("%s: AUC %v, UCell+pROC %v", s.Sig.Name, res.HSC[i].AUC, w)
		}
	}
}

// Every method scores the signatures the demo picks for it (on a small
// matrix holding their genes: the check is that the choice suits the
// method, not the numbers).
func TestSignaturesSuitEveryMethod(t *testing.T) {
	for _, m := range score.Methods {
		sigs, err := signature.Load(Signatures(m), signature.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		genes := map[string]bool{}
		for _, s := range sigs {
			for _, g := range append(append([]string{}, s.Up...), s.Down...) {
				genes[g] = true
			}
		}
		csr := &matrix.CSR{Cells: []string{"a", "b", "c"}, Indptr: []int{0}}
		var names []string
		for g := range genes {
			names = append(names, g)
		}
		sort.Strings(names)
		for _, g := range names {
			csr.Feats = append(csr.Feats, matrix.Feature{ID: g, Name: g})
		}
		for c := range 3 {
			for g := range csr.Feats {
				csr.Indices = append(csr.Indices, int32(g))
				csr.Data = append(csr.Data, float64((g*7+c*3)%11+1))
			}
			csr.Indptr = append(csr.Indptr, len(csr.Indices))
		}
		if _, err := score.Run(matrix.NewMemSource(csr), sigs, score.Options{Method: m}); err != nil {
			t.Errorf("%s with %s: %v", m, Signatures(m), err)
		}
	}
}
