package report

import (
	"html/template"
	"math"
	"strconv"
	"strings"
)

// pageCSS is shared by every lsc HTML report: readable offline, printable.
const pageCSS = `
body{font:14px/1.45 Helvetica,Arial,sans-serif;color:#222;max-width:1000px;margin:24px auto;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 6px;border-bottom:1px solid #ddd;padding-bottom:3px}
h3{font-size:15px;margin:16px 0 4px}
table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f5f5f5}.meta{color:#666;font-size:12px}.flag{color:#b00;font-weight:bold}
.optimal{background:#e6f4ea}.warning{background:#fff4d6}.failure{background:#fde2e1}
.rules{font-size:12px;color:#444;margin:2px 0 8px 18px}
svg{max-width:100%;height:auto}
`

func css() template.CSS { return template.CSS(pageCSS) }

// Num formats a number for tables and labels: shortest representation that
// round-trips, after Clean has removed binary noise; empty for NaN.
func Num(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	// Fast path: Clean changes only values whose shortest form has 16 or
	// more significant digits, and the shortest 'g' form has as many
	// significant digits as the 'e' form Clean counts; so one conversion
	// answers for most values (a patient page formats thousands).
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if v == 0 || gDigits(s) < 16 {
		return s
	}
	return strconv.FormatFloat(Clean(v), 'g', -1, 64)
}

// gDigits counts the significant digits of strconv's 'g' form (leading and
// trailing zeros excluded).
func gDigits(g string) int {
	if i := strings.IndexByte(g, 'e'); i >= 0 {
		g = g[:i]
	}
	n, started, zeros := 0, false, 0
	for i := 0; i < len(g); i++ {
		c := g[i]
		if c < '0' || c > '9' {
			continue
		}
		if c == '0' {
			if started {
				zeros++
			}
			continue
		}
		started = true
		n += zeros + 1
		zeros = 0
	}
	return n
}

// Num32 formats a value of float32 precision (computed from float32 data)
// as Num does, in the shortest form that reads back to the same float32:
// 0.002 rather than 0.0020000000298023225.
func Num32(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Num(v)
	}
	return strconv.FormatFloat(v, 'g', -1, 32)
}
