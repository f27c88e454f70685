// Package repertoire turns receptor contigs (package airr) into cells with
// indexed chains, chain-pairing classes, clonotypes and per-sample
// diversity.
//
// Which tool each piece reproduces (scirpy = scverse/scirpy at efe49e6):
//   - Index: scirpy pp.index_chains — productive chains with a junction_aa
//     and a valid locus; up to two VJ and two VDJ chains ranked by
//     umi_count, duplicate_count, consensus_count, junction, junction_aa
//     (descending, ties in file order); more than two in an arm = multichain.
//   - QC: scirpy tl.chain_qc — receptor_type, receptor_subtype, chain_pairing.
//   - Define: scirpy tl.define_clonotypes with metric "identity" on junction
//     (nt) or junction_aa (aa), receptor_arms VJ/VDJ/all/any, dual_ir
//     primary_only/any/all, within_group receptor_type (or none); clonotypes
//     are the connected components, numbered from 0 in order of first cell.
//   - Diversity: Shannon (natural log), normalised Shannon (H/ln S, 0 for one
//     clonotype; scirpy's normalized_shannon_entropy), clonality (1 minus it),
//     Simpson's index sum p^2 (immunarch's "gini.simp" reports 1 minus it,
//     which lsc calls gini_simpson), inverse Simpson, Gini coefficient of clone
//     sizes, bias-corrected Chao1 and its standard error as vegan 2.6-4's
//     estimateR, with the log-normal 95% interval of Chao (1987), Hill numbers q = 0..3, D50
//     as a count (immunarch repDiversity "d50") and as a percentage of
//     clonotypes (scirpy alpha_diversity "D50").
package repertoire
