package report

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/lsc-bio/lsc/adt"
)

// ADTTable writes normalised antibody values as `cell` then one column per
// antibody in input order (the layout of lsc score).
func ADTTable(w io.Writer, m *adt.Matrix) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("cell")
	for _, a := range m.Antibodies {
		bw.WriteString("\t" + cell(a))
	}
	bw.WriteByte('\n')
	var b strings.Builder
	for c, name := range m.Cells {
		b.Reset()
		b.WriteString(cell(name))
		for a := range m.Antibodies {
			b.WriteByte('\t')
			b.WriteString(Num(m.Values[a][c]))
		}
		b.WriteByte('\n')
		bw.WriteString(b.String())
	}
	return bw.Flush()
}

// ADTPositive writes lsc adt positive's per-cell calls: `cell` then one
// column per called marker, 1 (positive), 0, or NA when no threshold
// could be set for that marker.
func ADTPositive(w io.Writer, p *adt.Positivity) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("cell")
	for _, t := range p.Thresholds {
		bw.WriteString("\t" + cell(t.Antibody))
	}
	bw.WriteByte('\n')
	for c, name := range p.Cells {
		bw.WriteString(cell(name))
		for m, t := range p.Thresholds {
			switch {
			case !t.Called:
				bw.WriteString("\tNA")
			case p.Positive[m][c]:
				bw.WriteString("\t1")
			default:
				bw.WriteString("\t0")
			}
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// ADTThresholds writes one row per marker: antibody, method, control (the
// control antibody, or the mixture model E/V), threshold, positive cells,
// cells, fraction positive, the mixture's means, variances and proportions
// (components ordered low then high; empty for control thresholds), and a
// note when no threshold was set.
func ADTThresholds(w io.Writer, p *adt.Positivity) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("antibody\tmethod\tcontrol\tthreshold\tpositive\tcells\tfraction_positive\tmean_low\tmean_high\tvar_low\tvar_high\tpro_low\tpro_high\tbic\tnote\n")
	n := len(p.Cells)
	for _, t := range p.Thresholds {
		frac := math.NaN()
		if t.Called && n > 0 {
			frac = float64(t.Positive) / float64(n)
		}
		pos := ""
		if t.Called {
			pos = strconv.Itoa(t.Positive)
		}
		mix := []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()}
		if m := t.Mixture; m != nil {
			lo, hi := 0, 1
			if m.Mean[1] < m.Mean[0] {
				lo, hi = 1, 0
			}
			mix = []float64{m.Mean[lo], m.Mean[hi], m.Var[lo], m.Var[hi], m.Pro[lo], m.Pro[hi], m.BIC}
		}
		bw.WriteString(strings.Join([]string{cell(t.Antibody), t.Method, cell(t.Control), Num(t.Threshold), pos, strconv.Itoa(n), Num(frac)}, "\t"))
		for _, v := range mix {
			bw.WriteString("\t" + Num(v))
		}
		bw.WriteString("\t" + cell(t.Note) + "\n")
	}
	return bw.Flush()
}
