package airr

import "strings"

// Translate turns a nucleotide junction into amino acids with the standard
// genetic code (NCBI table 1): stop codons as '*', codons with ambiguous
// bases as 'X', a trailing partial codon dropped (as Biopython's
// Seq.translate, which scirpy uses).
func Translate(nt string) string {
	nt = strings.ToUpper(nt)
	var b strings.Builder
	for i := 0; i+3 <= len(nt); i += 3 {
		b.WriteByte(codon(nt[i : i+3]))
	}
	return b.String()
}

const bases = "TCAG"

// aaTable is NCBI table 1 in TCAG order (first base slowest).
const aaTable = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"

func codon(c string) byte {
	idx := 0
	for i := 0; i < 3; i++ {
		k := strings.IndexByte(bases, c[i])
		if k < 0 {
			if c[i] == 'U' {
				k = 0
			} else {
				return 'X'
			}
		}
		idx = idx*4 + k
	}
	return aaTable[idx]
}
