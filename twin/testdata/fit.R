# Independent maximum-likelihood fits of the models lsc twin fits (lsc's own
# script; R 4.2.2 Patched, stats::optim and stats::uniroot only). Writes
# expected.tsv: for every series of measurements.csv (one per patient and
# fraction), the monophasic and biphasic fits, log-likelihoods, profile-
# likelihood 95% intervals, predicted days of MMR/MR4/MR4.5 and the fitted
# level at two days with their profile intervals.
# Run from this folder: Rscript fit.R
m <- read.csv("measurements.csv", stringsAsFactors = FALSE)
pt <- read.csv("patients.csv", stringsAsFactors = FALSE)
crit <- qchisq(0.95, 1)
out <- list()
emit <- function(...) out[[length(out) + 1]] <<- data.frame(...)

# log-likelihood: normal on log10 for detected values, log Phi at the limit
# (one copy in the sample's control copies) for undetectable ones.
ll <- function(mu, d, sd) {
  sum(ifelse(d$cens, pnorm((d$lim - mu) / sd, log.p = TRUE), dnorm(d$y, mu, sd, log = TRUE)))
}
mu_bi <- function(t, A, a, B, b) log10(A * exp(-a * t) + B * exp(-b * t))
mu_mono <- function(t, A, a) log10(A) - a * t / log(10)

# Optimise from several starts: Nelder-Mead, then BFGS polishing (reltol 1e-15).
best <- function(fn, starts) {
  bb <- NULL
  for (s in starts) {
    r <- try(optim(s, fn, method = "Nelder-Mead", control = list(maxit = 20000, reltol = 1e-15)), silent = TRUE)
    if (inherits(r, "try-error")) next
    for (k in 1:3) r <- optim(r$par, fn, method = "BFGS", control = list(maxit = 10000, reltol = 1e-15))
    r <- optim(r$par, fn, method = "Nelder-Mead", control = list(maxit = 20000, reltol = 1e-15))
    if (is.null(bb) || r$value < bb$value) bb <- r
  }
  bb
}

# Biphasic in R's own parameterisation: log A, log B, log b, log(a - b), log sd.
bi_nat <- function(q) c(A = exp(q[1]), a = exp(q[3]) + exp(q[4]), B = exp(q[2]), b = exp(q[3]), sd = exp(q[5]))
fit_bi <- function(d) {
  nll <- function(q) { p <- bi_nat(q); v <- -ll(mu_bi(d$t, p[1], p[2], p[3], p[4]), d, p[5]); if (is.finite(v)) v else 1e10 }
  y0 <- d$y[!d$cens][1]
  starts <- list()
  for (a in c(0.02, 0.05, 0.1)) for (b in c(0.0005, 0.002, 0.008)) for (f in c(0.01, 0.1))
    starts[[length(starts) + 1]] <- c(log(10^y0 * (1 - f)), log(10^y0 * f), log(b), log(a - b), log(0.2))
  r <- best(nll, starts)
  list(p = bi_nat(r$par), ll = -r$value, q = r$par)
}
fit_mono <- function(d) {
  nll <- function(q) { v <- -ll(mu_mono(d$t, exp(q[1]), q[2]), d, exp(q[3])); if (is.finite(v)) v else 1e10 }
  y0 <- d$y[!d$cens][1]
  starts <- list(c(log(10^y0), 0.01, log(0.2)), c(log(10^y0), 0.001, log(0.5)), c(log(10^y0), 0.05, log(0.1)))
  r <- best(nll, starts)
  list(p = c(A = exp(r$par[1]), a = r$par[2], sd = exp(r$par[3])), ll = -r$value)
}

# Profile log-likelihood of the biphasic model with one constraint. free(v)
# returns the negative log-likelihood of the free parameters z at v.
# Warm start: the free parameters of the last profile point are a second start.
last_z <- NULL
prof <- function(nll_v, z0, v) {
  st <- list(z0)
  if (!is.null(last_z) && length(last_z) == length(z0)) st[[2]] <- last_z
  r <- best(function(z) nll_v(z, v), st)
  last_z <<- r$par
  -r$value
}
bound <- function(devf, v0, step, dir) {
  prev <- v0; h <- step
  for (k in 1:60) {
    cur <- prev + dir * h
    if (devf(cur) > crit) return(tryCatch(uniroot(function(v) devf(v) - crit, sort(c(prev, cur)), tol = 1e-12)$root, error = function(e) NA))
    prev <- cur; h <- h * 1.5
  }
  NA
}

