package repertoire

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Diversity holds the indices of one repertoire (clone sizes in cells).
type Diversity struct {
	Cells, Clonotypes int
	Shannon           float64 // -sum p ln p
	NormalizedShannon float64 // Shannon / ln(clonotypes); 0 for one clonotype (scirpy)
	Clonality         float64 // 1 - NormalizedShannon
	Simpson           float64 // sum p^2 (Simpson's lambda)
	InverseSimpson    float64 // 1 / Simpson (Hill q=2)
	GiniSimpson       float64 // 1 - Simpson
	Gini              float64 // Gini coefficient of the clone sizes
	Chao1             float64 // bias-corrected Chao1 (vegan's estimateR)
	Chao1SE           float64 // its standard error (vegan's se.chao1)
	Chao1Lower        float64 // log-normal 95% interval (Chao 1987)
	Chao1Upper        float64
	Hill              [4]float64 // Hill numbers q = 0, 1, 2, 3
	D50Count          int        // fewest clonotypes holding >= 50% of cells (immunarch)
	D50Percent        float64    // D50Count as % of clonotypes (scirpy)
}

// Measure computes the indices from clone sizes (zeros are ignored). An
// empty repertoire gives NaN indices.
func Measure(sizes []int) Diversity {
	var x []int
	n := 0
	for _, s := range sizes {
		if s > 0 {
			x = append(x, s)
			n += s
		}
	}
	d := Diversity{Cells: n, Clonotypes: len(x)}
	if n == 0 {
		nan := math.NaN()
		d.Shannon, d.NormalizedShannon, d.Clonality, d.Simpson, d.InverseSimpson, d.GiniSimpson = nan, nan, nan, nan, nan, nan
		d.Gini, d.Chao1, d.Chao1SE, d.Chao1Lower, d.Chao1Upper, d.D50Percent = nan, nan, nan, nan, nan, nan
		d.Hill = [4]float64{0, nan, nan, nan}
		return d
	}
	sort.Sort(sort.Reverse(sort.IntSlice(x)))
	// sums over clone sizes, divided once: exact for equal clones
	N := float64(n)
	var nlogn, s2, s3 float64
	for _, s := range x {
		f := float64(s)
		nlogn += f * math.Log(f)
		s2 += f * f
		s3 += f * f * f
	}
	d.Shannon = math.Log(N) - nlogn/N
	p2, p3 := s2/(N*N), s3/(N*N*N)
	S := float64(len(x))
	if len(x) > 1 {
		d.NormalizedShannon = d.Shannon / math.Log(S)
	}
	d.Clonality = 1 - d.NormalizedShannon
	d.Simpson, d.InverseSimpson, d.GiniSimpson = p2, 1/p2, 1-p2
	d.Hill = [4]float64{S, math.Exp(d.Shannon), 1 / p2, 1 / math.Sqrt(p3)}
	// Gini from the sizes in ascending order: sum (2i - S - 1) x_i / (S sum x)
	var g float64
	for i := range x {
		rank := float64(len(x) - i) // x is descending
		g += (2*rank - S - 1) * float64(x[i])
	}
	d.Gini = g / (S * N)
	// D50: clonotypes, largest first, until half the cells are covered.
	cum := 0
	for i, s := range x {
		cum += s
		if 2*cum >= n {
			d.D50Count = i + 1
			break
		}
	}
	d.D50Percent = float64(d.D50Count) / S * 100
	d.Chao1, d.Chao1SE, d.Chao1Lower, d.Chao1Upper = chao1(x)
	return d
}

// chao1 is the bias-corrected Chao1 as vegan 2.6-4's estimateR (and
// scRepertoire): S + f1(f1-1)/(2(f2+1)), f1 and f2 the clonotypes seen once
// and twice, with vegan's variance
//
//	var = f1 (C*Chao1 - f1 (f1+f2)^2) / (4 (f2+1)^4 Chao1),
//	C = -1 - 4f2 - 5f2^2 - 2f2^3 + f1(-2 - f2 + 2f2^2 + 2f2^3) + f1^2(4 + 6f2 + 4f2^2) + f1^3 f2,
//
// and the log-normal 95% interval of Chao (1987): S + T/K, S + T*K with
// T = Chao1 - S, K = exp(1.96 sqrt(ln(1 + var/T^2))). When T = 0 the lower
// bound is S and the upper S + 1.96 se.
func chao1(x []int) (est, se, lo, hi float64) {
	var a, b float64
	for _, s := range x {
		switch s {
		case 1:
			a++
		case 2:
			b++
		}
	}
	S := float64(len(x))
	est = S + a*(a-1)/(2*(b+1))
	C := -1 - 4*b - 5*b*b - 2*b*b*b + a*(-2-b+2*b*b+2*b*b*b) + a*a*(4+6*b+4*b*b) + a*a*a*b
	v := a * (C*est - a*(a+b)*(a+b)) / (4 * math.Pow(b+1, 4) * est)
	se = math.Sqrt(math.Max(v, 0))
	T := est - S
	if T <= 0 {
		return est, se, S, S + 1.96*se
	}
	K := math.Exp(1.96 * math.Sqrt(math.Log(1+v/(T*T))))
	return est, se, S + T/K, S + T*K
}

// Rarefy draws depth cells without replacement from the repertoire, reps
// times with a seeded generator, and returns the mean of each index over
// the draws (same seed, same result). Clonotypes and D50Count are -1:
// their means are Hill[0] and D50Percent. depth >= the repertoire's cells
// returns Measure(sizes).
func Rarefy(sizes []int, depth, reps int, seed uint64) Diversity {
	n := 0
	for _, s := range sizes {
		n += s
	}
	if depth >= n || reps < 1 {
		return Measure(sizes)
	}
	pool := make([]int32, 0, n)
	for id, s := range sizes {
		for k := 0; k < s; k++ {
			pool = append(pool, int32(id))
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0x6c7363))
	var sum Diversity
	sub := make([]int, len(sizes))
	for r := 0; r < reps; r++ {
		clear(sub)
		// partial Fisher-Yates: the first depth cells of a random order
		for i := 0; i < depth; i++ {
			j := i + rng.IntN(n-i)
			pool[i], pool[j] = pool[j], pool[i]
			sub[pool[i]]++
		}
		d := Measure(sub)
		sum.add(d)
	}
	sum.scale(float64(reps))
	sum.Cells, sum.Clonotypes, sum.D50Count = depth, -1, -1 // means over draws: Hill[0], D50Percent
	return sum
}

func (s *Diversity) fields() []*float64 {
	return []*float64{&s.Shannon, &s.NormalizedShannon, &s.Clonality, &s.Simpson, &s.InverseSimpson, &s.GiniSimpson,
		&s.Gini, &s.Chao1, &s.Chao1SE, &s.Chao1Lower, &s.Chao1Upper, &s.D50Percent, &s.Hill[0], &s.Hill[1], &s.Hill[2], &s.Hill[3]}
}

func (s *Diversity) scale(reps float64) {
	for _, f := range s.fields() {
		*f /= reps
	}
}

func (s *Diversity) add(d Diversity) {
	f, g := s.fields(), d.fields()
	for i := range f {
		*f[i] += *g[i]
	}
}
