package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/store"
)

// readTSV splits a TSV by hand (independent of the store's reader).
func readTSV(t *testing.T, path string, comma string) (map[string]int, [][]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	col := map[string]int{}
	for i, h := range strings.Split(lines[0], comma) {
		col[h] = i
	}
	var rows [][]string
	for _, l := range lines[1:] {
		rows = append(rows, strings.Split(l, comma))
	}
	return col, rows
}

func numEq(src string, got *float64) bool {
	if src == "" {
		return got == nil
	}
	v, err := strconv.ParseFloat(src, 64)
	return err == nil && got != nil && v == *got
}

// timelineJSON runs lsc study timeline --json and decodes it.
func timelineJSON(t *testing.T, db, patient string) store.Timeline {
	t.Helper()
	code, out, errs := runLSC(t, "study", "timeline", "--db", db, "--patient", patient, "--json")
	if code != 0 {
		t.Fatalf("timeline %s: %d %s", patient, code, errs)
	}
	var tl store.Timeline
	if err := json.Unmarshal([]byte(out), &tl); err != nil {
		t.Fatal(err)
	}
	return tl
}

// findPoint returns the timeline point of a sample in a series whose value
// equals src, or the first point of the sample.
func findPoint(tl store.Timeline, metric, target, sample, src string) (*store.Point, store.Series) {
	var first *store.Point
	var fs store.Series
	for _, s := range tl.Series {
		if s.Metric != metric || s.Target != target {
			continue
		}
		for i := range s.Points {
			p := &s.Points[i]
			if p.Sample != sample {
				continue
			}
			if numEq(src, p.Value) {
				return p, s
			}
			if first == nil {
				first, fs = p, s
			}
		}
	}
	return first, fs
}

