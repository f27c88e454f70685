// Package adt normalises antibody-derived tag (CITE-seq surface protein)
// counts and calls cells positive per marker.
//
// CLR is Seurat's NormalizeData(normalization.method = "CLR"): for each
// vector x (margin 1: one antibody across cells; margin 2: one cell across
// antibodies) x' = log1p(x / exp(sum(log1p(x[x > 0])) / length(x))), as
// Seurat 4-5 (R/preprocessing.R, CustomNormalize with that function). Note
// the divisor counts zeros in length(x) but not in the sum; this is not the
// textbook log(x+1) minus the mean log(x+1) that the GEO GSE100866
// "clr-transformed" files hold. Checked against Seurat from R on the CBMC
// ADT counts of Stoeckius et al. 2017 (testdata/README.md).
//
// DSB is dsb 2.0.1's DSBNormalizeProtein (R package dsb, github.com/niaid/dsb,
// CC0; Mulè, Martins & Tsang, Nat Commun 13:2099, 2022): step I standardises
// log(x + pseudocount) by the empty droplets' per-protein mean and SD; step
// II takes, per cell, the mean of component 1 of a 2-component Gaussian
// mixture over the cell's proteins (dsb calls mclust::Mclust(x, G = 2)),
// optionally joins it to isotype controls by the first principal component
// (prcomp, scale = TRUE) and removes that technical component from every
// protein by least squares (limma::removeBatchEffect with covariates).
//
// FitMixture is mclust's univariate EM (Scrucca, Fop, Murphy & Raftery, R
// Journal 8:289, 2016; mclust 6.0-6.1 source: mclustBIC, summaryMclustBIC,
// qclass, Fortran me1e/me1v/ms1e/ms1v, read and written anew): quantile
// start, models E and V, BIC choice with ties to E, the relative
// log-likelihood stopping rule 1e-5, and the extra M-step
// summaryMclustBIC takes. Positive thresholds markers from a control's
// quantile (R type 7, as a flow cytometry gate on an isotype or FMO
// control) or where the mixture's posteriors cross. Checked against dsb and
// mclust in R (testdata/dsb/README.md, testdata/README.md).
package adt
