package airr

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/formats"
)

func TestDetect(t *testing.T) {
	cases := map[string]Format{
		"testdata/filtered_contig_annotations.csv":                                         Format10xCSV,
		"testdata/10k_BMMNC_5pv2_nextgem_Multiplex_vdj_t_all_contig_annotations_small.csv": Format10xCSV,
		"testdata/all_contig_annotations.json":                                             Format10xJSON,
		"testdata/rearrangement_ig.tsv":                                                    FormatAIRR,
		"testdata/tra_issue_280.tsv":                                                       FormatAIRR,
		"testdata/changeodb.tab":                                                           FormatChangeO,
		"testdata/test_per_cell_chain.csv":                                                 FormatBD,
		"testdata/test_unfiltered_contigs.csv":                                             FormatBD,
		"testdata/feature_reference.csv":                                                   FormatFeatureRef,
		"../../shared/testdata/vdj/scirpy/10x/vdj_nextgem_hs_pbmc3_t_filtered_contig_annotations.csv.gz": Format10xCSV,
		"../../shared/testdata/vdj/scirpy/bd/RhapVDJDemo_BCR_Dominant_Contigs.csv.gz":                    FormatBD,
		"../../shared/testdata/vdj/immunarch/sc/flu.csv.gz":                                              Format10xCSV,
	}
	for path, want := range cases {
		rc, err := formats.OpenText(path)
		if err != nil {
			if strings.Contains(path, "shared") {
				continue
			}
			t.Fatal(err)
		}
		head := make([]byte, 64<<10)
		n, _ := rc.Read(head)
		rc.Close()
		if got := Detect(head[:n]); got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
}

// Raw fields of the 10x CSV: "None" nulls, chain Multi without a locus,
// productive None read as false (scirpy's _is_true2).
func TestRead10xCSVFields(t *testing.T) {
	f, _ := os.Open("testdata/filtered_contig_annotations.csv")
	defer f.Close()
	ch, err := Read10xCSV(f, "f.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(ch) != 19 {
		t.Fatalf("%d contigs, file has 19", len(ch))
	}
	m := ch[1] // AAACCTGAGATAGCAT-1_contig_2: Multi, None
	if m.Locus != "" || m.VCall != "" || m.JCall != "TRAJ10" || m.Productive || m.JunctionAA != "" || m.Junction != "" || m.UMICount != 2 {
		t.Errorf("Multi contig %+v", m)
	}
	if !ch[0].Productive || ch[0].Locus != "TRB" || !ch[0].IsCell || !ch[0].HighConfidence {
		t.Errorf("first contig %+v", ch[0])
	}
}

func TestTranslate(t *testing.T) {
	// hand-checked against the standard code: TGT GCG ACG ATG ACG GGG GGT GAC CTT GAC TAC TGG
	cases := map[string]string{
		"TGTGCGACGATGACGGGGGGTGACCTTGACTACTGG": "CATMTGGDLDYW",
		"TAATAGTGA":                            "***",
		"TGNGC":                                "X",
		"":                                     "",
	}
	for nt, want := range cases {
		if got := Translate(nt); got != want {
			t.Errorf("Translate(%q) = %q, want %q", nt, got, want)
		}
	}
}

func TestFeatureReference(t *testing.T) {
	f, _ := os.Open("testdata/feature_reference.csv")
	defer f.Close()
	fr, err := ReadFeatureReference(f, "feature_reference.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(fr) != 3 || fr[0].ID != "CD269" || fr[0].Name != "BCMA_TotalSeqC" || fr[2].FeatureType != "Antibody Capture" {
		t.Errorf("%+v", fr)
	}
	// Grieb et al. 2023 panel (63 antibodies incl. CD269, CD38, CD319, FITC/PE controls)
	g, err := os.Open("../../shared/testdata/citeseq/grieb2023_myeloma_cart/feature_reference.csv")
	if err != nil {
		t.Skip("shared test data absent")
	}
	defer g.Close()
	fr, err = ReadFeatureReference(g, "grieb")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, x := range fr {
		ids[x.ID] = x.Name
	}
	if len(fr) != 63 || ids["CD269"] != "CD269_proteona" || ids["CD319"] != "CD319_proteona" || ids["PE"] != "PE_proteona" {
		t.Errorf("%d features; CD269=%q", len(fr), ids["CD269"])
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		read func(string) error
		in   string
		want string
	}{
		{func(s string) error { _, err := Read10xCSV(strings.NewReader(s), "x.csv"); return err },
			"barcode,contig_id,chain\nA,B,TRA\n", "required column(s) v_gene"},
		{func(s string) error { _, err := Read10xCSV(strings.NewReader(s), "x.csv"); return err },
			strings.Join(tenxColumns, ",") + "\nA-1,c1,TRA,V,,J,C,maybe,CA,TGT,1,1\n", "line 2 (column productive)"},
		{func(s string) error { _, err := Read10xCSV(strings.NewReader(s), "x.csv"); return err },
			strings.Join(tenxColumns, ",") + "\nA-1,c1,TRA,V,,J,C,True,CA,TGT,1,-3\n", "not a count"},
		{func(s string) error { _, err := ReadAIRR(strings.NewReader(s), "x.tsv"); return err },
			"sequence_id\tcell_id\tjunction\n", "AIRR Rearrangement: required column(s) sequence, rev_comp"},
		{func(s string) error { _, err := Read10xJSON(strings.NewReader(s), "x.json"); return err },
			`[{"barcode":"A","contig_name":"c"`, "malformed contig JSON"},
		{func(s string) error { _, err := ReadBD(strings.NewReader(s), "x.csv"); return err },
			"Cell_Index,Chain_Type,V_gene,J_gene,CDR3_Nucleotide,CDR3_Translation,Productive,Read_Count,Molecule_Count\n1,TCR_Zeta,V,J,TGT,C,True,1,1\n", "unknown chain type"},
		{func(s string) error {
			_, err := ReadFormat(Detect([]byte(s)), strings.NewReader(s), "x.txt")
			return err
		},
			"gene\tcell1\nA\t1\n", "not a receptor contig table"},
	}
	for i, c := range cases {
		err := c.read(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d: %v, want %q", i, err, c.want)
		}
		if _, ok := formats.AsParseError(err); err != nil && !ok {
			t.Errorf("case %d: not a ParseError: %v", i, err)
		}
	}
	_, err := Read10xCSV(strings.NewReader("barcode\n"), "x")
	if !errors.Is(err, ErrColumn) {
		t.Errorf("missing column error does not wrap ErrColumn: %v", err)
	}
}

// The larger real files read whole (scirpy's test_read_and_convert_10x_example).
func TestReadLarge(t *testing.T) {
	for path, n := range map[string]int{
		"../../shared/testdata/vdj/scirpy/10x/vdj_nextgem_hs_pbmc3_t_filtered_contig_annotations.csv.gz":                4004,
		"../../shared/testdata/vdj/scirpy/10x/sc5p_v2_hs_melanoma_10k_b_filtered_contig_annotations.csv.gz":             15079,
		"../../shared/testdata/vdj/scirpy/bd/RhapVDJDemo_BCR_Dominant_Contigs.csv.gz":                                   -1,
		"../../shared/testdata/vdj/scirpy/10x/10k_BMMNC_5pv2_nextgem_Multiplex_vdj_t_all_contig_annotations_small.json": -1,
		"../../shared/testdata/vdj/scirpy/airr/issue_625.tsv":                                                           158,
		"../../shared/testdata/vdj/immunarch/sc/flu.csv.gz":                                                             20000,
	} {
		if _, err := os.Stat(path); err != nil {
			t.Skip("shared test data absent")
		}
		_, ch, err := ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if n >= 0 && len(ch) != n {
			t.Errorf("%s: %d contigs, want %d", path, len(ch), n)
		}
		if len(ch) == 0 {
			t.Errorf("%s: nothing read", path)
		}
	}
}
