// Package mrd follows molecular residual disease: BCR::ABL1 (and other
// lesion) qPCR ratios on the International Scale, FISH clone fractions, per
// sorted fraction and over time, with the European LeukemiaNet rules applied
// to each patient.
//
// Rules and their sources:
//
//   - Ratio % = target copies / control copies x 100. IS % = ratio % x the
//     laboratory's conversion factor, only for BCR::ABL1 measured against
//     ABL1 or GUSB (Hughes et al., Blood 2006;108:28; Branford et al., Blood
//     2008;112:3330). Other targets and the BCR control keep their ratio.
//     Log reduction = log10(100 / IS %), the IRIS baseline being 100 % IS.
//   - Molecular response (Cross et al., Leukemia 2012;26:2172 and the
//     laboratory recommendations of Cross et al., Leukemia 2015;29:999;
//     ELN 2020, Hochhaus et al., Leukemia 2020;34:966, Table 4):
//     detectable BCR::ABL1 scores MMR (MR3) at <= 0.1 % IS, MR4 <= 0.01 %,
//     MR4.5 <= 0.0032 %, MR5 <= 0.001 %. Undetectable BCR::ABL1 scores by the
//     control copies in the same volume of cDNA: MR4 with >= 10,000 ABL1 or
//     >= 24,000 GUSB copies, MR4.5 with >= 32,000 ABL1 or >= 77,000 GUSB,
//     MR5 with >= 100,000 ABL1 or >= 240,000 GUSB (Cross 2012, Table 1;
//     Cross 2015). Undetectable with fewer control copies than the MR4
//     minimum is "not assessable". Replicate reactions of one sample are
//     combined by summing target and control copies (Cross 2015), so one
//     sample gets one response.
//   - Milestones (ELN 2020, Table 5), on BCR::ABL1 IS in blood from the start
//     of TKI therapy: 3 months optimal <= 10 %, warning > 10 %, failure > 10 %
//     confirmed within 1-3 months; 6 months optimal <= 1 %, warning > 1-10 %,
//     failure > 10 %; 12 months optimal <= 0.1 %, warning > 0.1-1 %, failure
//     > 1 %; any time after 12 months optimal <= 0.1 %, warning > 0.1-1 % or
//     loss of MMR, failure > 1 %. Loss of MMR after treatment-free remission
//     is failure (Table 5 footnote). ELN gives no window around a milestone;
//     lsc takes the blood measurement nearest to it within +-WindowDays
//     (default 42) and says so in the rule.
//   - Treatment-free remission (ELN 2020, Table 7): minimal criteria are
//     first-line TKI (or a second TKI for intolerance only), a typical
//     e13a2/e14a2 transcript, TKI > 5 years (> 4 years for a second-generation
//     TKI), deep molecular response (MR4 or deeper) > 2 years and no prior
//     failure; optimal criteria are TKI > 5 years and DMR > 3 years at MR4 or
//     > 2 years at MR4.5. The mandatory criteria (first chronic phase,
//     motivation, PCR access, monitoring agreement) cannot be read from data
//     and are listed as to be confirmed.
//
// Kinetics, lsc's own definitions (not guideline rules): for each patient,
// fraction, target and control gene, log10 of IS % (ratio % without IS) of
// the detectable samples is fitted linearly on time (as R's lm), giving the
// slope per year with its Student-t 95 % interval and the halving time. A
// series declines when its fitted change over the observed span is at least
// DeclineLog (default 0.5 log, about 3-fold, beyond the 2-fold run-to-run
// spread of BCR::ABL1 qPCR). Persistence is flagged when a stem-cell fraction
// (CD34+CD38-, CD38-/low, CD90+ ...) does not decline while another fraction
// of the same patient does: the pattern Chu et al. (Blood 2011;118:5565)
// found in imatinib-treated CML, where BCR::ABL1/BCR fell in CD34+CD38+
// progenitors (0.285, 0.121, 0.071) but not in CD34+CD38- stem cells (0.162,
// 0.116, 0.361). FISH clone fractions get Clopper-Pearson 95 % intervals (as
// R's binom.test); expansion is flagged when a later interval lies wholly
// above the previous one of the same fraction and probe.
package mrd
