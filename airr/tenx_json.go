package airr

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/lsc-bio/lsc/formats"
)

type tenxContig struct {
	Barcode        *string  `json:"barcode"`
	ContigName     string   `json:"contig_name"`
	IsCell         *bool    `json:"is_cell"`
	HighConfidence *bool    `json:"high_confidence"`
	Productive     *bool    `json:"productive"`
	CDR3           *string  `json:"cdr3"`
	CDR3Seq        *string  `json:"cdr3_seq"`
	UMICount       *float64 `json:"umi_count"`
	ReadCount      *float64 `json:"read_count"`
	Annotations    []struct {
		Feature struct {
			Chain      string `json:"chain"`
			GeneName   string `json:"gene_name"`
			RegionType string `json:"region_type"`
		} `json:"feature"`
	} `json:"annotations"`
}

// Read10xJSON reads Cell Ranger's all_contig_annotations.json, streaming
// contig by contig. Gene calls come from the annotations (L-REGION+V-REGION,
// D-REGION, J-REGION, C-REGION); the locus is the annotations' chain when
// they all agree, else "" (as scirpy).
func Read10xJSON(r io.Reader, name string) ([]Chain, error) {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonErr(name, dec, 0, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, formats.Errorf(name, 0, "offset 0", "give all_contig_annotations.json as Cell Ranger wrote it", "not a JSON array of contigs")
	}
	var out []Chain
	for i := 0; dec.More(); i++ {
		var c tenxContig
		if err := dec.Decode(&c); err != nil {
			return nil, jsonErr(name, dec, i, err)
		}
		if c.Barcode == nil || *c.Barcode == "" {
			return nil, formats.Errorf(name, 0, fmt.Sprintf("contig %d", i+1), "every contig needs its barcode", "no barcode")
		}
		ch := Chain{Cell: *c.Barcode, SequenceID: c.ContigName, IsCell: c.IsCell != nil && *c.IsCell,
			HighConfidence: c.HighConfidence != nil && *c.HighConfidence, Productive: c.Productive != nil && *c.Productive,
			UMICount: num(c.UMICount), ConsensusCount: num(c.ReadCount), DuplicateCount: -1}
		if c.CDR3 != nil {
			ch.JunctionAA = nullable(*c.CDR3)
		}
		if c.CDR3Seq != nil {
			ch.Junction = nullable(*c.CDR3Seq)
		}
		locus, agree, seen := "", true, false
		for _, a := range c.Annotations {
			f := a.Feature
			var dst *string
			switch f.RegionType {
			case "L-REGION+V-REGION":
				dst = &ch.VCall
			case "D-REGION":
				dst = &ch.DCall
			case "J-REGION":
				dst = &ch.JCall
			case "C-REGION":
				dst = &ch.CCall
			default:
				continue
			}
			*dst = f.GeneName
			if !seen {
				locus, seen = f.Chain, true
			} else if f.Chain != locus {
				agree = false
			}
		}
		if agree && Arm(locus) != "" {
			ch.Locus = locus
		}
		out = append(out, ch)
	}
	if _, err := dec.Token(); err != nil {
		return nil, jsonErr(name, dec, len(out), err)
	}
	return out, nil
}

func num(p *float64) float64 {
	if p == nil || *p < 0 {
		return -1
	}
	return *p
}

func jsonErr(name string, dec *json.Decoder, i int, err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return &formats.ParseError{File: name, Where: fmt.Sprintf("contig %d, byte %d", i+1, dec.InputOffset()),
		Reason: "malformed contig JSON", Hint: "give all_contig_annotations.json as Cell Ranger wrote it (not truncated)", Err: err}
}
