package demo

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

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
