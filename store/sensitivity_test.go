package store

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// lsc mrd assess writes each qPCR row's sample level and detection limit
// (measurements.tsv sample_percent, detection_limit); the store keeps them
// (migration 0003), the cohort table shows them and an archive carries
// them. Expected values are hand-derived from mrd/testdata/measurements.csv
// (mrd/testdata/README.md, Cross et al. 2015: replicates summed):
// P4 2022-01-01 0/6,000 + 0/6,000 ABL1 = undetectable, limit 100/12,000 %;
// P4 2022-02-01 1/20,000 + 0/20,000 = 0.0025 % for both rows, limit 100/40,000 %;
// P2 2016-01-01 0/40,000 = undetectable, limit 0.0025 %.
func TestMRDSensitivity(t *testing.T) {
	backends(t, func(t *testing.T, st Store, addr string) {
		ctx := context.Background()
		if _, err := st.ImportRun(ctx, "", filepath.Join("testdata", "study", "mrd"), ImportOptions{User: "t"}); err != nil {
			t.Fatal(err)
		}
		check := func(st Store, what string) {
			tab, err := st.Table(ctx, DefaultStudy, TableQuery{Metric: "is_percent"})
			if err != nil {
				t.Fatal(err)
			}
			col := map[string]int{}
			for i, h := range tab.Header {
				col[h] = i
			}
			got := map[string][]string{}
			for _, r := range tab.Rows {
				k := r[col["patient"]] + " " + r[col["date"]]
				got[k] = append(got[k], r[col["value"]]+"/"+r[col["sample_value"]]+"/"+r[col["detection_limit"]])
			}
			want := map[string]string{
				"P4 2022-01-01": "0/0/0.008333333333333333 0/0/0.008333333333333333",
				"P4 2022-02-01": "0.005/0.0025/0.0025 0/0.0025/0.0025",
				"P2 2016-01-01": "0/0/0.0025",
				"P2 2014-04-01": "5/5/0.01",
			}
			for k, w := range want {
				sort.Strings(got[k]) // replicate rows of one day: any order
				if g := strings.Join(got[k], " "); g != w {
					t.Errorf("%s: %s value/sample_value/detection_limit %q, want %q", what, k, g, w)
				}
			}
		}
		check(st, "import")
		dir := filepath.Join(t.TempDir(), "arch")
		if err := st.Export(ctx, "", dir, ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(filepath.Join(dir, "results.tsv"))
		if !strings.Contains(strings.SplitN(string(b), "\n", 2)[0], "\tdetection_limit\tsample_value") {
			t.Errorf("archive results.tsv header lacks the sensitivity: %.300s", b)
		}
		fresh := openStore(t, filepath.Join(t.TempDir(), "fresh.db"))
		if _, err := fresh.ImportArchive(ctx, dir); err != nil {
			t.Fatal(err)
		}
		check(fresh, "archive")
	})
}
