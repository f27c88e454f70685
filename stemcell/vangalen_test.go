package stemcell

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/score"
	"github.com/lsc-bio/lsc/signature"
	"github.com/lsc-bio/lsc/stats"
	"github.com/lsc-bio/lsc/study"
)

const vanGalen = "../../shared/testdata/leukemia/vangalen2019_GSE116256"

// The real-data check: on the five van Galen 2019 AML diagnosis
// samples, score the tumour cells with LSPC-Quiescent and LSC104 (UCell) and
// measure how well the score separates the authors' HSC-like cells from the
// other tumour cells. Expected AUCs: testdata/vangalen_ucell_auc.tsv, UCell
// 2.17.0's own scores on the same cells with pROC 1.18.0 (make_fixtures.R).
// Tumour cells: PredictionRefined != normal; HSC-like: CellType HSC-like
// (malignant) or HSC (the "unclear" tumour cells of AML314, AML722B, AML997).
func TestVanGalenHSCLikeSeparation(t *testing.T) {
	if _, err := os.Stat(vanGalen); err != nil {
		t.Skip("../shared/testdata absent")
	}
	want := map[string]float64{}
	f, err := os.Open("testdata/vangalen_ucell_auc.tsv")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if p[0] == "sample" {
			continue
		}
		v, _ := strconv.ParseFloat(p[4], 64)
		want[p[0]+"/"+p[1]] = v
	}
	f.Close()
	ids := map[string]string{"AML314": "GSM3587927_AML314-D0|GSM3587928_AML314-D0", "AML419A": "GSM3587950_AML419A-D0|GSM3587951_AML419A-D0",
		"AML722B": "GSM3587980_AML722B-D0|GSM3587981_AML722B-D0", "AML870": "GSM3587984_AML870-D0|GSM3587985_AML870-D0", "AML997": "GSM3587992_AML997-D0|GSM3587993_AML997-D0"}
	// Sheet with the PredictionRefined column (tumour = not normal), then
	// the cell types from a second pass with CellType.
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("sample\tpatient\ttimepoint\tpath\tannotation\tcelltype_column\n")
	for _, s := range []string{"AML314", "AML419A", "AML722B", "AML870", "AML997"} {
		p := strings.Split(ids[s], "|")
		abs, _ := filepath.Abs(vanGalen)
		fmt.Fprintf(&b, "%s\t%s\tdiagnosis\t%s/%s.dem.txt.gz\t%s/%s.anno.txt.gz\tPredictionRefined\n", s, s, abs, p[0], abs, p[1])
	}
	sheetPath := filepath.Join(dir, "samples.tsv")
	os.WriteFile(sheetPath, []byte(b.String()), 0o644)
	sh, err := study.Read(sheetPath, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"LSPC-Quiescent", "LSC104"} {
		sig, ok := signature.Lookup(name)
		if !ok {
			t.Fatal(name)
		}
		scored, err := ScoreSamples(sh.Samples, sig, ScoreOptions{Score: score.Options{Method: "ucell"}, Jobs: 2})
		if err != nil {
			t.Fatal(err)
		}
		// Second annotation pass for CellType.
		ct := make([]study.Sample, len(sh.Samples))
		copy(ct, sh.Samples)
		for i := range ct {
			ct[i].TypeColumn = "CellType"
		}
		typed, err := ScoreSamples(ct, sig, ScoreOptions{Score: score.Options{Method: "ucell"}, Jobs: 2})
		if err != nil {
			t.Fatal(err)
		}
		for k, s := range scored {
			var sc []float64
			var hsc []bool
			for i := range s.Cells {
				if s.Types[i] == "" || s.Types[i] == "normal" {
					continue
				}
				sc = append(sc, s.Scores[i])
				hsc = append(hsc, typed[k].Types[i] == "HSC-like" || typed[k].Types[i] == "HSC")
			}
			roc, err := stats.ROCCurve(sc, hsc, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			w := want[s.Sample.ID+"/"+name]
			t.Logf("%s %s: %d tumour cells, %d HSC-like, AUC %.4f (UCell %.4f)", s.Sample.ID, name, roc.Cases+roc.Controls, roc.Cases, roc.AUC, w)
			if math.Abs(roc.AUC-w) > 1e-9 {
				t.Errorf("%s %s: AUC %v, UCell gives %v", s.Sample.ID, name, roc.AUC, w)
			}
			// The two samples with authors' malignant calls separate HSC-like
			// cells (AUC above one half); in the three small samples, whose
			// tumour cells are "unclear", neither UCell nor lsc separates them.
			if (s.Sample.ID == "AML419A" || s.Sample.ID == "AML870") && roc.AUC <= 0.5 {
				t.Errorf("%s %s: AUC %v does not separate HSC-like cells", s.Sample.ID, name, roc.AUC)
			}
		}
	}
}
