package study

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A sheet written here: relative paths resolve from the sheet's folder,
// timepoints order diagnosis, days, remission, relapse, and a patient
// without diagnosis is an error naming its line.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x.tsv"), []byte("gene\tc\nA\t1\n"), 0o644)
	sheet := filepath.Join(dir, "s.csv")
	os.WriteFile(sheet, []byte("sample;patient;timepoint;path;celltype_column\nS3;P1;relapse;x.tsv;\nS1;P1;diagnosis;x.tsv;\nS2;P1;day29;x.tsv;cell_type\n"), 0o644)
	st, err := Read(sheet, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Samples) != 3 || st.Samples[0].Path != filepath.Join(dir, "x.tsv") || st.Samples[1].Line != 3 {
		t.Fatalf("%+v", st.Samples)
	}
	s := st.Samples
	if !Less(s[1].Timepoint, s[2].Timepoint) || !Less(s[2].Timepoint, s[0].Timepoint) || !s[0].Timepoint.IsRelapse() {
		t.Errorf("timepoint order: %+v", s)
	}
	st.DefaultTypeColumn("CellType")
	if st.Samples[0].TypeColumn != "CellType" || st.Samples[2].TypeColumn != "cell_type" {
		t.Errorf("default cell-type column: %+v", st.Samples)
	}
	os.WriteFile(sheet, []byte("sample,patient,timepoint,path\nS1,P1,diagnosis,x.tsv\nS2,P2,relapse,x.tsv\n"), 0o644)
	if _, err := Read(sheet, true); err == nil || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), "patient P2 has no diagnosis sample") {
		t.Errorf("no diagnosis: %v", err)
	}
}

// Checksum is the SHA-256 of the file's bytes (the expectation: sha256sum of
// "abc\n", edeaaff3...); an unreadable path gives "".
func TestChecksum(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte("abc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := Checksum(p), "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb"; got != want {
		t.Fatalf("Checksum: %s, want %s", got, want)
	}
	if got := Checksum(filepath.Join(t.TempDir(), "missing")); got != "" {
		t.Fatalf("missing file: %q", got)
	}
}
