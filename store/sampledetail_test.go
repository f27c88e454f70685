package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A sample with every result and the columns of its output rows; the
// samples a run measured; a run's samples/ pages kept without changing
// the run id. Expected values are the fixture's (testdata/study/flow/
// compartments.tsv: P2-BM-2016 has 4 measured compartments, each with
// percent_parent and percent_total; mrd/measurements.tsv lines 17-18).
func TestSampleDetails(t *testing.T) {
	backends(t, func(t *testing.T, st Store, addr string) {
		ctx := context.Background()
		flow := t.TempDir()
		for _, n := range []string{"run.json", "compartments.tsv"} {
			b, _ := os.ReadFile(filepath.Join("testdata", "study", "flow", n))
			os.WriteFile(filepath.Join(flow, n), b, 0o644)
		}
		plain, err := readRun(flow)
		if err != nil {
			t.Fatal(err)
		}
		os.Mkdir(filepath.Join(flow, "samples"), 0o755)
		os.WriteFile(filepath.Join(flow, "samples", "P2-BM-2016.html"), []byte("<svg></svg>"), 0o644)
		os.WriteFile(filepath.Join(flow, "samples", "notes.txt"), []byte("not a page"), 0o644)
		for _, d := range []string{flow, filepath.Join("testdata", "study", "mrd")} {
			if _, err := st.ImportRun(ctx, "", d, ImportOptions{User: "t"}); err != nil {
				t.Fatal(err)
			}
		}
		runs, _ := st.Runs(ctx, "")
		var fr *Run
		for _, r := range runs {
			if r.Kind == "flow_compartments" {
				fr, _ = st.Run(ctx, r.ID)
			}
		}
		if fr == nil || fr.ID != plain.run.ID {
			t.Fatalf("flow run id changed by its samples/ pages: %v vs %s", fr, plain.run.ID)
		}
		var names []string
		for _, f := range fr.Files {
			names = append(names, f.Name)
		}
		if strings.Join(names, " ") != "compartments.tsv run.json samples/P2-BM-2016.html" {
			t.Errorf("files kept %q", names)
		}
		if p := st.FilePath(fr.Files[2].SHA256); p != "" {
			if b, err := os.ReadFile(p); err != nil || string(b) != "<svg></svg>" {
				t.Errorf("stored page %q %v", b, err)
			}
		}
		ds, err := st.SampleDetails(ctx, "", "", "P2-BM-2016")
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 || ds[0].Patient != "P2" || len(ds[0].Results) != 8 || ds[0].Results[0].Fields["population"] != "/blasts" || ds[0].Results[0].Line != 2 {
			t.Errorf("flow sample %+v", ds)
		}
		ds, err = st.SampleDetails(ctx, "", "P4", "2022-01-01 PB")
		if err != nil {
			t.Fatal(err)
		}
		r := ds[0].Results
		if len(r) != 2 || r[0].Line != 17 || r[1].Line != 18 || r[0].Fields["replicate"] != "1" || *r[0].DetectionLimit != 100.0/12000 || *r[1].SampleValue != 0 {
			t.Errorf("MRD sample %+v", ds)
		}
		if _, err := st.SampleDetails(ctx, "", "P2", "2022-01-01 PB"); err == nil || !strings.Contains(err.Error(), "not found") {
			t.Errorf("another patient's sample: %v", err)
		}
		ss, err := st.RunSamples(ctx, fr.ID, Page{})
		if err != nil || len(ss) != 1 || ss[0].Name != "P2-BM-2016" || ss[0].Results != 8 {
			t.Errorf("run samples %+v %v", ss, err)
		}
		var mr string
		for _, r := range runs {
			if r.Kind == "mrd" {
				mr = r.ID
			}
		}
		ss, err = st.RunSamples(ctx, mr, Page{Offset: 1, Limit: 2}) // Chu's 9 samples come first, by name
		if err != nil || len(ss) != 2 || ss[0].Patient != "Chu" || ss[0].Name != "2005-01-01 CD34+CD38-" || ss[1].Name != "2005-01-01 PB" {
			t.Errorf("run samples, page 2 of 2: %+v %v", ss, err)
		}
	})
}
