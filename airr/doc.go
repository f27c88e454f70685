// Package airr reads immune-receptor contig tables into one chain record per
// contig (the AIRR Rearrangement model as scirpy uses it):
//
//   - 10x Genomics Cell Ranger 3-8 filtered_/all_contig_annotations.csv
//     ("None" and empty cells are nulls; chain "Multi" kept with no locus),
//   - 10x all_contig_annotations.json (V/D/J/C calls and locus from the
//     annotations, as scirpy 0.22's read_10x_vdj),
//   - AIRR Rearrangement TSV (schema v1.x/2.0; the required fields are
//     checked in the header; a missing locus is inferred from the gene calls
//     as scirpy's _infer_locus_from_gene_names),
//   - Change-O .tab (BraCeR and Change-O MakeDb; junction_aa translated from
//     the junction when absent, as scirpy's read_bracer),
//   - BD Rhapsody VDJ contig tables (Contigs / Dominant_Contigs / perCellChain),
//   - Cell Ranger feature_reference.csv (antibody id -> protein name).
//
// Field mapping follows scirpy (scverse/scirpy, src/scirpy/io/_io.py at
// efe49e6): 10x junction = cdr3_nt, junction_aa = cdr3, umi_count = umis,
// consensus_count = reads. Every reader reports bad input as a
// formats.ParseError naming the file, the line and the column.
package airr
