package report

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestNumbers(t *testing.T) {
	if Num(math.NaN()) != "" || Num(0.1) != "0.1" || FormatP(1e-20) != "< 1e-16" || FormatP(0.01234) != "0.0123" {
		t.Error("number formatting")
	}
}

// Binary noise is removed; full-precision results keep their digits. The
// noisy inputs are the float64 sums and R exports the issue quotes and the
// Zeng 2022 survival file holds (os 217.79999999999998 is 217.8 days).
func TestClean(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{3.9000000000000004, "3.9"},
		{0.1 + 0.2, "0.3"},
		{0.7204651899999999, "0.72046519"},
		{217.79999999999998, "217.8"},
		{-4070.9999999999995, "-4071"},
		{0.9557530800000001, "0.95575308"},
		{1e-300 * 3.0000000000000004, "3e-300"},
		{17.786403560128495, "17.786403560128495"}, // a Cox estimate: 17 genuine digits
		{0.00021888076394216416, "0.00021888076394216416"},
		{1.0042343036291543, "1.0042343036291543"},
		{0.1, "0.1"},
		{12345678, "1.2345678e+07"}, // %g style kept
		{5e-324, "5e-324"},
	} {
		if got := Num(c.in); got != c.want {
			t.Errorf("Num(%v) = %s, want %s", c.in, got, c.want)
		}
	}
	b, _ := F(7.800000000000001).MarshalJSON()
	if string(b) != "7.8" {
		t.Errorf("F JSON %s", b)
	}
}

// Num's fast path gives what FormatFloat(Clean(v)) gives, for random bit
// patterns, binary noise around decimals and edge values.
func TestNumFastPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.1 + 0.2, 3.9000000000000004, 0.7204651899999999, 217.79999999999998,
		1e21, 1e-7, 123456789012345678, 5e-324, math.MaxFloat64, -math.SmallestNonzeroFloat64, 1200, 0.000123, 100.5}
	for i := 0; i < 200000; i++ {
		switch i % 3 {
		case 0:
			vals = append(vals, math.Float64frombits(rng.Uint64()))
		case 1:
			d := float64(rng.IntN(1000000)) / math.Pow(10, float64(rng.IntN(12)))
			vals = append(vals, d*float64(rng.IntN(7)+1)/3)
		default:
			vals = append(vals, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(30)-15)))
		}
	}
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if got, want := Num(v), strconv.FormatFloat(Clean(v), 'g', -1, 64); got != want {
			t.Fatalf("Num(%v) = %q, want %q", v, got, want)
		}
	}
}
