# The R script a lab would write for what `lsc stemcells --signature
# LSPC-Quiescent --keep '*-like'` does (the peer of bench/peers.sh's stemcells
# row): per sample, read the dense van Galen count table and its annotation,
# score the signature with UCell (maxRank 1500, as lsc), keep the *-like cell
# types, fit ONE 2-class natural-breaks (Jenks) threshold on the pooled kept
# scores, and write each sample's stem-like fraction with its Wilson 95%
# interval and risk group (<=5%, 5-15%, >15%).
#
#   R_LIBS=/path/with/UCell Rscript bench/peers-stemcells.R SHEET.tsv GMT OUT.tsv
#
# SHEET: lsc's sample sheet (sample, path, annotation, celltype_column).
suppressMessages({library(Matrix); library(data.table)})
a <- commandArgs(TRUE)
sheet <- read.delim(a[1]); gmt <- a[2]; out <- a[3]
lines <- strsplit(readLines(gmt), "\t")
sig <- Filter(function(x) x[1] == "LSPC-Quiescent", lines)[[1]][-(1:2)]

cells <- list()
for (i in seq_len(nrow(sheet))) {
  dem <- fread(sheet$path[i], sep = "\t")
  m <- as(as.matrix(dem[, -1]), "CsparseMatrix"); rownames(m) <- dem[[1]]
  anno <- read.delim(sheet$annotation[i])
  type <- anno[[sheet$celltype_column[i]]][match(colnames(m), anno$Cell)]
  s <- UCell::ScoreSignatures_UCell(m, features = list(LSPC = sig), maxRank = 1500, ncores = 1)[, 1]
  cells[[i]] <- data.frame(sample = sheet$sample[i], cell = colnames(m), type = type, score = s)
}
cells <- do.call(rbind, cells)
kept <- cells[!is.na(cells$type) & grepl("-like$", cells$type), ]

# Two-class natural breaks: the split of the sorted scores with the least
# within-class sum of squares; the threshold is the upper class's smallest.
jenks <- function(v) {
  s <- sort(v); n <- length(s); c1 <- cumsum(s); c2 <- cumsum(s^2)
  k <- seq_len(n - 1)
  ss <- (c2[k] - c1[k]^2 / k) + ((c2[n] - c2[k]) - (c1[n] - c1[k])^2 / (n - k))
  ss[s[k + 1] == s[k]] <- Inf
  s[which.min(ss) + 1]
}
th <- jenks(kept$score)
res <- do.call(rbind, lapply(sheet$sample, function(id) {
  k <- kept[kept$sample == id, ]; n <- nrow(k); x <- sum(k$score >= th)
  if (n == 0) return(data.frame(sample = id, n_cells = 0, n_stem_like = 0, fraction = NA, lower95 = NA, upper95 = NA, risk_group = ""))
  ci <- prop.test(x, n, correct = FALSE)$conf.int  # Wilson score interval
  f <- x / n
  data.frame(sample = id, n_cells = n, n_stem_like = x, fraction = f, lower95 = ci[1], upper95 = ci[2],
             risk_group = if (f <= 0.05) "<=5%" else if (f <= 0.15) "5-15%" else ">15%")
}))
message(sprintf("threshold %.6f on %d kept cells", th, nrow(kept)))
write.table(res, out, sep = "\t", quote = FALSE, row.names = FALSE)
