# Expected values for stats tests: wilcox.test, fisher.test, p.adjust (R stats), pROC 1.18
# (roc + ci.auc DeLong) and maxstat 0.7-25. Run: Rscript make_tests_fixtures.R /path/to/shared/testdata
suppressMessages({library(survival); library(jsonlite); library(pROC); library(maxstat)})
args <- commandArgs(TRUE)
shared <- if (length(args)) args[1] else "../../../shared/testdata"
lungd <- read.csv("lung.csv")
zeng <- read.csv(file.path(shared, "leukemia/amlhierarchies_zeng2022/Survival_Hierarchy_TCGA_BEAT_GSE6891.csv"))
wt <- function(x, y) { w <- wilcox.test(x, y); list(w = unname(w$statistic), p = w$p.value) }
rc <- function(resp, pred) {
  r <- roc(resp, pred, direction = "<", levels = c(0, 1), quiet = TRUE)
  ci <- ci.auc(r, method = "delong")
  list(auc = as.numeric(r$auc), lower = ci[1], upper = ci[3], se = sqrt(var(r, method = "delong")))
}
ms <- function(f, d) {
  a <- maxstat.test(f, data = d, smethod = "LogRank", pmethod = "Lau92")
  b <- maxstat.test(f, data = d, smethod = "LogRank", pmethod = "Lau94")
  list(statistic = unname(a$statistic), cutpoint = unname(a$estimate), p_lau92 = a$p.value, p_lau94 = b$p.value)
}
zc <- zeng[!is.na(zeng$os) & !is.na(zeng$osi), ]
out <- list(
  r_version = R.version.string, proc_version = as.character(packageVersion("pROC")),
  maxstat_version = as.character(packageVersion("maxstat")),
  wilcox = list(
    exact_small = c(wt(c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30), c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 3.14)),
                    list(x = I(c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)), y = I(c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 3.14)))),
    lung_age_by_sex = wt(lungd$age[lungd$sex == 1], lungd$age[lungd$sex == 2]),
    zeng_pc1_by_npm1 = wt(zeng$PC1[zeng$NPM1 == "Positive"], zeng$PC1[zeng$NPM1 == "Negative"])),
  fisher = list(
    tea = list(table = I(c(3, 1, 1, 3)), p = fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value),
    zeng_pc1_npm1 = list(table = I(as.vector(table(zeng$PC1_cat, zeng$NPM1))), p = fisher.test(table(zeng$PC1_cat, zeng$NPM1))$p.value)),
  bh = list(p = I(c(0.01, 0.04, 0.03, 0.2, 0.5, 0.001, 0.04)), adj = I(p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.5, 0.001, 0.04), "BH"))),
  roc = list(
    lung_age_death = rc(as.integer(lungd$status == 2), lungd$age),
    zeng_pc1_npm1 = rc(as.integer(zeng$NPM1 == "Positive"), zeng$PC1)),
  maxstat = list(
    lung_age = ms(Surv(time, status) ~ age, lungd),
    zeng_pc1 = ms(Surv(os, osi) ~ PC1, zc))
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null"), "tests_expected.json")