// The Checks: a real study built in the test — the five van Galen
// AML samples through lsc stemcells, the MRD example through lsc mrd assess,
// flow compartments on a real FCS file, a bulk cohort through lsc cohort, and
// the 949-patient Zeng 2022 clinical table as patients and events. Every
// timeline value equals the source outputs field for field.
func TestStudyRealData(t *testing.T) {
	shared, _ := filepath.Abs("../../../shared/testdata")
	vg := filepath.Join(shared, "leukemia/vangalen2019_GSE116256")
	zeng := filepath.Join(shared, "leukemia/amlhierarchies_zeng2022/Survival_Hierarchy_TCGA_BEAT_GSE6891.csv")
	if _, err := os.Stat(vg); err != nil {
		t.Skip("../shared/testdata absent")
	}
	dir := t.TempDir()
	var sheet strings.Builder
	sheet.WriteString("sample\tpatient\ttimepoint\tdate\ttissue\tpath\tannotation\tcelltype_column\n")
	for i, s := range [][3]string{{"927", "AML314", "2011-03-02"}, {"950", "AML419A", "2012-05-14"}, {"980", "AML722B", "2013-01-09"}, {"984", "AML870", "2013-07-22"}, {"992", "AML997", "2014-02-03"}} {
		n, _ := strconv.Atoi(s[0])
		fmt.Fprintf(&sheet, "%s-D0\t%s\tdiagnosis\t%s\tBM\t%s/GSM3587%d_%s-D0.dem.txt.gz\t%s/GSM3587%d_%s-D0.anno.txt.gz\tCellType\n", s[1], s[1], s[2], vg, n, s[1], vg, n+1, s[1])
		_ = i
	}
	os.WriteFile(filepath.Join(dir, "vg.tsv"), []byte(sheet.String()), 0o666)
	os.WriteFile(filepath.Join(dir, "flow.tsv"), []byte("sample\tpatient\ttimepoint\tdate\ttissue\tfraction\tpath\n"+
		"P2-BM\tP2\tday730\t2016-01-01\tBM\tMNC\t"+filepath.Join(shared, "flow/fcsparser/FACS_Diva/facs_diva_test.fcs")+"\n"), 0o666)
	stem, mrdOut, flowOut, coh := filepath.Join(dir, "stem"), filepath.Join(dir, "mrd"), filepath.Join(dir, "flow"), filepath.Join(dir, "cohort")
	for _, args := range [][]string{
		{"stemcells", "--samples", filepath.Join(dir, "vg.tsv"), "-s", "LSPC-Quiescent", "--keep", "*-like", "--out", stem, "-q"},
		{"mrd", "assess", "--data", "../../mrd/testdata/measurements.csv", "--patients", "../../mrd/testdata/patients.csv", "--out", mrdOut},
		{"flow", "compartments", "--samples", filepath.Join(dir, "flow.tsv"), "--out", flowOut},
		{"cohort", "--expression", "../../cohort/testdata/expr.tsv", "--clinical", "../../cohort/testdata/clinical.csv", "--signature", "LSC17",
			"--time", "os", "--event", "os_event", "--out", coh},
	} {
		if code, _, errs := runLSC(t, args...); code != 0 {
			t.Fatalf("%v: %s", args, errs)
		}
	}
	db := filepath.Join(dir, "study.db")
	if code, _, errs := runLSC(t, "study", "init", "--db", db); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := runLSC(t, "study", "import", "--db", db, "--patients", "../../mrd/testdata/patients.csv", stem, mrdOut, flowOut, coh); code != 0 {
		t.Fatal(errs)
	}
	// lsc stemcells: fraction, Wilson interval, risk group, date from the sheet.
	c, rows := readTSV(t, filepath.Join(stem, "samples.tsv"), "\t")
	dates := map[string]string{"AML314-D0": "2011-03-02", "AML419A-D0": "2012-05-14", "AML722B-D0": "2013-01-09", "AML870-D0": "2013-07-22", "AML997-D0": "2014-02-03"}
	for _, r := range rows {
		tl := timelineJSON(t, db, r[c["patient"]])
		p, _ := findPoint(tl, "stem_like_fraction", "LSPC-Quiescent", r[c["sample"]], r[c["fraction"]])
		if p == nil || !numEq(r[c["fraction"]], p.Value) || !numEq(r[c["lower95"]], p.Lower) || !numEq(r[c["upper95"]], p.Upper) ||
			p.Label != r[c["risk_group"]] || p.Date == nil || *p.Date != dates[r[c["sample"]]] {
			t.Errorf("stemcells %v: timeline %+v", r, p)
		}
	}
	// lsc mrd assess: IS % (else ratio %) with the response; FISH clone % with its interval.
	c, rows = readTSV(t, filepath.Join(mrdOut, "measurements.tsv"), "\t")
	for _, r := range rows {
		tl := timelineJSON(t, db, r[c["patient"]])
		sample := r[c["date"]] + " " + r[c["fraction"]]
		metric, target, v, lo, hi := "is_percent", r[c["target"]], r[c["is_percent"]], "", ""
		if r[c["assay"]] == "fish" {
			metric, target, v, lo, hi = "clone_fraction", r[c["probe"]], r[c["clone_percent"]], r[c["clone_lower95"]], r[c["clone_upper95"]]
		} else if v == "" {
			metric, v = "ratio_percent", r[c["ratio_percent"]]
		}
		p, s := findPoint(tl, metric, target, sample, v)
		if p == nil || !numEq(v, p.Value) || !numEq(lo, p.Lower) || !numEq(hi, p.Upper) || p.Label != r[c["response"]] || *p.Date != r[c["date"]] || s.Fraction != r[c["fraction"]] {
			t.Errorf("mrd line %s: timeline %+v", r[c["input_line"]], p)
		}
	}
	// lsc flow compartments: % of parent and % of all events with Clopper-Pearson intervals.
	c, rows = readTSV(t, filepath.Join(flowOut, "compartments.tsv"), "\t")
	tl := timelineJSON(t, db, "P2")
	n := 0
	for _, r := range rows {
		if r[c["measured"]] != "yes" {
			continue
		}
		for _, m := range [][2]string{{"percent_parent", "pct_of_parent"}, {"percent_total", "pct_of_all"}} {
			n++
			p, s := findPoint(tl, m[0], r[c["population"]], r[c["sample"]], r[c[m[1]]])
			if p == nil || !numEq(r[c[m[1]]], p.Value) || !numEq(r[c[m[1]+"_lower95"]], p.Lower) || !numEq(r[c[m[1]+"_upper95"]], p.Upper) ||
				*p.Date != "2016-01-01" || *p.Day != 730 || s.Fraction != "MNC" {
				t.Errorf("flow %s %s: timeline %+v", r[c["population"]], m[0], p)
			}
		}
	}
	if n == 0 {
		t.Error("no measured compartment")
	}
	// lsc cohort: the bulk score and its high/low group per sample.
	c, rows = readTSV(t, filepath.Join(coh, "scores.tsv"), "\t")
	for _, r := range rows[:5] {
		tl := timelineJSON(t, db, r[c["sample"]])
		p, _ := findPoint(tl, "score", "LSC17", r[c["sample"]], r[c["LSC17_score"]])
		if p == nil || !numEq(r[c["LSC17_score"]], p.Value) || p.Label != r[c["LSC17_group"]] {
			t.Errorf("cohort %v: timeline %+v", r, p)
		}
	}
	checkZeng(t, db, zeng)
}

