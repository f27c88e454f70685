# Independent fit of the Stein 2019 model to cart.csv (lsc's own script;
# R 4.2.2, stats::optim and stats::uniroot). Writes expected_cart.tsv:
# estimates, log-likelihood and profile-likelihood 95% bounds per patient.
# Run from this folder: Rscript fit_cart.R
d0 <- read.csv("cart.csv", stringsAsFactors = FALSE)
crit <- qchisq(0.95, 1)
out <- list()
emit <- function(...) out[[length(out) + 1]] <<- data.frame(...)
mu <- function(t, Cmax, Tmax, rho, alpha, FB, beta)
  log10(Cmax) + ifelse(t < Tmax, rho * (t - Tmax) / log(10), log10((1 - FB) * exp(-alpha * (t - Tmax)) + FB * exp(-beta * (t - Tmax))))
ll <- function(m, d, sd) sum(ifelse(d$cens, pnorm((d$lim - m) / sd, log.p = TRUE), dnorm(d$y, m, sd, log = TRUE)))
best <- function(fn, starts) {
  bb <- NULL
  for (s in starts) {
    r <- optim(s, fn, method = "Nelder-Mead", control = list(maxit = 50000, reltol = 1e-15))
    for (k in 1:2) r <- optim(r$par, fn, method = "Nelder-Mead", control = list(maxit = 50000, reltol = 1e-15))
    if (is.null(bb) || r$value < bb$value) bb <- r
  }
  bb
}
# R's own parameterisation: log Cmax, log Tmax, log rho, log(alpha - beta), qlogis(FB), log beta, log sd
nat <- function(q) c(Cmax = exp(q[1]), Tmax = exp(q[2]), rho = exp(q[3]), alpha = exp(q[6]) + exp(q[4]), FB = plogis(q[5]), beta = exp(q[6]), sd = exp(q[7]))
L <- function(p, d) { v <- ll(mu(d$t, p[1], p[2], p[3], p[4], p[5], p[6]), d, p[7]); if (is.finite(v)) v else -1e10 }
last_z <- NULL
# The likelihood has a kink wherever Tmax crosses a sample day and often a
# mode on each side: besides the warm start, each profile point also starts
# with Tmax moved to the middle of the gap below and above the one holding
# it, rho rescaled to keep the level at the first measurable sample.
gap_starts <- function(pp, d) {
  days <- sort(d$t); k <- sum(days <= pp[2]) + 1
  t1 <- d$t[!d$cens & d$t < pp[2]][1]
  out <- list()
  for (j in c(k - 2, k)) {
    if (j < 1 || j + 1 > length(days)) next
    q <- pp; q[2] <- max((days[j] + days[j + 1]) / 2, 0.25)
    if (!is.na(t1) && t1 < q[2]) q[3] <- pp[3] * (pp[2] - t1) / (q[2] - t1)
    out[[length(out) + 1]] <- q
  }
  out
}
for (id in unique(d0$patient)) {
  s <- d0[d0$patient == id, ]
  blq <- s$value == "BLQ"
  d <- data.frame(t = s$day, cens = blq, y = ifelse(blq, NA, log10(suppressWarnings(as.numeric(s$value)))), lim = log10(s$lloq))
  if (sum(!d$cens) < 7) next
  pk <- which.max(ifelse(d$cens, -Inf, d$y))
  starts <- list()
  for (tm in c(0.7, 1, 1.4) * d$t[pk]) for (al in c(0.05, 0.2)) for (be in c(0.001, 0.01)) for (fb in c(0.005, 0.05))
    starts[[length(starts) + 1]] <- c(log(10^d$y[pk]), log(tm), log(0.7), log(al - be), qlogis(fb), log(be), log(0.3))
  r <- best(function(q) -L(nat(q), d), starts)
  p <- nat(r$par); lmax <- -r$value
  emit(patient = id, parameter = "loglik", estimate = lmax, lower = NA, upper = NA)
  # profile: parameter k fixed at exp(v) (FB, too, on the log scale); the others free in R's parameterisation
  for (k in 1:7) {
    nm <- names(p)[k]
    free_nll <- function(z, v) {
      q <- numeric(7); val <- exp(v)
      # rebuild natural parameters from z (6 free) and the fixed value
      pp <- c(Cmax = NA, Tmax = NA, rho = NA, alpha = NA, FB = NA, beta = NA, sd = NA)
      pp[k] <- val
      others <- setdiff(1:7, k)
      for (j in seq_along(others)) {
        o <- others[j]
        pp[o] <- if (names(pp)[o] == "FB") plogis(z[j]) else exp(z[j])
      }
      if (!(pp["alpha"] > pp["beta"]) || !(pp["FB"] < 1)) return(1e10)
      -L(pp, d)
    }
    z0 <- sapply(setdiff(1:7, k), function(o) if (names(p)[o] == "FB") qlogis(p[o]) else log(p[o]))
    toz <- function(pp) sapply(setdiff(1:7, k), function(o) if (names(p)[o] == "FB") qlogis(pp[o]) else log(pp[o]))
    fromz <- function(z, v) { pp <- p; pp[k] <- exp(v); o <- setdiff(1:7, k); for (j in seq_along(o)) pp[o[j]] <- if (names(p)[o[j]] == "FB") plogis(z[j]) else exp(z[j]); pp }
    prof <- function(v) {
      st <- list(z0); if (!is.null(last_z)) st[[2]] <- last_z
      base <- fromz(st[[length(st)]], v)
      for (q in gap_starts(base, d)) { q[k] <- exp(v); st[[length(st) + 1]] <- toz(q) }
      rr <- best(function(z) free_nll(z, v), st); last_z <<- rr$par; -rr$value
    }
    devf <- function(v) 2 * (lmax - prof(v))
    bound <- function(dir) {
      last_z <<- NULL
      prev <- log(p[k]); h <- 0.1
      for (i in 1:40) {
        cur <- prev + dir * h
        if (devf(cur) > crit) return(tryCatch(exp(uniroot(function(v) devf(v) - crit, sort(c(prev, cur)), tol = 1e-12)$root), error = function(e) NA))
        prev <- cur; h <- h * 1.5
      }
      NA
    }
    emit(patient = id, parameter = nm, estimate = unname(p[k]), lower = unname(bound(-1)), upper = unname(bound(1)))
  }
}
res <- do.call(rbind, out)
fmt <- function(x) ifelse(is.na(x), "", trimws(formatC(x, digits = 12, format = "g")))
res$estimate <- fmt(res$estimate); res$lower <- fmt(res$lower); res$upper <- fmt(res$upper)
write.table(res, "expected_cart.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
