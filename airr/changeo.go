package airr

import (
	"io"
	"strings"

	"github.com/lsc-bio/lsc/formats"
)

// ReadChangeO reads a Change-O .tab table (Change-O MakeDb, BraCeR's
// changeodb.tab): upper-case columns, CELL (or CELL_ID) for the cell. LOCUS
// given as one letter (BraCeR's H/K/L) is read as IGH/IGK/IGL; without a
// LOCUS column it is inferred from the calls. JUNCTION_AA is translated
// from JUNCTION when absent (scirpy's read_bracer). Counts: UMI_COUNT or
// DUPCOUNT, CONSCOUNT, TPM (as consensus_count, as scirpy).
func ReadChangeO(r io.Reader, name string) ([]Chain, error) {
	t, err := newTable(r, name, '\t', 0)
	if err != nil {
		return nil, err
	}
	if err := t.require("Change-O", "SEQUENCE_ID", "V_CALL", "J_CALL", "JUNCTION", "FUNCTIONAL"); err != nil {
		return nil, err
	}
	cellCol := "CELL"
	if !t.has(cellCol) {
		cellCol = "CELL_ID"
	}
	if err := t.require("Change-O (single-cell)", cellCol); err != nil {
		return nil, err
	}
	var out []Chain
	for {
		if err := t.next(); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		c := Chain{Cell: t.str(cellCol), SequenceID: t.str("SEQUENCE_ID"), VCall: t.str("V_CALL"), DCall: t.str("D_CALL"),
			JCall: t.str("J_CALL"), Junction: t.str("JUNCTION"), JunctionAA: t.str("JUNCTION_AA"), IsCell: true, HighConfidence: true}
		if cc := t.str("C_CALL"); cc != "" {
			c.CCall, _, _ = strings.Cut(cc, "*")
		}
		if c.Cell == "" {
			return nil, formats.Errorf(name, t.line, "column "+cellCol, "single-cell rearrangements need their cell", "empty cell")
		}
		switch l := t.str("LOCUS"); {
		case l == "H" || l == "K" || l == "L":
			c.Locus = "IG" + l
		case Arm(l) != "":
			c.Locus = l
		case !t.has("LOCUS"):
			c.Locus = InferLocus(c.VCall, c.DCall, c.JCall, c.CCall)
		}
		if c.JunctionAA == "" && c.Junction != "" {
			c.JunctionAA = Translate(c.Junction)
		}
		if c.Productive, err = t.boolean("FUNCTIONAL", false); err != nil {
			return nil, err
		}
		if c.UMICount, err = t.count("UMI_COUNT"); err != nil {
			return nil, err
		}
		if c.DuplicateCount, err = t.count("DUPCOUNT"); err != nil {
			return nil, err
		}
		cons := "CONSCOUNT"
		if !t.has(cons) {
			cons = "TPM"
		}
		if c.ConsensusCount, err = t.count(cons); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
