# Reference diversity values for repertoire/vegan_test.go, from vegan on immunarch's example
# repertoires (immunomind/immunarch inst/extdata/io/Sample1-4.tsv.gz, Apache-2.0; clone counts =
# the Clones column). Run from the repository root with ../shared/testdata present:
#   Rscript repertoire/testdata/make_vegan.R
suppressMessages(library(vegan))
rows <- list(); sizes <- list()
for (s in paste0("Sample", 1:4)) {
  d <- read.delim(gzfile(sprintf("../shared/testdata/vdj/immunarch/io/%s.tsv.gz", s)), comment.char = "#")
  x <- d$Clones
  sizes[[s]] <- data.frame(sample = s, clone_size = x)
  e <- estimateR(x)
  h <- renyi(x, scales = c(0, 1, 2, 3), hill = TRUE)
  rows[[s]] <- data.frame(sample = s, cells = sum(x), clonotypes = length(x),
    shannon = diversity(x, "shannon"), gini_simpson = diversity(x, "simpson"),
    inverse_simpson = diversity(x, "invsimpson"), chao1 = e[["S.chao1"]], se_chao1 = e[["se.chao1"]],
    hill_0 = h[[1]], hill_1 = h[[2]], hill_2 = h[[3]], hill_3 = h[[4]])
}
f <- "repertoire/testdata/immunarch_vegan.tsv"
writeLines(sprintf("# vegan %s, %s: diversity(x, \"shannon\"|\"simpson\"|\"invsimpson\"), estimateR(x), renyi(x, scales = 0:3, hill = TRUE)",
                   packageVersion("vegan"), R.version.string), f)
out <- do.call(rbind, rows)
num <- sapply(out, is.numeric)
out[num] <- lapply(out[num], function(v) sprintf("%.17g", v))
suppressWarnings(write.table(out, f, sep = "\t", quote = FALSE, row.names = FALSE, append = TRUE))
write.table(do.call(rbind, sizes), "repertoire/testdata/immunarch_clone_sizes.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
# estimateR on small hand-made clone-size vectors (singletons and doubletons present)
cases <- list(c(4, 2, 1, 1), c(5, 3, 2, 2, 1, 1, 1, 1, 1), c(1, 1, 1, 1, 1), c(10, 7, 2, 1), c(3, 3, 2))
f <- "repertoire/testdata/chao1_vegan.tsv"
writeLines(sprintf("# vegan %s, %s: estimateR(x)[c(\"S.chao1\", \"se.chao1\")]", packageVersion("vegan"), R.version.string), f)
out <- do.call(rbind, lapply(cases, function(x) {
  e <- estimateR(x)
  data.frame(clone_sizes = paste(x, collapse = ","), chao1 = sprintf("%.17g", e[["S.chao1"]]), se_chao1 = sprintf("%.17g", e[["se.chao1"]]))
}))
suppressWarnings(write.table(out, f, sep = "\t", quote = FALSE, row.names = FALSE, append = TRUE))
