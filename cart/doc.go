// Package cart measures CAR-T products and patients from single-cell data:
// CAR+ cells from a CAR construct feature added to the reference (Rade et
// al., Nature Cancer 2024: reads of the ide-cel and cilta-cel constructs,
// features "idecel" and "ciltacel", summed; CAR+ when the count is above 0),
// CD4/CD8 T-cell groups from counts, and a study-level comparison of
// responders (e.g. CR vs non-CR) per timepoint: CAR+ fraction, clonal
// diversity and expansion compared with the Wilcoxon rank-sum test (R's
// wilcox.test, package stats) and Benjamini-Hochberg adjusted, as the seed
// study did.
package cart
