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
//   - Harrell's C in O(n log n) with a count tree over ranked risk scores,
//     as survival 3.5's concordancefit walks a balanced tree.
//   - ROC AUC with DeLong's interval (DeLong et al., Biometrics 1988; as
//     pROC 1.18), its placement values from sorted scores in O(n log n)
//     (Sun & Xu, IEEE Signal Process. Lett. 2014), Mann-Whitney and Fisher's exact tests as R's stats.
//   - Wilcoxon signed-rank test as R's wilcox.test(paired = TRUE).
//   - Empirical Bayes variance moderation as limma 3.54 squeezeVar /
//     fitFDist / trigammaInverse (Smyth 2004) and, robust, fitFDistRobustly
//     (Phipson et al., Ann Appl Stat 2016), with R's uniroot (Brent) and
//     statmod's Gauss-Legendre rule; t and F tails from the incomplete beta.
//
// Option names (ConfType, Ties) are validated by ParseConfType and
// ParseTies; the functions reject unknown values with ErrOption.
//
// Distribution functions come from gonum (gonum.org/v1/gonum/stat/distuv).
package stats