bi_profiles <- function(d, f) {
  p <- f$p; res <- list()
  L <- function(A, a, B, b, sd) { if (!(a > b && b > 0 && A > 0 && B > 0 && sd > 0)) return(-1e10); v <- ll(mu_bi(d$t, A, a, B, b), d, sd); if (is.finite(v)) v else -1e10 }
  # each: log-value v -> negative profile log-likelihood, free z
  specs <- list(
    A = list(z0 = c(log(p["B"]), log(p["b"]), log(p["a"] - p["b"]), log(p["sd"])),
             nll = function(z, v) -L(exp(v), exp(z[2]) + exp(z[3]), exp(z[1]), exp(z[2]), exp(z[4]))),
    a = list(z0 = c(log(p["A"]), log(p["B"]), qlogis(p["b"] / p["a"]), log(p["sd"])),
             nll = function(z, v) -L(exp(z[1]), exp(v), exp(z[2]), exp(v) * plogis(z[3]), exp(z[4]))),
    B = list(z0 = c(log(p["A"]), log(p["b"]), log(p["a"] - p["b"]), log(p["sd"])),
             nll = function(z, v) -L(exp(z[1]), exp(z[2]) + exp(z[3]), exp(v), exp(z[2]), exp(z[4]))),
    b = list(z0 = c(log(p["A"]), log(p["B"]), log(p["a"] - p["b"]), log(p["sd"])),
             nll = function(z, v) -L(exp(z[1]), exp(v) + exp(z[3]), exp(z[2]), exp(v), exp(z[4]))),
    sd = list(z0 = c(log(p["A"]), log(p["B"]), log(p["b"]), log(p["a"] - p["b"])),
             nll = function(z, v) -L(exp(z[1]), exp(z[3]) + exp(z[4]), exp(z[2]), exp(z[3]), exp(v))))
  for (nm in names(specs)) {
    s <- specs[[nm]]; last_z <<- NULL
    devf <- function(v) 2 * (f$ll - prof(s$nll, s$z0, v))
    lo <- bound(devf, log(p[nm]), 0.1, -1); hi <- bound(devf, log(p[nm]), 0.1, 1)
    res[[nm]] <- c(exp(lo), exp(hi))
  }
  res
}

# Curve through level 10^y at day t: one amplitude eliminated, A while the
# first phase dominates at t under the estimate, B once the second does.
# Free: log of the other amplitude, log b, log(a-b), log sd.
through_nll <- function(d, t, y, elimB) function(z, dummy) {
  C <- exp(z[1]); b <- exp(z[2]); a <- b + exp(z[3]); sd <- exp(z[4])
  if (elimB) { A <- C; B <- (10^y - A * exp(-a * t)) * exp(b * t); E <- B } else { B <- C; A <- (10^y - B * exp(-b * t)) * exp(a * t); E <- A }
  if (!(E > 0) || !is.finite(E)) return(1e10)
  v <- -ll(mu_bi(d$t, A, a, B, b), d, sd); if (is.finite(v)) v else 1e10
}
bi_curve_dev <- function(d, f, t, y) {
  p <- f$p
  elimB <- unname(p["B"] * exp(-p["b"] * t) > p["A"] * exp(-p["a"] * t))
  keep <- if (elimB) p["A"] else p["B"]
  2 * (f$ll - prof(through_nll(d, t, y, elimB), c(log(keep), log(p["b"]), log(p["a"] - p["b"]), log(p["sd"])), 0))
}

