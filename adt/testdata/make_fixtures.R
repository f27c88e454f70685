# Makes the Seurat CLR reference outputs used by adt/clr_test.go.
# Run from the repository root with ../shared/testdata present:
#   Rscript adt/testdata/make_fixtures.R
# Inputs: Stoeckius et al. 2017, GEO GSE100866, CBMC ADT UMI counts (13 antibodies x 8,617 cells).
suppressMessages(library(Seurat))
umi <- as.matrix(read.csv(gzfile("../shared/testdata/citeseq/GSE100866/GSE100866_CBMC_8K_13AB_10X-ADT_umi.csv.gz"),
                          row.names = 1, check.names = FALSE))
fmt <- function(m) { m[] <- sprintf("%.17g", m); m }
put <- function(m, file) {
  out <- cbind(cell = colnames(m), t(fmt(m)))
  write.table(out, file, sep = "\t", quote = FALSE, row.names = FALSE)
}
ver <- paste0("# Seurat ", packageVersion("Seurat"), ", SeuratObject ", packageVersion("SeuratObject"), ", ", R.version.string)
# 1. full CBMC matrix, every 50th cell kept in the fixture
keep <- seq(1, ncol(umi), by = 50)
for (m in 1:2) {
  n <- as.matrix(NormalizeData(umi, normalization.method = "CLR", margin = m, verbose = FALSE))
  f <- sprintf("adt/testdata/cbmc_clr_margin%d_every50.tsv", m)
  writeLines(c(ver, sprintf("# as.matrix(NormalizeData(umi, normalization.method = \"CLR\", margin = %d))[, seq(1, 8617, by = 50)]", m)), f)
  suppressWarnings(write.table(cbind(cell = colnames(n)[keep], t(fmt(n[, keep]))), f, sep = "\t", quote = FALSE, row.names = FALSE, append = TRUE))
}
# 2. the first 20 cells as a small in-repo input, and Seurat's CLR of that input
small <- umi[, 1:20]
write.table(cbind(antibody = rownames(small), small), "adt/testdata/cbmc20_umi.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
for (m in 1:2) {
  n <- as.matrix(NormalizeData(small, normalization.method = "CLR", margin = m, verbose = FALSE))
  f <- sprintf("adt/testdata/cbmc20_clr_margin%d.tsv", m)
  writeLines(c(ver, sprintf("# as.matrix(NormalizeData(cbmc20_umi, normalization.method = \"CLR\", margin = %d))", m)), f)
  suppressWarnings(write.table(cbind(cell = colnames(n), t(fmt(n))), f, sep = "\t", quote = FALSE, row.names = FALSE, append = TRUE))
}
