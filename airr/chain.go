package airr

import "strings"

// Chain is one contig (one AIRR rearrangement) of one cell.
type Chain struct {
	Cell       string // cell barcode / cell_id
	Sample     string // filled by the caller when several samples are read
	SequenceID string
	Locus      string // TRA TRB TRG TRD IGH IGK IGL, or "" when unknown ("Multi", None)
	VCall      string
	DCall      string
	JCall      string
	CCall      string
	Junction   string // nucleotides, "" when null
	JunctionAA string // amino acids, "" when null
	Productive bool
	// Counts; -1 when the file has no value.
	UMICount       float64
	DuplicateCount float64
	ConsensusCount float64 // reads (10x) or TPM (BraCeR)
	// 10x cell calls; true when the file has no such column.
	IsCell         bool
	HighConfidence bool
}

// VJ loci pair with VDJ loci (scirpy's receptor model).
var (
	VJLoci  = []string{"TRA", "TRG", "IGK", "IGL"}
	VDJLoci = []string{"TRB", "TRD", "IGH"}
)

// Arm says whether locus is a VJ (light/alpha/gamma) or VDJ
// (heavy/beta/delta) chain: "VJ", "VDJ", or "" for an unknown locus.
func Arm(locus string) string {
	switch locus {
	case "TRA", "TRG", "IGK", "IGL":
		return "VJ"
	case "TRB", "TRD", "IGH":
		return "VDJ"
	}
	return ""
}

// isNull reports the spellings of a missing value that pandas (and so
// scirpy) read as NA, plus the 10x "None".
func isNull(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "None", "NA", "N/A", "nan", "NaN", "null", "NULL", "<NA>", "n/a", "#N/A":
		return true
	}
	return false
}

func nullable(s string) string {
	if isNull(s) {
		return ""
	}
	return s
}

// parseBool reads True/False in the spellings the tools write (10x
// True/False, AIRR T/F, R TRUE/FALSE, 1/0). Null is false, ok=true.
func parseBool(s string) (v, ok bool) {
	switch strings.TrimSpace(s) {
	case "True", "TRUE", "true", "T", "t", "1":
		return true, true
	case "False", "FALSE", "false", "F", "f", "0":
		return false, true
	}
	if isNull(s) {
		return false, true
	}
	return false, false
}

// InferLocus guesses the locus from the gene calls as scirpy does: all the
// present calls must name the same locus; TRAV.../DV V genes are skipped
// (they may pair with a delta chain).
func InferLocus(v, d, j, c string) string {
	var genes []string
	for i, g := range []string{v, d, j, c} {
		if g == "" {
			continue
		}
		lg := strings.ToLower(g)
		if i == 0 && strings.HasPrefix(lg, "trav") && strings.Contains(lg, "/dv") {
			continue
		}
		genes = append(genes, lg)
	}
	if len(genes) == 0 {
		return ""
	}
	for _, loc := range []string{"TRA", "TRB", "TRD", "TRG", "IGH", "IGK", "IGL"} {
		l := strings.ToLower(loc)
		all := true
		for _, g := range genes {
			if !strings.Contains(g, l) {
				all = false
				break
			}
		}
		if all {
			return loc
		}
	}
	return ""
}

// Seq returns the junction in nucleotides ("nt") or amino acids ("aa").
func (c *Chain) Seq(kind string) string {
	if kind == "aa" {
		return c.JunctionAA
	}
	return c.Junction
}
