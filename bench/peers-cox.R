# R's survival::coxph on the formula `lsc survival cox` fits in bench/peers.sh
# (the 949-patient Zeng et al. 2022 cohort): read the CSV, fit, print the
# coefficients, standard errors and the three global tests in full precision
# so that they can be set beside `lsc survival cox --json`.
#
#   Rscript bench/peers-cox.R Survival_Hierarchy_TCGA_BEAT_GSE6891.csv
suppressMessages(library(survival))
d <- read.csv(commandArgs(TRUE)[1])
f <- coxph(Surv(os, osi) ~ PC1_cat + Age + CytogeneticRisk + NPM1, data = d)
s <- summary(f)
options(digits = 15)
print(cbind(coef = coef(f), se = sqrt(diag(vcov(f))), p = s$coefficients[, 5]))
cat(sprintf("n %d events %d concordance %.15g\nLR %.15g Wald %.15g score %.15g\n", f$n, f$nevent,
            s$concordance[1], s$logtest[1], s$waldtest[1], s$sctest[1]))
