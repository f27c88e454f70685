# Times UCell, AUCell, GSVA ssGSEA and singscore on a benchmark matrix written by bench/gen.
# Usage: R_LIBS=/path/with/UCell/AUCell/singscore Rscript bench/peers.R DIR [threads] [tools]
# tools: comma-separated subset of ucell,aucell,gsva,singscore (default: all installed).
# Prints one line per tool: tool, seconds (scoring only; reading is timed apart).
suppressMessages({library(Matrix)})
args <- commandArgs(TRUE); dir <- args[1]
threads <- if (length(args) > 1) as.integer(args[2]) else 2L
tools <- if (length(args) > 2) strsplit(args[3], ",")[[1]] else c("ucell", "aucell", "gsva", "singscore")
want <- function(tool, pkg) tool %in% tools && requireNamespace(pkg, quietly = TRUE)
t0 <- Sys.time()
m <- readMM(gzfile(file.path(dir, "matrix.mtx.gz")))
feat <- read.delim(gzfile(file.path(dir, "features.tsv.gz")), header = FALSE)
bc <- readLines(gzfile(file.path(dir, "barcodes.tsv.gz")))
m <- as(m, "CsparseMatrix"); dimnames(m) <- list(feat$V2, bc)
sets <- lapply(strsplit(readLines(file.path(dir, "sets.gmt")), "\t"), function(x) x[-(1:2)])
names(sets) <- sapply(strsplit(readLines(file.path(dir, "sets.gmt")), "\t"), `[`, 1)
cat(sprintf("read\t%.1f\n", as.numeric(Sys.time() - t0, units = "secs")))
if (want("ucell", "UCell")) {
  t0 <- Sys.time()
  s <- UCell::ScoreSignatures_UCell(m, features = sets, maxRank = 1500, ncores = threads)
  cat(sprintf("UCell %s\t%.1f\n", packageVersion("UCell"), as.numeric(Sys.time() - t0, units = "secs")))
}
if (want("aucell", "AUCell")) {
  t0 <- Sys.time()
  r <- AUCell::AUCell_buildRankings(m, plotStats = FALSE, verbose = FALSE)
  a <- AUCell::AUCell_calcAUC(sets, r, aucMaxRank = ceiling(0.05 * nrow(m)), verbose = FALSE)
  cat(sprintf("AUCell %s\t%.1f\n", packageVersion("AUCell"), as.numeric(Sys.time() - t0, units = "secs")))
}
# GSVA 1.46 and singscore rank a dense matrix: log1p(CP10k) is computed and densified before the clock starts.
if (want("gsva", "GSVA") || want("singscore", "singscore")) x <- as.matrix(log1p(t(t(m) / Matrix::colSums(m)) * 1e4))
if (want("gsva", "GSVA")) {
  t0 <- Sys.time()
  g <- GSVA::gsva(x, sets, method = "ssgsea", ssgsea.norm = TRUE, parallel.sz = threads, verbose = FALSE)
  cat(sprintf("GSVA-ssgsea %s\t%.1f\n", packageVersion("GSVA"), as.numeric(Sys.time() - t0, units = "secs")))
}
if (want("singscore", "singscore")) {
  # rankGenes once, then simpleScore per set (singscore scores one set per call).
  t0 <- Sys.time()
  rk <- singscore::rankGenes(x)
  for (g in sets) invisible(singscore::simpleScore(rk, upSet = g))
  cat(sprintf("singscore %s\t%.1f\n", packageVersion("singscore"), as.numeric(Sys.time() - t0, units = "secs")))
}
