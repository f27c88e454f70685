// Package stats holds the statistics lsc reports: binomial intervals, linear
// fits, and (in survival files) Kaplan-Meier, log-rank and Cox models. It
// knows nothing of leukemia, files or the command line: functions take plain
// numbers and return typed results.
//
// Sources:
//   - Clopper-Pearson exact binomial interval: Clopper & Pearson, Biometrika
//     1934; as R's binom.test (R 4.x stats) computes it, from beta quantiles.
//   - Wilson score interval without continuity correction: Wilson, JASA 1927;
//     equals R's prop.test(correct = FALSE) interval.
//   - Ordinary least squares with Student-t intervals for the slope: as R's
//     lm() and confint().
//   - Kaplan-Meier with Greenwood errors, log / log-log / plain intervals and
//     medians by quantile.survfit; log-rank (stratified); Cox proportional
//     hazards by Newton-Raphson with Efron or Breslow ties (coxfit6): as R's
//     survival 3.5 (Therneau; survfit, survdiff, coxph).
//   - Maximally selected log-rank statistic with Lausen & Schumacher (1992)
//     and Lausen, Sauerbrei & Schumacher (1994) p values: as R's maxstat
//     0.7-25 (Hothorn & Lausen 2003).
//   - ROC AUC with DeLong's interval (DeLong et al., Biometrics 1988; as
//     pROC 1.18), Mann-Whitney and Fisher's exact tests as R's stats.
//
// Option names (ConfType, Ties) are validated by ParseConfType and
// ParseTies; the functions reject unknown values with ErrOption.
//
// Distribution functions come from gonum (gonum.org/v1/gonum/stat/distuv).
package stats
