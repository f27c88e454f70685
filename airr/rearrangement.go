package airr

import (
	"io"

	"github.com/lsc-bio/lsc/formats"
)

// RequiredFields are the fields the AIRR Rearrangement schema (v1.3-v1.5,
// and the 2.0 draft) marks as required; a file without one of them in its
// header is not an AIRR Rearrangement file.
var RequiredFields = []string{"sequence_id", "sequence", "rev_comp", "productive", "v_call", "d_call",
	"j_call", "sequence_alignment", "germline_alignment", "junction", "junction_aa", "v_cigar", "d_cigar", "j_cigar"}

// ReadAIRR reads an AIRR Rearrangement TSV. The required fields must be in
// the header, and cell_id too (lsc works per cell). A missing locus column
// is inferred per row from the gene calls (scirpy's infer_locus).
func ReadAIRR(r io.Reader, name string) ([]Chain, error) {
	t, err := newTable(r, name, '\t', 0)
	if err != nil {
		return nil, err
	}
	if err := t.require("AIRR Rearrangement", RequiredFields...); err != nil {
		return nil, err
	}
	if err := t.require("AIRR Rearrangement (single-cell)", "cell_id"); err != nil {
		return nil, err
	}
	var out []Chain
	for {
		if err := t.next(); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		c := Chain{Cell: t.str("cell_id"), SequenceID: t.str("sequence_id"), VCall: t.str("v_call"), DCall: t.str("d_call"),
			JCall: t.str("j_call"), CCall: t.str("c_call"), Junction: t.str("junction"), JunctionAA: t.str("junction_aa")}
		if c.Cell == "" {
			return nil, formats.Errorf(name, t.line, "column cell_id", "single-cell rearrangements need their cell_id", "empty cell_id")
		}
		if t.has("locus") {
			if Arm(t.get("locus")) != "" {
				c.Locus = t.get("locus")
			}
		} else {
			c.Locus = InferLocus(c.VCall, c.DCall, c.JCall, c.CCall)
		}
		if c.Productive, err = t.boolean("productive", false); err != nil {
			return nil, err
		}
		if c.IsCell, err = t.boolean("is_cell", true); err != nil {
			return nil, err
		}
		c.HighConfidence = true
		if c.UMICount, err = t.count("umi_count"); err != nil {
			return nil, err
		}
		if c.DuplicateCount, err = t.count("duplicate_count"); err != nil {
			return nil, err
		}
		if c.ConsensusCount, err = t.count("consensus_count"); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
