// Package cart measures CAR-T products and patients from single-cell data:
// CAR+ cells from a CAR construct feature added to the reference (Rade et
// al., Nature Cancer 2024: reads of the ide-cel and cilta-cel constructs,
// features "idecel" and "ciltacel", summed; CAR+ when the count is above 0),
// CD4/CD8 T-cell groups from counts, and a study-level comparison of
// responders (e.g. CR vs non-CR) per timepoint: CAR+ fraction, clonal
// diversity and expansion compared with the Wilcoxon rank-sum test (R's
// wilcox.test, package stats) and Benjamini-Hochberg adjusted, as the seed
// study did.
//
// Study-level parts (issue 15):
//   - T-cell states: built-in signatures (package signature: scGate models
//     of Andreatta et al., Bioinformatics 2022, and the inhibitory
//     receptors) scored per cell with package score (UCell by default);
//     each CD4/CD8 T cell takes the state of its highest score.
//   - Composition: propeller (Phipson et al., Bioinformatics 2022; speckle
//     0.99.7) on states, cell types and clone-size bins, with limma's
//     eBayes (Smyth 2004; limma 3.54), robust = TRUE (Phipson et al. 2016,
//     speckle's default) or FALSE, in propeller.go and package stats.
//   - Plasma-cell proteins (BCMA/CD269, CD38, SLAMF7/CD319): Seurat CLR per
//     cell (package adt), mean per sample over cells labelled plasma
//     cells, paired Wilcoxon signed-rank test between two timepoints (R's
//     wilcox.test(paired = TRUE)).
package cart
