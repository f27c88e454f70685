package airr

import (
	"io"

	"github.com/lsc-bio/lsc/formats"
)

var bdLocus = map[string]string{"TCR_Alpha": "TRA", "TCR_Beta": "TRB", "TCR_Gamma": "TRG", "TCR_Delta": "TRD",
	"BCR_Lambda": "IGL", "BCR_Kappa": "IGK", "BCR_Heavy": "IGH"}

// ReadBD reads a BD Rhapsody VDJ table: *_VDJ_Contigs.csv (unfiltered),
// *_Dominant_Contigs.csv (fields may end in _Dominant) or
// *_perCellChain.csv. "##" lines before the header are skipped. As scirpy:
// junction = CDR3_Nucleotide, junction_aa = CDR3_Translation,
// umi_count = Molecule_Count, consensus_count = Read_Count.
func ReadBD(r io.Reader, name string) ([]Chain, error) {
	t, err := newTable(r, name, ',', '#')
	if err != nil {
		return nil, err
	}
	col := func(f string) string {
		if !t.has(f) && t.has(f+"_Dominant") {
			return f + "_Dominant"
		}
		return f
	}
	if err := t.require("BD Rhapsody VDJ", "Cell_Index", "Chain_Type", col("V_gene"), col("J_gene"), col("CDR3_Nucleotide"),
		col("CDR3_Translation"), "Productive", "Read_Count", "Molecule_Count"); err != nil {
		return nil, err
	}
	var out []Chain
	for {
		if err := t.next(); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		c := Chain{Cell: t.str("Cell_Index"), SequenceID: t.str("Contig_ID"), VCall: t.str(col("V_gene")), DCall: t.str(col("D_gene")),
			JCall: t.str(col("J_gene")), CCall: t.str(col("C_gene")), Junction: t.str(col("CDR3_Nucleotide")),
			JunctionAA: t.str(col("CDR3_Translation")), IsCell: true, HighConfidence: true, DuplicateCount: -1}
		if c.Cell == "" {
			return nil, formats.Errorf(name, t.line, "column Cell_Index", "every contig needs its cell index", "empty Cell_Index")
		}
		ct := t.get("Chain_Type")
		loc, ok := bdLocus[ct]
		if !ok && !isNull(ct) {
			return nil, formats.Errorf(name, t.line, "column Chain_Type", "use TCR_Alpha/Beta/Gamma/Delta or BCR_Heavy/Kappa/Lambda", "unknown chain type %q", ct)
		}
		c.Locus = loc
		if c.Productive, err = t.boolean("Productive", false); err != nil {
			return nil, err
		}
		if c.UMICount, err = t.count("Molecule_Count"); err != nil {
			return nil, err
		}
		if c.ConsensusCount, err = t.count("Read_Count"); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