// checkZeng imports the Zeng 2022 table (949 patients) as patients and
// events: diagnosis at day 0 (subtype = hierarchy cluster), death (osi 1) or
// last follow-up (osi 0) at day os, nothing when the status is NA.
func checkZeng(t *testing.T, db, path string) {
	code, _, errs := runLSC(t, "study", "import", "--db", db, "--study", "zeng", "--patients", path, "--id", "Patient", "--subtype", "Cluster",
		"--time", "os", "--event", "osi")
	if code != 0 {
		t.Fatal(errs)
	}
	c, rows := readTSV(t, path, ",")
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ps, _ := st.Patients(context.Background(), "zeng", store.Page{})
	if len(rows) != 949 || len(ps) != 949 {
		t.Fatalf("%d rows, %d patients", len(rows), len(ps))
	}
	for _, r := range rows {
		tl, err := st.Timeline(context.Background(), "zeng", r[c["Patient"]])
		if err != nil {
			t.Fatal(err)
		}
		want := "diagnosis@0:" + r[c["Cluster"]]
		osDays := strings.Replace(r[c["os"]], "NA", "", 1) // a death with an unknown time has no day
		switch {
		case r[c["osi"]] == "1":
			want += ",death@" + osDays + ":"
		case r[c["osi"]] == "0" && osDays != "":
			want += ",last_followup@" + osDays + ":"
		}
		var got []string
		for _, e := range tl.Events {
			d := ""
			if e.Day != nil {
				d = strconv.FormatFloat(*e.Day, 'g', -1, 64)
			}
			got = append(got, e.Kind+"@"+d+":"+e.Detail)
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%s: events %v, want %s", r[c["Patient"]], got, want)
		}
		if tl.Day0 != nil {
			t.Errorf("%s: day 0 dated %s in an undated table", r[c["Patient"]], *tl.Day0)
		}
	}
}

// Exit codes and messages of lsc study.
func TestStudyCLI(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	if code, out, errs := runLSC(t, "demo", "study", "--db", db, "-q"); code != 0 || !strings.Contains(out, "patient P2, day 0 = diagnosis 2014-01-01") {
		t.Fatalf("demo study: %d %s %s", code, out, errs)
	}
	if code, _, errs := runLSC(t, "study", "timeline", "--db", db, "--patient", "nobody"); code != 1 || !strings.Contains(errs, "not found") {
		t.Errorf("unknown patient: %d %s", code, errs)
	}
	if code, _, _ := runLSC(t, "study", "table", "--db", db); code != 2 {
		t.Errorf("missing --metric: %d", code)
	}
	if code, out, _ := runLSC(t, "study", "migrate", "--db", db); code != 0 || !strings.Contains(out, "0001 init") {
		t.Errorf("migrate: %d %s", code, out)
	}
	arch := filepath.Join(dir, "arch")
	if code, _, errs := runLSC(t, "study", "export", "--db", db, "--out", arch, "-q"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, _ := runLSC(t, "study", "export", "--db", db, "--out", arch, "-q"); code != 2 {
		t.Errorf("export over an archive without --force: %d", code)
	}
	db2 := filepath.Join(dir, "s2.db")
	runLSC(t, "study", "init", "--db", db2)
	if code, _, errs := runLSC(t, "study", "import", "--db", db2, arch); code != 0 {
		t.Fatal(errs)
	}
	_, a, _ := runLSC(t, "study", "timeline", "--db", db, "--patient", "P2", "--json")
	_, b, _ := runLSC(t, "study", "timeline", "--db", db2, "--patient", "P2", "--json")
	if a != b || !strings.Contains(a, `"day": 730`) {
		t.Errorf("timeline after export/import differs:\n%s\n%s", a, b)
	}
	if code, _, errs := runLSC(t, "study", "import", "--db", filepath.Join(dir, "empty.db"), arch); code != 1 || !strings.Contains(errs, "lsc study init") {
		t.Errorf("import into an uninitialised store: %d %s", code, errs)
	}
}

// --study DB records a producing command's output folder in the store; the
// store is checked before the work starts.
func TestStudyFlag(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	out := filepath.Join(dir, "mrd")
	args := []string{"mrd", "assess", "--data", "../../mrd/testdata/measurements.csv", "--patients", "../../mrd/testdata/patients.csv", "--out", out, "--study", db}
	if code, _, errs := runLSC(t, args...); code != 1 || !strings.Contains(errs, "lsc study init") {
		t.Fatalf("uninitialised store: %d %s", code, errs)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("work done before the store was checked")
	}
	runLSC(t, "study", "init", "--db", db)
	if code, _, errs := runLSC(t, args...); code != 0 || !strings.Contains(errs, "35 results added") {
		t.Fatalf("%d %s", code, errs)
	}
	tl := timelineJSON(t, db, "P2")
	if len(tl.Series) == 0 || len(tl.Series[0].Points) != 7 {
		t.Errorf("P2 after --study: %+v", tl.Series)
	}
	if code, _, _ := runLSC(t, "mrd", "assess", "--data", "../../mrd/testdata/measurements.csv", "--json", "--study", db); code != 2 {
		t.Errorf("--study without --out: %d", code)
	}
}
