package report

import (
	"math"
	"strconv"
	"strings"
)

// Clean removes binary floating-point noise: a value whose shortest
// round-trip form needs 16 or 17 significant digits but lies within the
// last of them of a decimal with at most 12 (3.9000000000000004,
// 0.7204651899999999, 217.79999999999998: arithmetic or an earlier export
// in binary) becomes that decimal. Every other value is returned unchanged,
// so genuine full-precision results keep all their digits. The change is at
// most a few units in the 16th significant digit.
func Clean(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	if sigDigits(strconv.FormatFloat(v, 'e', -1, 64)) < 16 {
		return v
	}
	s := strconv.FormatFloat(v, 'e', 14, 64) // 15 significant digits
	if sigDigits(s) > 12 {
		return v
	}
	c, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return v
	}
	return c
}

// sigDigits counts the significant digits of a number in strconv's 'e'
// format, trailing zeros of the mantissa excluded.
func sigDigits(e string) int {
	m, _, _ := strings.Cut(strings.TrimPrefix(e, "-"), "e")
	m = strings.TrimRight(strings.Replace(m, ".", "", 1), "0")
	return len(m)
}
