# Writes cart.csv: simulated CAR-T transgene courses (copies/ug DNA) from the
# Stein 2019 expansion-contraction-persistence model (lsc's own script;
# R 4.2.2, set.seed(7)). Normal error on log10; values under the lloq
# (50 copies/ug) are written BLQ.
set.seed(7)
stein <- function(t, Cmax, Tmax, rho, alpha, FB, beta)
  ifelse(t < Tmax, Cmax * exp(rho * (t - Tmax)), Cmax * ((1 - FB) * exp(-alpha * (t - Tmax)) + FB * exp(-beta * (t - Tmax))))
days <- c(0, 1, 4, 7, 10, 14, 21, 28, 42, 56, 90, 120, 180, 270, 365)
rows <- list()
add <- function(id, days, pars, sd, response) {
  v <- 10^(log10(do.call(stein, c(list(days), pars))) + rnorm(length(days), 0, sd))
  val <- ifelse(v < 50, "BLQ", format(signif(v, 5), scientific = FALSE, trim = TRUE))
  rows[[length(rows) + 1]] <<- data.frame(patient = id, day = days, value = val, lloq = 50, unit = "copies/ug", response = response)
}
add("C1", days, list(Cmax = 24000, Tmax = 9.3, rho = log(3900) / 9.3, alpha = 0.16, FB = 0.0079, beta = 0.0032), 0.25, "CR")
add("C2", days, list(Cmax = 5000, Tmax = 12, rho = log(800) / 12, alpha = 0.1, FB = 0.02, beta = 0.01), 0.25, "NR")
add("C3", c(0, 7, 14, 28), list(Cmax = 8000, Tmax = 10, rho = 0.6, alpha = 0.12, FB = 0.01, beta = 0.005), 0.25, "CR")
write.csv(do.call(rbind, rows), "cart.csv", row.names = FALSE, quote = FALSE)
