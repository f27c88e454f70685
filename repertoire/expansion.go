package repertoire

import "math"

// CountBin is the seed study's clone-size bin (Rade et al. 2024): "1",
// "<=5", "<=20", "<=100", ">100" cells.
func CountBin(size int) string {
	switch {
	case size <= 1:
		return "1"
	case size <= 5:
		return "<=5"
	case size <= 20:
		return "<=20"
	case size <= 100:
		return "<=100"
	}
	return ">100"
}

// ProportionBin is scRepertoire's clonalProportion/cloneSize bin of a
// clone's fraction of its sample's cells: Rare (0, 1e-4], Small (1e-4,
// 0.001], Medium (0.001, 0.01], Large (0.01, 0.1], Hyperexpanded (0.1, 1].
func ProportionBin(frac float64) string {
	switch {
	case frac <= 1e-4:
		return "Rare"
	case frac <= 0.001:
		return "Small"
	case frac <= 0.01:
		return "Medium"
	case frac <= 0.1:
		return "Large"
	}
	return "Hyperexpanded"
}

// Jaccard is |A and B| / |A or B| over the clonotypes present in two
// samples (sizes indexed by clone id; > 0 = present).
func Jaccard(a, b []int) float64 {
	var inter, union int
	for i := 0; i < max(len(a), len(b)); i++ {
		x, y := at(a, i) > 0, at(b, i) > 0
		if x && y {
			inter++
		}
		if x || y {
			union++
		}
	}
	if union == 0 {
		return math.NaN()
	}
	return float64(inter) / float64(union)
}

// MorisitaHorn is 2 sum(x_i y_i) / ((dx + dy) X Y) with dx = sum x^2 / X^2
// (Horn 1966), from clone sizes indexed by clone id.
func MorisitaHorn(a, b []int) float64 {
	var X, Y, xy, xx, yy float64
	for i := 0; i < max(len(a), len(b)); i++ {
		x, y := float64(at(a, i)), float64(at(b, i))
		X += x
		Y += y
		xy += x * y
		xx += x * x
		yy += y * y
	}
	if X == 0 || Y == 0 {
		return math.NaN()
	}
	return 2 * xy / ((xx/(X*X) + yy/(Y*Y)) * X * Y)
}

func at(s []int, i int) int {
	if i < len(s) {
		return s[i]
	}
	return 0
}
