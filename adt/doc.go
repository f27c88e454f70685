// Package adt normalises antibody-derived tag (CITE-seq surface protein)
// counts.
//
// CLR is Seurat's NormalizeData(normalization.method = "CLR"): for each
// vector x (margin 1: one antibody across cells; margin 2: one cell across
// antibodies) x' = log1p(x / exp(sum(log1p(x[x > 0])) / length(x))), as
// Seurat 4-5 (R/preprocessing.R, CustomNormalize with that function). Note
// the divisor counts zeros in length(x) but not in the sum; this is not the
// textbook log(x+1) minus the mean log(x+1) that the GEO GSE100866
// "clr-transformed" files hold. Checked against Seurat from R on the CBMC
// ADT counts of Stoeckius et al. 2017 (testdata/README.md).
package adt
