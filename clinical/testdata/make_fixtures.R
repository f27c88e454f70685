# Expected values for the clinical/stats tests, made with R's survival package.
# Run from this directory:  Rscript make_fixtures.R /path/to/shared/testdata
# Tool versions are written into the output (r_version, survival_version).
suppressMessages({library(survival); library(jsonlite)})
args <- commandArgs(TRUE)
shared <- if (length(args)) args[1] else "../../../shared/testdata"

data(cancer, package = "survival")
lungd <- survival::lung
write.csv(lungd, "lung.csv", row.names = FALSE, na = "")
amld <- survival::aml
write.csv(amld, "aml.csv", row.names = FALSE, na = "")
zeng <- read.csv(file.path(shared, "leukemia/amlhierarchies_zeng2022/Survival_Hierarchy_TCGA_BEAT_GSE6891.csv"))

km <- function(fit) {
  s <- summary(fit, censored = TRUE)
  st <- if (is.null(s$strata)) rep("all", length(s$time)) else as.character(s$strata)
  tab <- summary(fit)$table
  if (is.null(dim(tab))) tab <- t(as.matrix(tab))
  list(strata = I(if (is.null(fit$strata)) "all" else names(fit$strata)),
       rows = data.frame(strata = st, time = s$time, n_risk = s$n.risk, n_event = s$n.event,
                         n_censor = s$n.censor, surv = s$surv, std_err = s$std.err,
                         lower = s$lower, upper = s$upper),
       n = I(unname(tab[, "records"])), events = I(unname(tab[, "events"])),
       median = I(unname(tab[, "median"])), median_lower = I(unname(tab[, "0.95LCL"])),
       median_upper = I(unname(tab[, "0.95UCL"])))
}
# For the Zeng cohort (no licence to redistribute it) keep summaries only:
# the curve at fixed times, not the per-time table.
km_at <- function(fit, times) {
  k <- km(fit)
  s <- summary(fit, times = times)
  k$rows <- data.frame(strata = as.character(s$strata), time = s$time, n_risk = s$n.risk,
                       surv = s$surv, std_err = s$std.err, lower = s$lower, upper = s$upper)
  k
}
lr <- function(d) list(chisq = d$chisq, df = length(d$n) - 1, p = pchisq(d$chisq, length(d$n) - 1, lower.tail = FALSE),
                       n = as.vector(d$n), observed = as.vector(if (is.matrix(d$obs)) rowSums(d$obs) else d$obs),
                       expected = as.vector(if (is.matrix(d$exp)) rowSums(d$exp) else d$exp))
cx <- function(f) {
  s <- summary(f)  # summary() rounds the Wald statistic: take f$wald.test
  list(n = f$n, events = f$nevent, terms = I(rownames(s$coefficients)),
       coef = I(unname(s$coefficients[, "coef"])), se = I(unname(s$coefficients[, "se(coef)"])),
       z = I(unname(s$coefficients[, "z"])), p = I(unname(s$coefficients[, "Pr(>|z|)"])),
       lower95 = I(unname(s$conf.int[, "lower .95"])), upper95 = I(unname(s$conf.int[, "upper .95"])),
       loglik = f$loglik, lrt = unname(s$logtest), wald = c(unname(f$wald.test), length(f$coefficients), pchisq(unname(f$wald.test), length(f$coefficients), lower.tail = FALSE)), score = unname(s$sctest),
       concordance = unname(f$concordance["concordance"]))
}

out <- list(
  r_version = R.version.string, survival_version = as.character(packageVersion("survival")),
  km = list(
    lung_all = km(survfit(Surv(time, status) ~ 1, data = lungd)),
    lung_sex = km(survfit(Surv(time, status) ~ sex, data = lungd)),
    lung_sex_loglog = km(survfit(Surv(time, status) ~ sex, data = lungd, conf.type = "log-log")),
    lung_sex_plain = km(survfit(Surv(time, status) ~ sex, data = lungd, conf.type = "plain")),
    aml_x = km(survfit(Surv(time, status) ~ x, data = amld)),
    zeng_pc1 = km_at(survfit(Surv(os, osi) ~ PC1_cat, data = zeng), c(365, 730, 1095, 1825)),
    zeng_cohort = km_at(survfit(Surv(os, osi) ~ Cohort, data = zeng), c(365, 730, 1095, 1825))),
  logrank = list(
    lung_sex = lr(survdiff(Surv(time, status) ~ sex, data = lungd)),
    aml_x = lr(survdiff(Surv(time, status) ~ x, data = amld)),
    zeng_pc1 = lr(survdiff(Surv(os, osi) ~ PC1_cat, data = zeng)),
    zeng_cohort = lr(survdiff(Surv(os, osi) ~ Cohort, data = zeng)),
    zeng_pc1_by_cohort = lr(survdiff(Surv(os, osi) ~ PC1_cat + strata(Cohort), data = zeng))),
  cox = list(
    lung_age_sex_efron = cx(coxph(Surv(time, status) ~ age + sex, data = lungd)),
    lung_age_sex_breslow = cx(coxph(Surv(time, status) ~ age + sex, data = lungd, ties = "breslow")),
    lung_age_sex_ecog = cx(coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lungd)),
    aml_x = cx(coxph(Surv(time, status) ~ x, data = amld)),
    zeng_pc1_age_risk_npm1 = cx(coxph(Surv(os, osi) ~ PC1_cat + Age + CytogeneticRisk + NPM1, data = zeng)),
    zeng_pc1_age_risk_npm1_breslow = cx(coxph(Surv(os, osi) ~ PC1_cat + Age + CytogeneticRisk + NPM1, data = zeng, ties = "breslow")),
    zeng_pc1_ref_low = cx(coxph(Surv(os, osi) ~ relevel(factor(PC1_cat), ref = "Low") + WBC, data = zeng)))
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null", pretty = FALSE), "survival_expected.json")
