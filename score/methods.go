package score

import (
	"math"

	"github.com/lsc-bio/lsc/signature"
)

// ucellScore is UCell 2.17 (Andreatta & Carmona, Comput Struct Biotechnol
// J 2021; R/HelperFunctions.R u_stat): genes are ranked per cell by
// decreasing expression with average ranks for ties (data.table frankv,
// ties.method "average"); ranks at or above maxRank are set to maxRank, and
// so is every signature gene absent from the data (missing_genes "impute");
// maxRank is capped at the number of genes. With S the rank sum of the n
// signature genes and Smin = n(n+1)/2, the score is
// 1 - (S - Smin)/(n*maxRank - Smin). With negative genes (a down set) the
// score is max(0, U_up - w_neg*U_down), w_neg = 1.
func ucellScore(r *ranker, rs *signature.Resolved, maxRank int) float64 {
	mr := float64(min(maxRank, r.G))
	one := func(genes []int32, listed int) float64 {
		if listed == 0 {
			return 0
		}
		sum := mr * float64(listed-len(genes)) // absent genes
		for _, g := range genes {
			gr, eq := r.rank(g)
			sum += math.Min(float64(gr)+float64(eq+1)/2, mr)
		}
		return ucellU(sum, listed, mr)
	}
	up := one(rs.Up, rs.UpTotal)
	if rs.DownTotal == 0 {
		return up
	}
	return math.Max(up-one(rs.Down, rs.DownTotal), 0)
}

// ucellU is UCell's score from the rank sum of a set of listed genes (absent
// genes included at mr): 1 - (S - Smin)/(n*mr - Smin); 0 for an empty set.
func ucellU(sum float64, listed int, mr float64) float64 {
	if listed == 0 {
		return 0
	}
	n := float64(listed)
	smin := n * (n + 1) / 2
	return 1 - (sum-smin)/(n*mr-smin)
}

// aucellScore is AUCell (Aibar et al., Nat Methods 2017; AUCell 1.2x
// .AUC.geneSet_norm): genes ranked per cell by decreasing expression
// (1-based); the AUC of the recovery curve up to threshold T =
// round(aucMaxRank) equals sum over set genes with rank < T of (T - rank),
// divided by the largest value n set genes can reach, sum_{x=1}^{min(n,T-1)}
// (T - x). AUCell breaks ties at random; lsc returns the exact expectation of
// the AUC over that random tie-breaking: a set gene inside a block of m tied
// genes occupying ranks a..a+m-1 has each of those ranks with probability
// 1/m, so its expected contribution is the mean of (T - rank) over the ranks
// of the block below T. The result is deterministic and equals the mean of
// AUCell over infinitely many seeds. Absent genes are dropped, as in AUCell.
func aucellScore(r *ranker, genes []int32, T int) float64 {
	// sum_{x=1}^{m} (T - x) = m T - m (m + 1) / 2: an integer, so the
	// closed form has the bits of the sum taken term by term.
	m := max(min(len(genes), T-1), 0)
	maxAUC := float64(m*T - m*(m+1)/2)
	if maxAUC == 0 {
		return 0
	}
	var auc float64
	for _, g := range genes {
		gr, eq := r.rank(g)
		if t, in := aucellTerm(gr, eq, T); in {
			auc += t
		}
	}
	return auc / maxAUC
}

// singscore is singscore simpleScore (Foroutan et al., BMC Bioinformatics
// 2018; singscore 1.2x singscoring): genes ranked per sample by increasing
// expression with ties.method "min"; the up score is the mean rank of the
// set genes scaled between its smallest and largest possible values,
// (n+1)/2 and (2G-n+1)/2, with n the number of genes listed in the set
// (singscore counts listed genes, found or not), then centred by -0.5. With
// a down set, the down score is 1 minus the scaled mean rank of the down
// genes, centred likewise, and the total is their sum.
func singscoreScore(r *ranker, G0 int, rs *signature.Resolved) float64 {
	G := float64(G0)
	sum := func(genes []int32) float64 {
		var s float64
		for _, g := range genes {
			gr, eq := r.rank(g)
			s += G - float64(gr) - float64(eq) + 1
		}
		return s
	}
	var down float64
	if len(rs.Down) > 0 {
		down = sum(rs.Down)
	}
	return singscoreFromSums(sum(rs.Up), down, rs, G)
}

// singscoreFromSums is singscore's score from the sums of the up and down
// genes' ranks (down unused without a down set): each set's mean rank over
// its found genes, scaled between (n+1)/2 and (2G-n+1)/2 for n listed
// genes.
func singscoreFromSums(up, down float64, rs *signature.Resolved, G float64) float64 {
	scaled := func(sum float64, found, listed int) float64 {
		mean := sum / float64(found)
		n := float64(listed)
		lo, hi := (n+1)/2, (2*G-n+1)/2
		return (mean - lo) / (hi - lo)
	}
	u := scaled(up, len(rs.Up), rs.UpTotal) - 0.5
	if len(rs.Down) == 0 {
		return u
	}
	d := 1 - scaled(down, len(rs.Down), rs.DownTotal) - 0.5
	return u + d
}

// ssgseaRaw is GSVA 1.46 ssGSEA (Barbie et al., Nature 2009; GSVA
// .ssgsea/.fastRndWalk): per sample, genes get R = integer part of their
// average rank by increasing expression; they are ordered by decreasing R,
// ties kept in matrix order (R's order() is stable); the score is the sum
// over all positions of the walk difference between the set CDF weighted by
// |R|^alpha and the uniform non-set CDF, computed in closed form as
// sum_set w(n-p+1)/sum_set w - (n(n+1)/2 - sum_set (n-p+1))/(n-k), with p the
// positions of the k set genes among n genes. Normalisation (GSVA's default)
// divides all scores by their range, done in the runner.
func ssgseaRaw(r *ranker, genes []int32, alpha float64) float64 {
	n := float64(r.G)
	k := float64(len(genes))
	var sw, swp, sp float64
	for _, g := range genes {
		gr, eq, before := r.stat(g)
		less := r.G - gr - eq
		R := math.Floor(float64(less) + float64(eq+1)/2)
		w := math.Pow(math.Abs(R), alpha)
		p := float64(gr + before + 1)
		sw += w
		swp += w * (n - p + 1)
		sp += n - p + 1
	}
	return swp/sw - (n*(n+1)/2-sp)/(n-k)
}
