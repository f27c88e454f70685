package report

import (
	"math"
	"testing"
)

func TestNumbers(t *testing.T) {
	if Num(math.NaN()) != "" || Num(0.1) != "0.1" || FormatP(1e-20) != "< 1e-16" || FormatP(0.01234) != "0.0123" {
		t.Error("number formatting")
	}
}
