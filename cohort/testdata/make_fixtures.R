# A small synthetic bulk cohort (not real patients: inputs drawn with a fixed seed) and the
# expected analysis from R 4.2.2 / survival 3.5.3 / pROC 1.18.0:
#   LSC17 = sum(weight x log2 expression) with the Ng et al. 2016 weights,
#   high = score > cohort median, survdiff / coxph / roc(DeLong) as below.
# Run: Rscript make_fixtures.R  (writes expr.tsv, clinical.csv, expected.json)
suppressMessages({library(survival); library(jsonlite); library(pROC)})
w <- read.delim("../../signature/data/LSC17.tsv", comment.char = "#")
set.seed(20261124)
n <- 40
samples <- sprintf("S%02d", 1:n)
genes <- c(w$gene, "GAPDH", "ACTB", "MPO")
expr <- matrix(round(rnorm(length(genes) * n, 6, 2), 3), nrow = length(genes), dimnames = list(genes, samples))
write.table(data.frame(gene = genes, expr, check.names = FALSE), "expr.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
score <- colSums(expr[w$gene, ] * w$weight)
risk <- exp(8 * (score - mean(score)))
time <- round(rexp(n, 0.002 * risk), 1) + 1
event <- rbinom(n, 1, 0.8)
age <- sample(35:80, n, replace = TRUE)
resp <- rbinom(n, 1, plogis(-10 * (score - mean(score))))
clin <- data.frame(sample = samples, os = time, os_event = event, age = age, response = resp)
clin$age[5] <- NA
write.csv(clin[sample(n), ], "clinical.csv", row.names = FALSE, na = "NA")
d <- data.frame(clin, score = score[clin$sample])
cut <- median(d$score)
d$grp <- factor(ifelse(d$score > cut, "high", "low"), levels = c("low", "high"))
sd <- survdiff(Surv(os, os_event) ~ grp, data = d)
cg <- coxph(Surv(os, os_event) ~ grp + age, data = d)
cs <- coxph(Surv(os, os_event) ~ score + age, data = d)
r <- roc(d$response, d$score, direction = "<", levels = c(0, 1), quiet = TRUE)
out <- list(r_version = R.version.string, survival_version = as.character(packageVersion("survival")),
  scores = as.list(score), cut = cut,
  logrank = list(chisq = sd$chisq, p = pchisq(sd$chisq, 1, lower.tail = FALSE)),
  cox_group = list(terms = I(names(coef(cg))), coef = I(unname(coef(cg))), n = cg$n),
  cox_score = list(terms = I(names(coef(cs))), coef = I(unname(coef(cs))), n = cs$n),
  auc = as.numeric(r$auc), auc_ci = I(as.numeric(ci.auc(r, method = "delong"))[c(1, 3)]),
  wilcox_p = wilcox.test(d$score[d$response == 1], d$score[d$response == 0])$p.value)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE), "expected.json")
