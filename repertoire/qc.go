package repertoire

// classify sets receptor_type, receptor_subtype and chain_pairing as
// scirpy's tl.chain_qc, from the loci of the indexed chains.
func classify(c *Cell) {
	has := map[string]bool{}
	for _, ch := range c.VJ {
		if ch != nil {
			has[ch.Locus] = true
		}
	}
	for _, ch := range c.VDJ {
		if ch != nil {
			has[ch.Locus] = true
		}
	}
	hasTR := has["TRA"] || has["TRG"] || has["TRB"] || has["TRD"]
	hasIG := has["IGK"] || has["IGL"] || has["IGH"]
	switch {
	case !c.HasIR():
		c.ReceptorType, c.ReceptorSubtype, c.ChainPairing = "no IR", "no IR", "no IR"
		return
	case c.Multichain:
		c.ReceptorType, c.ReceptorSubtype, c.ChainPairing = "multichain", "multichain", "multichain"
		return
	case hasTR && !hasIG:
		c.ReceptorType = "TCR"
	case hasIG && !hasTR:
		c.ReceptorType = "BCR"
	default:
		c.ReceptorType = "ambiguous"
	}
	c.ReceptorSubtype = "ambiguous"
	switch {
	case has["IGL"] && has["IGK"] && !hasTR && has["IGH"]:
		c.ReceptorSubtype = "IGH+IGK/L"
	case has["IGK"] && !hasTR && !has["IGL"]:
		c.ReceptorSubtype = "IGH+IGK"
	case has["IGL"] && !hasTR && !has["IGK"]:
		c.ReceptorSubtype = "IGH+IGL"
	case has["IGH"] && !has["IGK"] && !has["IGL"] && !hasTR:
		c.ReceptorSubtype = "IGH"
	case (has["TRG"] || has["TRD"]) && !(has["TRA"] || has["TRB"] || hasIG):
		c.ReceptorSubtype = "TRG+TRD"
	case (has["TRA"] || has["TRB"]) && !(has["TRG"] || has["TRD"] || hasIG):
		c.ReceptorSubtype = "TRA+TRB"
	}
	vj1, vdj1, vj2, vdj2 := c.VJ[0] != nil, c.VDJ[0] != nil, c.VJ[1] != nil, c.VDJ[1] != nil
	switch {
	case c.ReceptorSubtype == "ambiguous":
		c.ChainPairing = "ambiguous"
	case vj1 && vdj1 && vj2 && vdj2:
		c.ChainPairing = "two full chains"
	case vj1 && vdj1 && vdj2:
		c.ChainPairing = "extra VDJ"
	case vj1 && vdj1 && vj2:
		c.ChainPairing = "extra VJ"
	case vj1 && vdj1:
		c.ChainPairing = "single pair"
	case vdj1:
		c.ChainPairing = "orphan VDJ"
	default:
		c.ChainPairing = "orphan VJ"
	}
}
