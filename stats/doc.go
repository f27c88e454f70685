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
//
// Distribution functions come from gonum (gonum.org/v1/gonum/stat/distuv).
package stats
