# Hazard ratio of the continuous LSC17 score per standard deviation, on the committed synthetic cohort
# (expr.tsv, clinical.csv): coxph on score / sd(score) over the rows the model uses (complete os, os_event, age).
# R 4.2.2, survival 3.5.3. Run: Rscript make_persd.R  (writes expected_persd.json)
suppressMessages(library(survival))
w <- read.delim("../../signature/data/LSC17.tsv", comment.char = "#")
e <- read.delim("expr.tsv", check.names = FALSE)
m <- as.matrix(e[match(w$gene, e$gene), -1])
score <- colSums(m * w$weight)
clin <- read.csv("clinical.csv")
d <- na.omit(data.frame(clin, score = score[clin$sample]))
s <- sd(d$score)
d$score_sd <- d$score / s
f <- coxph(Surv(os, os_event) ~ score_sd + age, data = d)
ci <- exp(confint(f))
v <- c(n = f$n, sd = s, coef = unname(coef(f)[1]), se = unname(sqrt(diag(vcov(f)))[1]),
  hr = unname(exp(coef(f))[1]), lower95 = ci[1, 1], upper95 = ci[1, 2], p = summary(f)$coefficients[1, 5])
writeLines(c(sprintf('{"r_version": "%s", "survival_version": "%s",', R.version.string, packageVersion("survival")),
  paste0("  ", paste(sprintf('"%s": %.17g', names(v), v), collapse = ",\n  "), "}")), "expected_persd.json")
