// Package twin fits kinetic models to one patient's course (a "patient
// twin") and projects them, every projection being research-model output,
// never a treatment recommendation.
//
// Models and their sources:
//
//   - Bi-exponential decline of BCR::ABL1 under TKI therapy, log10 level =
//     log10(A e^-at + B e^-bt) (Michor et al., Nature 2005;435:1267; Roeder
//     et al., Nat Med 2006;12:1181; Tang et al., Blood 2011;118:1622;
//     Glauche/Hähnel et al., Cancer Res 2020), fitted by maximum likelihood
//     with a normal error on log10 and undetectable samples left-censored at
//     their own detection limit (Tobit; Beal's M3 method, J Pharmacokinet
//     Pharmacodyn 2001;28:481). Package mrd supplies the samples and limits.
//     Monophasic vs biphasic by the likelihood-ratio test (2 df). Intervals
//     by profile likelihood (Venzon & Moolgavkar, Appl Stat 1988;37:87):
//     the nuisance parameters are re-optimised at each value and the
//     deviance crossing of the chi-square 95% point found by regula falsi.
//     Derived quantities (milestone days, the level at a day) are profiled
//     by eliminating one amplitude so the curve passes through the point.
//   - Stem-cell vs blood final slope: joint fit with one shared final rate,
//     likelihood-ratio test (1 df) — the pattern of Chu et al., Blood
//     2011;118:5565.
//   - CAR-T non-compartmental analysis with PKNCA's default conventions
//     (Denney et al., PKNCA 0.11; linear-up log-down AUC, best adjusted R^2
//     terminal phase) and the expansion-contraction-persistence model of
//     Stein et al., CPT Pharmacometrics Syst Pharmacol 2019;8:285.
//   - Michor 2005 four-compartment model (Michor et al., Nature
//     2005;435:1267) with the rate constants quoted by radivot/myelo
//     michor05.R and paul-bbt/cs-impact-immune-response (MichorParams says
//     which value comes from where) and myelo's measured ratio
//     y3/(y3 + 2 x3). The linear leukemic chain is solved in closed form
//     (sums of exponentials; checked against RK4 integration); per patient
//     the leukemic stem cells at day 0 and the two therapy reductions of the
//     leukemic production rates are fitted by the censored likelihood above
//     (the reductions are the model's therapy effect; the other rates set
//     the published slopes). Projections with therapy continued or stopped:
//     leukemic stem cells at the stop day and days to loss of MMR, with
//     profile intervals obtained by solving for y0 (the model is linear in
//     it) so the course passes through the profiled value.
//   - CAR-T kinetics vs time to event: median split (R's median, ties go
//     low) and the log-rank test of package stats (R survival survdiff).
//
// Optimisation is Nelder-Mead (Nelder & Mead, Comput J 1965;7:308) from
// fixed start rules with restarts, so the same input gives the same bytes.
// Every fitted value is checked against an independent fit of the same
// likelihood in R 4.2.2 (testdata/README.md).
package twin