for (i in seq_len(nrow(pt))) {
  id <- pt$patient[i]; t0 <- as.Date(pt$therapy_start[i])
  for (fr in unique(m$fraction[m$patient == id])) {
    s <- m[m$patient == id & m$fraction == fr, ]
    lev <- s$target_copies / s$control_copies * 100
    d <- data.frame(t = as.numeric(as.Date(s$date) - t0), cens = s$target_copies == 0,
                    y = ifelse(s$target_copies > 0, log10(lev), NA), lim = log10(100 / s$control_copies))
    if (sum(!d$cens) < 3) next
    mo <- fit_mono(d)
    emit(patient = id, fraction = fr, model = "monophasic", parameter = "loglik", estimate = mo$ll, lower = NA, upper = NA)
    for (nm in names(mo$p)) emit(patient = id, fraction = fr, model = "monophasic", parameter = nm, estimate = unname(mo$p[nm]), lower = NA, upper = NA)
    if (sum(!d$cens) < 6) next
    bi <- fit_bi(d)
    emit(patient = id, fraction = fr, model = "biphasic", parameter = "loglik", estimate = bi$ll, lower = NA, upper = NA)
    lrt <- 2 * (bi$ll - mo$ll)
    if (pchisq(lrt, 2, lower.tail = FALSE) >= 0.05) next
    pr <- bi_profiles(d, bi)
    for (nm in names(bi$p)) emit(patient = id, fraction = fr, model = "biphasic", parameter = nm, estimate = unname(bi$p[nm]), lower = pr[[nm]][1], upper = pr[[nm]][2])
    p <- bi$p
    if (fr != "PB") next
    for (lv in list(c("day_MMR", 0.1), c("day_MR4", 0.01), c("day_MR4.5", 0.0032))) {
      y <- log10(as.numeric(lv[2]))
      T <- uniroot(function(t) mu_bi(t, p["A"], p["a"], p["B"], p["b"]) - y, c(0, 1e6), tol = 1e-12)$root
      devf <- function(t) bi_curve_dev(d, bi, t, y); last_z <<- NULL
      lo <- bound(devf, T, 0.05 * T, -1); hi <- bound(devf, T, 0.05 * T, 1)
      emit(patient = id, fraction = fr, model = "biphasic", parameter = lv[1], estimate = T, lower = lo, upper = hi)
    }
    for (tt in c(365, 1825)) {
      y <- unname(mu_bi(tt, p["A"], p["a"], p["B"], p["b"]))
      devf <- function(v) bi_curve_dev(d, bi, tt, v); last_z <<- NULL
      lo <- bound(devf, y, 0.05, -1); hi <- bound(devf, y, 0.05, 1)
      emit(patient = id, fraction = fr, model = "biphasic", parameter = paste0("log10_level_day", tt), estimate = y, lower = lo, upper = hi)
    }
  }
}
# Stem (CD34+CD38-) vs blood (PB) final slope of T1, both biphasic: joint
# fit with the second slope b shared, likelihood-ratio test (df 1).
{
  t0 <- as.Date(pt$therapy_start[pt$patient == "T1"])
  dd <- lapply(c("PB", "CD34+CD38-"), function(fr) {
    s <- m[m$patient == "T1" & m$fraction == fr, ]
    data.frame(t = as.numeric(as.Date(s$date) - t0), cens = s$target_copies == 0,
               y = ifelse(s$target_copies > 0, log10(s$target_copies / s$control_copies * 100), NA), lim = log10(100 / s$control_copies))
  })
  fb <- fit_bi(dd[[1]]); fs <- fit_bi(dd[[2]])
  nll <- function(q) {
    b <- exp(q[3])
    v <- -ll(mu_bi(dd[[1]]$t, exp(q[1]), b + exp(q[4]), exp(q[2]), b), dd[[1]], exp(q[5])) -
      ll(mu_bi(dd[[2]]$t, exp(q[6]), b + exp(q[8]), exp(q[7]), b), dd[[2]], exp(q[9]))
    if (is.finite(v)) v else 1e10
  }
  q1 <- fb$q; q2 <- fs$q
  r <- best(nll, list(c(q1, q2[1], q2[2], q2[4], q2[5]), c(q1[1:2], q2[3], q1[4:5], q2[1], q2[2], q2[4], q2[5])))
  lrt <- 2 * (fb$ll + fs$ll + r$value)
  emit(patient = "T1", fraction = "CD34+CD38- vs PB", model = "shared second slope", parameter = "loglik", estimate = -r$value, lower = NA, upper = NA)
  emit(patient = "T1", fraction = "CD34+CD38- vs PB", model = "shared second slope", parameter = "lrt", estimate = lrt, lower = NA, upper = NA)
  emit(patient = "T1", fraction = "CD34+CD38- vs PB", model = "shared second slope", parameter = "p", estimate = pchisq(lrt, 1, lower.tail = FALSE), lower = NA, upper = NA)
}
res <- do.call(rbind, out)
fmt <- function(x) ifelse(is.na(x), "", trimws(formatC(x, digits = 12, format = "g")))
res$estimate <- fmt(res$estimate); res$lower <- fmt(res$lower); res$upper <- fmt(res$upper)
write.table(res, "expected.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
