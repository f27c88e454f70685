package twin

import (
	"sort"
	"strconv"
)

func fmtP(p float64) string { return strconv.FormatFloat(p, 'g', 3, 64) }

func sortFloats(v []float64) { sort.Float64s(v) }

func fmtInt(n int) string { return strconv.Itoa(n) }
