# One whole job as an R user would run it: read a 10x matrix, score gene sets
# with the reference package, write a cells x sets table. Timed from outside
# (GNU time) by bench/peers.sh; also prints its own per-step wall seconds.
#
#   R_LIBS=/path/with/UCell,AUCell,singscore Rscript bench/peers-job.R \
#       INPUT SETS.gmt METHOD OUT.tsv [READER] [THREADS]
#
# INPUT: a 10x MTX folder (matrix.mtx.gz, features.tsv.gz, barcodes.tsv.gz) or
# a Cell Ranger .h5. METHOD: ucell, aucell or singscore. READER: droplet
# (DropletUtils::read10xCounts, default) or seurat (Seurat::Read10X /
# Read10X_h5; the latter needs hdf5r). The parameters are lsc's defaults:
# UCell maxRank 1500; AUCell aucMaxRank = 5% of the genes; singscore
# rankGenes + simpleScore per set on log1p(CP10k) (singscore ranks a dense
# matrix; ranks within a cell are those of the counts).
suppressMessages(library(Matrix))
a <- commandArgs(TRUE)
input <- a[1]; gmt <- a[2]; method <- a[3]; out <- a[4]
reader <- if (length(a) > 4) a[5] else "droplet"
threads <- if (length(a) > 5) as.integer(a[6]) else 2L
step <- function(name, t0) message(sprintf("%s\t%.2f s", name, as.numeric(Sys.time() - t0, units = "secs")))

t0 <- Sys.time()
h5 <- grepl("\\.h5$", input)
if (reader == "seurat") {
  m <- if (h5) Seurat::Read10X_h5(input) else Seurat::Read10X(input)
} else {
  sce <- DropletUtils::read10xCounts(input, col.names = TRUE)
  m <- SingleCellExperiment::counts(sce)
  rownames(m) <- SummarizedExperiment::rowData(sce)$Symbol
  m <- as(m, "CsparseMatrix")
}
step(paste("read", reader), t0)

lines <- strsplit(readLines(gmt), "\t")
sets <- lapply(lines, function(x) x[-(1:2)])
names(sets) <- vapply(lines, `[`, "", 1)

t0 <- Sys.time()
if (method == "ucell") {
  s <- UCell::ScoreSignatures_UCell(m, features = sets, maxRank = 1500, ncores = threads)
  colnames(s) <- sub("_UCell$", "", colnames(s))
} else if (method == "aucell") {
  r <- AUCell::AUCell_buildRankings(m, plotStats = FALSE, verbose = FALSE)
  auc <- AUCell::AUCell_calcAUC(sets, r, aucMaxRank = ceiling(0.05 * nrow(m)), verbose = FALSE)
  s <- t(SummarizedExperiment::assay(auc))
} else if (method == "singscore") {
  x <- as.matrix(log1p(t(t(m) / Matrix::colSums(m)) * 1e4))
  rk <- singscore::rankGenes(x)
  s <- sapply(sets, function(g) singscore::simpleScore(rk, upSet = g)$TotalScore)
  rownames(s) <- colnames(m)
} else stop("method: ucell, aucell or singscore")
step(method, t0)

t0 <- Sys.time()
write.table(data.frame(cell = rownames(s), s, check.names = FALSE), out, sep = "\t", quote = FALSE, row.names = FALSE)
step("write", t0)
