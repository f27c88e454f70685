# Reference AUCs for the van Galen 2019 check of issue 3: UCell's own scores on each AML diagnosis sample,
# and the AUC (pROC) separating the authors' HSC-like cells from the other tumour cells.
# Tumour cells: PredictionRefined != "normal" (malignant, or "unclear" in the three small samples, whose
# tumour cells the authors left unclassified); HSC-like: CellType "HSC-like" (malignant) or "HSC" (unclear).
# Needs UCell 2.17.0 installed from its public source (R_LIBS=...), pROC 1.18.0.
# Run: R_LIBS=/path/to/lib Rscript make_fixtures.R /path/to/shared/testdata sigdir
# (sigdir holds sig_<name>.txt, one gene per line, from `lsc signatures show <name>`).
suppressMessages({library(UCell); library(pROC); library(Matrix)})
args <- commandArgs(TRUE)
shared <- args[1]; sigdir <- args[2]
rd <- function(f) readLines(file.path(sigdir, f))
# LSC104 as lsc resolves it on these files: two current symbols are found under the
# older names the data use (lsc's alias table: DIPK1B -> FAM69B, INKA1 -> FAM212A);
# UCell itself matches names exactly, so it is given the names found.
alias <- c(DIPK1B = "FAM69B", INKA1 = "FAM212A")
up <- rd("sig_LSC104_UP.txt"); up[up %in% names(alias)] <- alias[up[up %in% names(alias)]]
sigs <- list(`LSPC-Quiescent` = rd("sig_LSPC-Quiescent.txt"),
             LSC104 = c(up, paste0(rd("sig_LSC104_DOWN.txt"), "-")))
dir <- file.path(shared, "leukemia/vangalen2019_GSE116256")
samples <- c(AML314 = "GSM3587927_AML314-D0", AML419A = "GSM3587950_AML419A-D0", AML722B = "GSM3587980_AML722B-D0",
             AML870 = "GSM3587984_AML870-D0", AML997 = "GSM3587992_AML997-D0")
annos <- c(AML314 = "GSM3587928_AML314-D0", AML419A = "GSM3587951_AML419A-D0", AML722B = "GSM3587981_AML722B-D0",
           AML870 = "GSM3587985_AML870-D0", AML997 = "GSM3587993_AML997-D0")
rows <- list()
for (s in names(samples)) {
  dem <- read.delim(file.path(dir, paste0(samples[s], ".dem.txt.gz")), check.names = FALSE, row.names = 1)
  anno <- read.delim(file.path(dir, paste0(annos[s], ".anno.txt.gz")), check.names = FALSE)
  m <- Matrix(as.matrix(dem), sparse = TRUE)
  sc <- ScoreSignatures_UCell(m, features = sigs, maxRank = 1500, name = "")
  anno <- anno[match(colnames(m), anno$Cell), ]
  tumour <- anno$PredictionRefined != "normal"
  hsc <- anno$CellType %in% c("HSC-like", "HSC")
  for (g in colnames(sc)) {
    r <- roc(as.integer(hsc[tumour]), sc[tumour, g], direction = "<", levels = c(0, 1), quiet = TRUE)
    rows[[length(rows) + 1]] <- data.frame(sample = s, signature = g, n_tumour = sum(tumour), n_hsc = sum(hsc & tumour),
                                           auc = as.numeric(r$auc))
  }
}
out <- do.call(rbind, rows)
write.table(out, "vangalen_ucell_auc.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
cat("# UCell", as.character(packageVersion("UCell")), "pROC", as.character(packageVersion("pROC")), R.version.string, "\n",
    file = "vangalen_ucell_auc.versions.txt")
