# Writes measurements.csv and patients.csv: simulated BCR::ABL1 courses
# (lsc's own script; R 4.2.2). Levels follow log10(A e^-at + B e^-bt) with a
# normal error on log10; copies = level/100 x ABL1 copies, rounded to 0.1;
# a sample under one copy is written as 0 copies (undetectable).
set.seed(2026)
start <- as.Date("2015-01-01")
rows <- list()
add <- function(patient, fraction, days, A, a, B, b, sd) {
  for (d in days) {
    ctrl <- round(runif(1, 30000, 120000))
    lev <- log10(A * exp(-a * d) + B * exp(-b * d)) + rnorm(1, 0, sd)
    cp <- round(10^lev / 100 * ctrl, 1)
    if (cp < 1) cp <- 0
    rows[[length(rows) + 1]] <<- data.frame(patient = patient, date = format(start + d), fraction = fraction,
      assay = "qpcr", target = "BCR::ABL1", target_copies = cp, control_gene = "ABL1", control_copies = ctrl)
  }
}
pb <- c(0, 30, 61, 91, 122, 152, 183, 243, 304, 365, 456, 547, 638, 730, 912, 1095, 1278, 1460)
add("T1", "PB", pb, 60, 0.05, 0.03, 0.004, 0.15)
add("T1", "CD34+CD38-", c(0, 91, 183, 365, 547, 730, 912, 1095, 1278, 1460), 40, 0.03, 5, 0.0005, 0.15)
add("T2", "PB", c(0, 60, 120, 180, 270, 365, 450, 540), 20, 0.01, 0, 0, 0.2)
add("T3", "PB", c(0, 90), 30, 0.02, 0, 0, 0.2)
m <- do.call(rbind, rows)
m <- m[order(m$patient, as.Date(m$date)), ]
write.csv(m, "measurements.csv", row.names = FALSE, quote = FALSE)
write.csv(data.frame(patient = c("T1", "T2", "T3"), diagnosis = "CML-CP", therapy = "imatinib",
  therapy_start = format(start)), "patients.csv", row.names = FALSE, quote = FALSE)
