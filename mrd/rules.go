package mrd

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Response is a molecular response category.
type Response string

const (
	MR5           Response = "MR5"
	MR45          Response = "MR4.5"
	MR4           Response = "MR4"
	MMR           Response = "MMR"
	NoMMR         Response = "no MMR"
	NotAssessable Response = "not assessable"
)

// Depth orders responses: 0 not assessable, 1 no MMR, 2 MMR, 3 MR4, 4 MR4.5, 5 MR5.
func (r Response) Depth() int {
	switch r {
	case NoMMR:
		return 1
	case MMR:
		return 2
	case MR4:
		return 3
	case MR45:
		return 4
	case MR5:
		return 5
	}
	return 0
}

// IS thresholds in percent (Cross 2012; ELN 2020 Table 4).
const (
	MMRPercent  = 0.1
	MR4Percent  = 0.01
	MR45Percent = 0.0032
	MR5Percent  = 0.001
)

// controlMinimum returns the control-gene copies needed to score undetectable
// BCR::ABL1 at MR4, MR4.5 and MR5 (Cross 2012, Table 1; Cross 2015).
func controlMinimum(gene string) (mr4, mr45, mr5 float64, ok bool) {
	switch gene {
	case "ABL1":
		return 10000, 32000, 100000, true
	case "GUSB":
		return 24000, 77000, 240000, true
	}
	return 0, 0, 0, false
}

// OnIS reports whether a target/control pair is reported on the
// International Scale.
func OnIS(target, control string) bool {
	return target == BCRABL1 && (control == "ABL1" || control == "GUSB")
}

// Classify scores one qPCR sample (replicates already summed) and returns
// the response with the rule that gave it.
func Classify(target, control string, targetCopies, controlCopies, cf float64) (Response, string) {
	if !OnIS(target, control) {
		return NotAssessable, fmt.Sprintf("molecular response is defined on the International Scale only (BCR::ABL1 with ABL1 or GUSB control); %s/%s keeps its ratio", target, control)
	}
	if targetCopies > 0 {
		is := percent(targetCopies, controlCopies, cf)
		switch {
		case atMost(is, MR5Percent):
			return MR5, fmt.Sprintf("detectable, IS %s%% <= 0.001%% (MR5)", fmtPct(is))
		case atMost(is, MR45Percent):
			return MR45, fmt.Sprintf("detectable, IS %s%% <= 0.0032%% (MR4.5)", fmtPct(is))
		case atMost(is, MR4Percent):
			return MR4, fmt.Sprintf("detectable, IS %s%% <= 0.01%% (MR4)", fmtPct(is))
		case atMost(is, MMRPercent):
			return MMR, fmt.Sprintf("detectable, IS %s%% <= 0.1%% (MMR)", fmtPct(is))
		}
		return NoMMR, fmt.Sprintf("detectable, IS %s%% > 0.1%%", fmtPct(is))
	}
	m4, m45, m5, _ := controlMinimum(control)
	c := fmtCopies(controlCopies)
	switch {
	case controlCopies >= m5:
		return MR5, fmt.Sprintf("undetectable with %s %s copies >= %s (MR5, Cross 2012)", c, control, fmtCopies(m5))
	case controlCopies >= m45:
		return MR45, fmt.Sprintf("undetectable with %s %s copies >= %s (MR4.5, Cross 2012)", c, control, fmtCopies(m45))
	case controlCopies >= m4:
		return MR4, fmt.Sprintf("undetectable with %s %s copies >= %s (MR4, Cross 2012)", c, control, fmtCopies(m4))
	}
	return NotAssessable, fmt.Sprintf("undetectable but only %s %s copies, fewer than the %s needed to score MR4: sample too small to classify", c, control, fmtCopies(m4))
}

func fmtPct(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

// atMost compares a computed percentage with a rule's threshold, allowing
// for floating-point rounding: a ratio that is exactly the threshold in
// decimal (10 copies / 10,000 x 100 = 0.1) must meet it.
func atMost(v, threshold float64) bool { return v <= threshold*(1+1e-9) }

func fmtCopies(v float64) string {
	if v != math.Trunc(v) || v >= 1e15 {
		return fmt.Sprintf("%g", v)
	}
	s := fmt.Sprintf("%.0f", v)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// percent returns num x 100 x cf / den rounded once from the decimal values
// the sheet gave (each float64 read back as its shortest decimal), so that
// 10 copies / 10,000 x 0.8 prints 0.08, not 0.08000000000000002. Whole copy
// numbers without a factor take the exact float path.
func percent(num, den, cf float64) float64 {
	if cf == 1 && num == math.Trunc(num) && den == math.Trunc(den) && math.Abs(num) < 1<<46 {
		return num * 100 / den // num x 100 is exact: one rounding
	}
	r := new(big.Rat).Mul(decimal(num), big.NewRat(100, 1))
	r.Mul(r, decimal(cf))
	r.Quo(r, decimal(den))
	f, _ := r.Float64()
	return f
}

func decimal(v float64) *big.Rat {
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(v, 'g', -1, 64))
	if !ok {
		return new(big.Rat).SetFloat64(v)
	}
	return r
}
