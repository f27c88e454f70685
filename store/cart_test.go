package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// An lsc cart run folder imports as timeline series: car_fraction with its
// counts and interval, clonal_shannon and top_clone_share; an empty value
// (sample without contigs) is skipped. The values are the TSV's.
func TestImportCart(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		dir := t.TempDir()
		tsv := "sample\tpatient\ttimepoint\tgroup\tcells\tcar_pos\tcar_fraction\tcar_lower95\tcar_upper95\tcd4\tcd4_car\tcd8\tcd8_car\treceptor_cells\tjoined\tjoin_rule\tclonotypes\tshannon\tnormalized_shannon\tshannon_cd4\tshannon_cd8\ttop_share\texpanded_share\tcar_clonotypes\n" +
			"S1\tP1\td28\tCR\t6\t3\t0.5\t0.1876\t0.8124\t2\t1\t2\t2\t5\t5\texact\t5\t1.6094379124341003\t1\t0\t0.6931\t1\t0\t2\n" +
			"S2\tP1\tapheresis\tCR\t6\t1\t0.16666666666666666\t0.03\t0.56\t2\t1\t1\t0\t0\t0\t\t0\t\t\t\t\t\t\t0\n"
		os.WriteFile(filepath.Join(dir, "samples.tsv"), []byte(tsv), 0o666)
		os.WriteFile(filepath.Join(dir, "run.json"), []byte(`{"lsc_version":"test","samples":[{"sample":"S1","patient":"P1","timepoint":"d28"}]}`), 0o666)
		r, err := st.ImportRun(context.Background(), "", dir, ImportOptions{})
		if err != nil || r.Results != 4 {
			t.Fatalf("%v %+v", err, r)
		}
		var v float64
		var n, k int64
		st.DB().QueryRow("SELECT value, n, k FROM results WHERE metric = 'car_fraction' AND value > 0.4").Scan(&v, &n, &k)
		if v != 0.5 || n != 6 || k != 3 {
			t.Errorf("car_fraction %v %d/%d", v, n, k)
		}
		st.DB().QueryRow("SELECT value FROM results WHERE metric = 'clonal_shannon'").Scan(&v)
		if v != 1.6094379124341003 {
			t.Errorf("shannon %v", v)
		}
	})
}

// states.tsv and plasma.tsv of an lsc cart folder import as
// tcell_state:NAME (t_group T rows only; empty fractions skipped) and
// plasma_clr:PROTEIN series; the values are the TSVs'.
func TestImportCartStatesPlasma(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		dir := t.TempDir()
		samples := "sample\tpatient\ttimepoint\tgroup\tcells\tcar_pos\tcar_fraction\tcar_lower95\tcar_upper95\tshannon\ttop_share\n" +
			"S1\tP1\td28\tCR\t6\t3\t0.5\t0.1876\t0.8124\t\t\n"
		states := "sample\tpatient\ttimepoint\tgroup\tt_group\tstate\tcells\tt_cells\tfraction\tmean_score\n" +
			"S1\tP1\td28\tCR\tT\tTCELL_NAIVE_LIKE\t3\t4\t0.75\t0.4\n" +
			"S1\tP1\td28\tCR\tCD4\tTCELL_NAIVE_LIKE\t1\t1\t1\t0.4\n" +
			"S1\tP1\td28\tCR\tCD8\tTCELL_NAIVE_LIKE\t0\t0\t\t\n"
		plasma := "sample\tpatient\ttimepoint\tgroup\tprotein\tantibody\tplasma_cells\tmean_clr\n" +
			"S1\tP1\td28\tCR\tCD269\tCD269_proteona\t2\t0.27980789\n" +
			"S1\tP1\td28\tCR\tCD38\tCD38_proteona\t0\t\n"
		for f, s := range map[string]string{"samples.tsv": samples, "states.tsv": states, "plasma.tsv": plasma} {
			os.WriteFile(filepath.Join(dir, f), []byte(s), 0o666)
		}
		os.WriteFile(filepath.Join(dir, "run.json"), []byte(`{"lsc_version":"test"}`), 0o666)
		r, err := st.ImportRun(context.Background(), "", dir, ImportOptions{})
		if err != nil || r.Results != 3 {
			t.Fatalf("%v %+v", err, r)
		}
		var v float64
		var n, k int64
		st.DB().QueryRow("SELECT value, n, k FROM results WHERE metric = 'tcell_state:TCELL_NAIVE_LIKE'").Scan(&v, &n, &k)
		if v != 0.75 || n != 4 || k != 3 {
			t.Errorf("state %v %d/%d", v, n, k)
		}
		var unit string
		st.DB().QueryRow("SELECT value, n, unit FROM results WHERE metric = 'plasma_clr:CD269'").Scan(&v, &n, &unit)
		if v != 0.27980789 || n != 2 || unit != "CLR" {
			t.Errorf("plasma %v %d %s", v, n, unit)
		}
	})
}
