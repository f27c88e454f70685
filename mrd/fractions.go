package mrd

import "strings"

// Which fractions are blood (for milestones) and which are stem cells (for
// the persistence flag): the Params lists when given, else the defaults
// documented on Params.

var fractionSpaces = strings.NewReplacer(" ", "", "_", "", ".", "")

func normFraction(s string) string { return strings.ToUpper(fractionSpaces.Replace(s)) }

// IsBlood reports whether a fraction name is blood under p.
func (p Params) IsBlood(f string) bool {
	n := normFraction(f)
	if len(p.BloodFractions) > 0 {
		for _, b := range p.BloodFractions {
			if normFraction(b) == n {
				return true
			}
		}
		return false
	}
	switch strings.ReplaceAll(n, "-", "") {
	case "PB", "BLOOD", "PERIPHERALBLOOD", "PBMNC", "PBL", "WBC", "WHOLEBLOOD":
		return true
	}
	return false
}

// IsStem reports whether a fraction name is a stem-cell fraction under p.
func (p Params) IsStem(f string) bool {
	n := normFraction(f)
	if len(p.StemFractions) > 0 {
		for _, s := range p.StemFractions {
			if normFraction(s) == n {
				return true
			}
		}
		return false
	}
	for _, pat := range []string{"CD38-", "CD38LOW", "CD38NEG", "CD38DIM", "CD90+", "LSC", "HSC"} {
		if strings.Contains(n, pat) {
			return true
		}
	}
	return false
}
