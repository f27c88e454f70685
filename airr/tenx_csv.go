package airr

import (
	"io"

	"github.com/lsc-bio/lsc/formats"
)

// tenxColumns are the columns of filtered_/all_contig_annotations.csv that
// every Cell Ranger version from 3.0 to 8 writes (later versions add
// fwr/cdr regions and exact_subclonotype_id, which are not needed here).
var tenxColumns = []string{"barcode", "contig_id", "chain", "v_gene", "d_gene", "j_gene", "c_gene",
	"productive", "cdr3", "cdr3_nt", "reads", "umis"}

// Read10xCSV reads a Cell Ranger contig annotation table (filtered or all
// contigs). Every contig is returned, including chain "Multi" (locus "")
// and contigs with is_cell or high_confidence false; an optional "sample"
// column (immunarch's merged files) fills Chain.Sample.
func Read10xCSV(r io.Reader, name string) ([]Chain, error) {
	t, err := newTable(r, name, ',', 0)
	if err != nil {
		return nil, err
	}
	if err := t.require("10x contig annotations", tenxColumns...); err != nil {
		return nil, err
	}
	var out []Chain
	for {
		if err := t.next(); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		c := Chain{Cell: t.str("barcode"), SequenceID: t.str("contig_id"), Sample: t.str("sample"),
			VCall: t.str("v_gene"), DCall: t.str("d_gene"), JCall: t.str("j_gene"), CCall: t.str("c_gene"),
			JunctionAA: t.str("cdr3"), Junction: t.str("cdr3_nt"), DuplicateCount: -1}
		if c.Cell == "" {
			return nil, formats.Errorf(name, t.line, "column barcode", "every contig needs its cell barcode", "empty barcode")
		}
		if Arm(t.get("chain")) != "" {
			c.Locus = t.get("chain")
		}
		if c.Productive, err = t.boolean("productive", false); err != nil {
			return nil, err
		}
		if c.IsCell, err = t.boolean("is_cell", true); err != nil {
			return nil, err
		}
		if c.HighConfidence, err = t.boolean("high_confidence", true); err != nil {
			return nil, err
		}
		if c.UMICount, err = t.count("umis"); err != nil {
			return nil, err
		}
		if c.ConsensusCount, err = t.count("reads"); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
