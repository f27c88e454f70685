package store

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

const fixture = "testdata/study"

// importFixture imports the fixture study (testdata/study/README.md: real
// outputs of lsc stemcells, mrd assess and flow compartments) into st.
func importFixture(t *testing.T, st Store) {
	t.Helper()
	ctx := context.Background()
	if _, err := st.ImportPatients(ctx, "", filepath.Join(fixture, "patients.csv"), PatientOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"stem", "mrd", "flow"} {
		if _, err := st.ImportRun(ctx, "", filepath.Join(fixture, d), ImportOptions{User: "test"}); err != nil {
			t.Fatal(err)
		}
	}
}

// tsv reads a TSV by plain splitting (independent of the store's reader):
// header -> column index, rows, and 1-based line numbers.
func tsv(t *testing.T, path string) (map[string]int, [][]string, []int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	col := map[string]int{}
	for i, h := range strings.Split(lines[0], "\t") {
		col[h] = i
	}
	var rows [][]string
	var at []int
	for i, l := range lines[1:] {
		rows = append(rows, strings.Split(l, "\t"))
		at = append(at, i+2)
	}
	return col, rows, at
}

// want is one expected timeline point, from a source row.
type want struct {
	patient, assay, metric, fraction, target, sample, date, label string
	value, lower, upper                                           string // as written in the source ("" = null)
}

func jsonNum(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

// same compares a source number (text) with a timeline value: equal as
// float64 (the timeline JSON is decoded with encoding/json, not the store).
func same(src string, got *float64) bool {
	if src == "" {
		return got == nil
	}
	v, err := strconv.ParseFloat(src, 64)
	return err == nil && got != nil && v == *got
}

// checkPoints looks up every expected point in the patients' timelines
// (decoded from their JSON) and checks that nothing else is there.
func checkPoints(t *testing.T, st Store, wants []want, assays map[string]bool) {
	t.Helper()
	byPatient := map[string][]want{}
	for _, w := range wants {
		byPatient[w.patient] = append(byPatient[w.patient], w)
	}
	for p, ws := range byPatient {
		tl, err := st.Timeline(context.Background(), "", p)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(tl)
		var got Timeline
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		used := map[[2]int]bool{}
		for _, w := range ws {
			found := false
			for si, s := range got.Series {
				if s.Assay != w.assay || s.Metric != w.metric || s.Fraction != w.fraction || s.Target != w.target {
					continue
				}
				for pi, pt := range s.Points {
					if used[[2]int{si, pi}] || pt.Sample != w.sample || optS(pt.Date) != w.date {
						continue
					}
					if !same(w.value, pt.Value) && hasExact(s.Points, w, used, si) {
						continue // replicates of one sample: match the equal one
					}
					if !same(w.value, pt.Value) || !same(w.lower, pt.Lower) || !same(w.upper, pt.Upper) || pt.Label != w.label {
						t.Errorf("%s %s %s %s: timeline %s [%s, %s] %q, source %s [%s, %s] %q", p, w.sample, w.metric, w.target,
							jsonNum(pt.Value), jsonNum(pt.Lower), jsonNum(pt.Upper), pt.Label, w.value, w.lower, w.upper, w.label)
					}
					used[[2]int{si, pi}] = true
					found = true
					break
				}
				if found {
					break
				}
			}
			if !found {
				t.Errorf("%s: no timeline point for %+v", p, w)
			}
		}
		for si, s := range got.Series {
			for pi := range s.Points {
				if assays[s.Assay] && !used[[2]int{si, pi}] {
					t.Errorf("%s: timeline point %s %s %s %+v has no source row", p, s.Assay, s.Metric, s.Target, s.Points[pi])
				}
			}
		}
	}
}

func hasExact(pts []Point, w want, used map[[2]int]bool, si int) bool {
	for pi, pt := range pts {
		if !used[[2]int{si, pi}] && pt.Sample == w.sample && same(w.value, pt.Value) {
			return true
		}
	}
	return false
}

// The check on the fixture study: every timeline value equals the
// source outputs field for field (value, interval, label, sample, date),
// and every timeline point comes from a source row.
func TestTimelineEqualsSources(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		importFixture(t, st)
		var wants []want
		// lsc stemcells samples.tsv; dates from the sheet the run used.
		dates := map[string]string{}
		sc, srows, _ := tsv(t, filepath.Join(fixture, "stem-sheet.tsv"))
		for _, r := range srows {
			dates[r[sc["sample"]]] = r[sc["date"]]
		}
		c, rows, _ := tsv(t, filepath.Join(fixture, "stem/samples.tsv"))
		for _, r := range rows {
			wants = append(wants, want{r[c["patient"]], "single_cell", "stem_like_fraction", "", "LSPC-Quiescent", r[c["sample"]], dates[r[c["sample"]]],
				r[c["risk_group"]], r[c["fraction"]], r[c["lower95"]], r[c["upper95"]]})
		}
		// lsc mrd assess measurements.tsv: IS % (or ratio %) for qPCR, clone % for FISH.
		c, rows, _ = tsv(t, filepath.Join(fixture, "mrd/measurements.tsv"))
		for _, r := range rows {
			w := want{patient: r[c["patient"]], fraction: r[c["fraction"]], sample: r[c["date"]] + " " + r[c["fraction"]], date: r[c["date"]], label: r[c["response"]]}
			if r[c["assay"]] == "fish" {
				w.assay, w.metric, w.target = "fish", "clone_fraction", r[c["probe"]]
				w.value, w.lower, w.upper = r[c["clone_percent"]], r[c["clone_lower95"]], r[c["clone_upper95"]]
			} else {
				w.assay, w.metric, w.target, w.value = "qpcr", "is_percent", r[c["target"]], r[c["is_percent"]]
				if w.value == "" {
					w.metric, w.value = "ratio_percent", r[c["ratio_percent"]]
				}
			}
			wants = append(wants, w)
		}
		// lsc flow compartments compartments.tsv: % of parent and of all events.
		fc, frows, _ := tsv(t, filepath.Join(fixture, "flow-sheet.tsv"))
		fdates, ffrac := map[string]string{}, map[string]string{}
		for _, r := range frows {
			fdates[r[fc["sample"]]], ffrac[r[fc["sample"]]] = r[fc["date"]], r[fc["fraction"]]
		}
		c, rows, _ = tsv(t, filepath.Join(fixture, "flow/compartments.tsv"))
		measured := 0
		for _, r := range rows {
			if r[c["measured"]] != "yes" {
				continue
			}
			measured++
			s := r[c["sample"]]
			for _, m := range [][2]string{{"percent_parent", "pct_of_parent"}, {"percent_total", "pct_of_all"}} {
				wants = append(wants, want{r[c["patient"]], "flow", m[0], ffrac[s], r[c["population"]], s, fdates[s], r[c["compartment"]],
					r[c[m[1]]], r[c[m[1]+"_lower95"]], r[c[m[1]+"_upper95"]]})
			}
		}
		if measured == 0 {
			t.Fatal("fixture has no measured compartment")
		}
		checkPoints(t, st, wants, map[string]bool{"single_cell": true, "qpcr": true, "fish": true, "flow": true})
	})
}

// Events and day counting: P1's therapy starts on its diagnosis day
// (patients.csv), its first BCR::ABL1 sample 2020-04-01 is day 91 (by hand:
// 31 + 29 + 31 days of Jan-Mar 2020); P4 has no diagnosis date, so day 0 is
// its therapy start 2021-10-01.
func TestEventsAndDays(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		importFixture(t, st)
		ctx := context.Background()
		tl, err := st.Timeline(ctx, "", "P1")
		if err != nil {
			t.Fatal(err)
		}
		if optS(tl.Day0) != "2020-01-01" || tl.Day0Event != "diagnosis" {
			t.Errorf("P1 day 0 %v %s", optS(tl.Day0), tl.Day0Event)
		}
		var kinds []string
		for _, e := range tl.Events {
			kinds = append(kinds, e.Kind+"@"+optF(e.Day)+":"+e.Detail)
		}
		if strings.Join(kinds, ",") != "diagnosis@0:CML-CP,therapy_start@0:imatinib" {
			t.Errorf("P1 events %v", kinds)
		}
		var first *Point
		for _, s := range tl.Series {
			if s.Metric == "is_percent" {
				first = &s.Points[0]
			}
		}
		if first == nil || optF(first.Day) != "91" || optS(first.Date) != "2020-04-01" {
			t.Errorf("P1 first IS point %+v", first)
		}
		tl, err = st.Timeline(ctx, "", "P4")
		if err != nil {
			t.Fatal(err)
		}
		if optS(tl.Day0) != "2021-10-01" || tl.Day0Event != "therapy_start" {
			t.Errorf("P4 day 0 %v %s", optS(tl.Day0), tl.Day0Event)
		}
		// P6: therapy stop is an event of its own.
		tl, _ = st.Timeline(ctx, "", "P6")
		if len(tl.Events) != 3 || tl.Events[0].Kind != "diagnosis" || tl.Events[2].Kind != "therapy_stop" || optS(tl.Events[2].Date) != "2016-01-01" {
			t.Errorf("P6 events %+v", tl.Events)
		}
		if _, err := st.Timeline(ctx, "", "nobody"); err == nil || !strings.Contains(err.Error(), "not found") {
			t.Errorf("unknown patient: %v", err)
		}
	})
}

func timelines(t *testing.T, st Store, study string) map[string]string {
	t.Helper()
	ctx := context.Background()
	ps, err := st.Patients(ctx, study, Page{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range ps {
		tl, err := st.Timeline(ctx, study, p.Pseudonym)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(tl)
		out[p.Pseudonym] = string(b)
	}
	return out
}

// Importing the same folders again changes nothing.
func TestImportIdempotent(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		importFixture(t, st)
		before := timelines(t, st, "")
		ctx := context.Background()
		r, err := st.ImportPatients(ctx, "", filepath.Join(fixture, "patients.csv"), PatientOptions{})
		if err != nil || !r.AlreadyImported {
			t.Fatalf("%v %+v", err, r)
		}
		for _, d := range []string{"stem", "mrd", "flow"} {
			r, err := st.ImportRun(ctx, "", filepath.Join(fixture, d), ImportOptions{})
			if err != nil || !r.AlreadyImported || r.Results != 0 {
				t.Fatalf("%s: %v %+v", d, err, r)
			}
		}
		if after := timelines(t, st, ""); !equalMaps(before, after) {
			t.Error("timelines changed by a second import")
		}
		runs, _ := st.Runs(ctx, "")
		if len(runs) != 4 {
			t.Errorf("%d runs, want 4", len(runs))
		}
	})
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// copyDir copies a run folder so a test can change it.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	os.MkdirAll(dst, 0o777)
	ents, _ := os.ReadDir(src)
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dst, e.Name()), b, 0o666)
	}
	return dst
}

// A second run that disagrees on one sample and metric is kept beside the
// first; the import reports the conflict and the timeline shows both.
func TestConflictingRunsKept(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		importFixture(t, st)
		dir := copyDir(t, filepath.Join(fixture, "stem"))
		p := filepath.Join(dir, "samples.tsv")
		b, _ := os.ReadFile(p)
		changed := strings.Replace(string(b), "0.8439490445859873", "0.5", 1)
		if changed == string(b) {
			t.Fatal("fixture value not found")
		}
		os.WriteFile(p, []byte(changed), 0o666)
		r, err := st.ImportRun(context.Background(), "", dir, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Conflicts) != 1 || r.Conflicts[0].Sample != "AML870-D0" || *r.Conflicts[0].Value != 0.5 || *r.Conflicts[0].Other != 0.8439490445859873 {
			t.Fatalf("conflicts %+v", r.Conflicts)
		}
		tl, _ := st.Timeline(context.Background(), "", "AML870")
		var vals []string
		runs := map[string]bool{}
		for _, s := range tl.Series {
			if s.Metric == "stem_like_fraction" {
				for _, p := range s.Points {
					vals = append(vals, optF(p.Value))
					runs[p.Run] = true
				}
			}
		}
		sort.Strings(vals)
		if strings.Join(vals, ",") != "0.5,0.8439490445859873" || len(runs) != 2 {
			t.Errorf("AML870 points %v from %d runs", vals, len(runs))
		}
	})
}

// Columns other helpers add to an output (e.g. a reason column in
// compartments.tsv) are read past and kept with the result.
func TestExtraColumnsTolerated(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		dir := copyDir(t, filepath.Join(fixture, "flow"))
		p := filepath.Join(dir, "compartments.tsv")
		b, _ := os.ReadFile(p)
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		for i := range lines {
			extra := "gated"
			if i == 0 {
				extra = "reason"
			}
			lines[i] = extra + "\t" + lines[i]
		}
		os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o666)
		r, err := st.ImportRun(context.Background(), "", dir, ImportOptions{})
		if err != nil || r.Results != 8 {
			t.Fatalf("%v %+v", err, r)
		}
		var fields string
		st.DB().QueryRow("SELECT fields FROM results WHERE metric = 'percent_parent' ORDER BY id LIMIT 1").Scan(&fields)
		if !strings.Contains(fields, `"reason":"gated"`) {
			t.Errorf("extra column not kept: %s", fields)
		}
	})
}

// Bad rows name the file and the line.
func TestBadRowNamesLine(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		dir := copyDir(t, filepath.Join(fixture, "mrd"))
		p := filepath.Join(dir, "measurements.tsv")
		b, _ := os.ReadFile(p)
		lines := strings.Split(string(b), "\n")
		f := strings.Split(lines[3], "\t")
		f[16] = "12,5" // is_percent with a decimal comma
		lines[3] = strings.Join(f, "\t")
		os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o666)
		_, err := st.ImportRun(context.Background(), "", dir, ImportOptions{})
		if err == nil || !strings.Contains(err.Error(), "measurements.tsv") || !strings.Contains(err.Error(), "line 4") || !strings.Contains(err.Error(), "is_percent") {
			t.Errorf("error %v", err)
		}
		var n int
		st.DB().QueryRow("SELECT count(*) FROM runs").Scan(&n)
		if n != 0 {
			t.Errorf("%d runs after a failed import", n)
		}
	})
}

// A patient sheet with a name or date-of-birth column, or a patient id that
// looks like a name, is warned about; those columns are not stored.
func TestPseudonymWarnings(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		p := filepath.Join(t.TempDir(), "pts.csv")
		os.WriteFile(p, []byte("patient,Name,Date of Birth,diagnosis,diagnosis_date,site\nJohn Smith,John Smith,1960-02-03,AML,2020-01-01,Leeds\nP2,Ann Lee,1970-01-01,AML,2021-01-01,York\n"), 0o666)
		r, err := st.ImportPatients(context.Background(), "", p, PatientOptions{})
		if err != nil {
			t.Fatal(err)
		}
		w := strings.Join(r.Warnings, "\n")
		for _, s := range []string{`"Name"`, `"Date of Birth"`, `"John Smith" looks like a person's name`} {
			if !strings.Contains(w, s) {
				t.Errorf("no warning %s in:\n%s", s, w)
			}
		}
		ps, _ := st.Patients(context.Background(), "", Page{})
		for _, p := range ps {
			if len(p.Attributes) != 1 || p.Attributes["site"] == "" {
				t.Errorf("%s attributes %v", p.Pseudonym, p.Attributes)
			}
		}
		var n int
		st.DB().QueryRow("SELECT count(*) FROM patients WHERE attributes LIKE '%1960%' OR attributes LIKE '%Ann%'").Scan(&n)
		if n != 0 {
			t.Error("identifying values stored")
		}
	})
}

// export then import into an empty store gives identical timelines; the
// archive's checksums are verified.
func TestExportImportRoundTrip(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		importFixture(t, st)
		ctx := context.Background()
		dir := filepath.Join(t.TempDir(), "archive")
		if err := st.Export(ctx, "", dir, ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		fresh := openStore(t, filepath.Join(t.TempDir(), "fresh.db"))
		if _, err := fresh.ImportArchive(ctx, dir); err != nil {
			t.Fatal(err)
		}
		a, b := timelines(t, st, ""), timelines(t, fresh, "")
		if len(a) != 13 || !equalMaps(a, b) {
			t.Errorf("timelines differ after export/import (%d vs %d patients)", len(a), len(b))
			for k := range a {
				if a[k] != b[k] {
					t.Logf("%s:\n%s\n%s", k, a[k], b[k])
					break
				}
			}
		}
		// Exporting the copy gives the same tables.
		dir2 := filepath.Join(t.TempDir(), "archive2")
		if err := fresh.Export(ctx, "", dir2, ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		for _, n := range []string{"patients.tsv", "events.tsv", "samples.tsv", "results.tsv", "run_files.tsv"} {
			x, _ := os.ReadFile(filepath.Join(dir, n))
			y, _ := os.ReadFile(filepath.Join(dir2, n))
			if !bytes.Equal(x, y) {
				t.Errorf("%s differs between the export and the export of its import", n)
			}
		}
		// A changed archive is refused.
		p := filepath.Join(dir, "results.tsv")
		x, _ := os.ReadFile(p)
		os.WriteFile(p, bytes.Replace(x, []byte("0.8439490445859873"), []byte("0.9439490445859873"), 1), 0o666)
		if _, err := openStore(t, filepath.Join(t.TempDir(), "f2.db")).ImportArchive(ctx, dir); err == nil || !strings.Contains(err.Error(), "checksum") {
			t.Errorf("changed archive: %v", err)
		}
	})
}

// --redact: every date of a patient moves by one offset (days from day 0
// unchanged), values unchanged, free text and files gone, and the same
// secret gives the same archive.
func TestExportRedact(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		importFixture(t, st)
		ctx := context.Background()
		dir := filepath.Join(t.TempDir(), "red")
		secret := []byte("lab secret")
		if err := st.Export(ctx, "", dir, ExportOptions{Redact: true, Secret: secret}); err != nil {
			t.Fatal(err)
		}
		for _, n := range []string{"events.tsv", "patients.tsv", "results.tsv", "samples.tsv", "runs.tsv"} {
			b, _ := os.ReadFile(filepath.Join(dir, n))
			for _, s := range []string{"2020-04-01", "2014-01-01", "imatinib", "CML-CP", "/work/", "patients.csv:"} {
				if strings.Contains(string(b), s) {
					t.Errorf("%s still holds %q", n, s)
				}
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "files")); err == nil {
			t.Error("redacted archive holds the run files")
		}
		fresh := openStore(t, filepath.Join(t.TempDir(), "red.db"))
		if _, err := fresh.ImportArchive(ctx, dir); err != nil {
			t.Fatal(err)
		}
		orig, _ := st.Timeline(ctx, "", "P2")
		red, _ := fresh.Timeline(ctx, "", "P2")
		if optS(orig.Day0) == optS(red.Day0) || red.Day0 == nil {
			t.Errorf("day 0 not shifted: %v", optS(red.Day0))
		}
		if len(orig.Series) != len(red.Series) {
			t.Fatalf("series %d vs %d", len(orig.Series), len(red.Series))
		}
		for i := range orig.Series {
			for j, p := range orig.Series[i].Points {
				q := red.Series[i].Points[j]
				if optF(p.Day) != optF(q.Day) || optF(p.Value) != optF(q.Value) || optS(p.Date) == optS(q.Date) {
					t.Errorf("point %+v redacted to %+v", p, q)
				}
			}
		}
		for _, e := range red.Events {
			if e.Detail != "" {
				t.Errorf("event detail kept: %q", e.Detail)
			}
		}
		dir2 := filepath.Join(t.TempDir(), "red2")
		st.Export(ctx, "", dir2, ExportOptions{Redact: true, Secret: secret})
		a, _ := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
		b, _ := os.ReadFile(filepath.Join(dir2, "SHA256SUMS"))
		if !bytes.Equal(a, b) {
			t.Error("same secret, different redacted archive")
		}
	})
}

// Migrations are numbered from 1 and applied once; migrate twice is a no-op.
func TestMigrations(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		ms, err := st.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 0 || ms[0].Version != 1 || ms[0].Name != "init" || ms[0].AppliedAt == "" {
			t.Errorf("%+v", ms)
		}
	})
}

// Listings for the web server.
func TestListings(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		importFixture(t, st)
		ctx := context.Background()
		ss, err := st.Studies(ctx)
		if err != nil || len(ss) != 1 || ss[0].Patients != 13 || ss[0].Runs != 4 {
			t.Fatalf("%v %+v", err, ss)
		}
		page, _ := st.Patients(ctx, "", Page{Offset: 2, Limit: 3})
		all, _ := st.Patients(ctx, "", Page{})
		if len(page) != 3 || page[0].Pseudonym != all[2].Pseudonym {
			t.Errorf("page %+v", page)
		}
		smp, _ := st.Samples(ctx, "", "P2")
		if len(smp) != 8 { // 7 BCR::ABL1 dates + 1 flow sample
			t.Errorf("P2 samples %d", len(smp))
		}
		runs, _ := st.Runs(ctx, "")
		r, err := st.Run(ctx, runs[0].ID)
		if err != nil || len(r.Files) == 0 {
			t.Errorf("%v %+v", err, r)
		}
		tab, err := st.Table(ctx, "", TableQuery{Metric: "stem_like_fraction", At: "diagnosis"})
		if err != nil || len(tab.Rows) != 5 || tab.Rows[3][0] != "AML870" || tab.Rows[3][10] != "0.8439490445859873" {
			t.Errorf("%v %v", err, tab.Rows)
		}
	})
}

// lsc twin's outputs (issue 16 format): projections become timeline series
// of kind "projection" with their scenario; fits are kept as model results,
// not timeline points. Values hand-written here.
func TestTwinProjections(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		importFixture(t, st)
		dir := filepath.Join(t.TempDir(), "twin")
		os.MkdirAll(dir, 0o777)
		os.WriteFile(filepath.Join(dir, "projections.tsv"), []byte("patient\tseries\tday\tdate\tvalue\tlower\tupper\tscenario\n"+
			"P2\tis_percent\t2000\t\t0.001\t0.0001\t0.01\tcontinue\nP2\tis_percent\t\t2020-01-01\t0.3\t0.1\t0.9\tstop\n"), 0o666)
		os.WriteFile(filepath.Join(dir, "fits.tsv"), []byte("patient\tfraction/target\tmodel\tparameter\testimate\tlower\tupper\tmethod\n"+
			"P2\tPB BCR::ABL1/ABL1\tbiphasic\ta\t0.05\t0.04\t0.06\tprofile likelihood\n"), 0o666)
		r, err := st.ImportRun(context.Background(), "", dir, ImportOptions{})
		if err != nil || r.Results != 3 || r.Kind != "twin" {
			t.Fatalf("%v %+v", err, r)
		}
		tl, _ := st.Timeline(context.Background(), "", "P2")
		var got []string
		for _, s := range tl.Series {
			if s.Kind == "projection" {
				for _, p := range s.Points {
					got = append(got, s.Scenario+":"+optS(p.Date)+"@"+optF(p.Day)+"="+optF(p.Value)+"["+optF(p.Lower)+","+optF(p.Upper)+"]")
				}
			}
			if s.Assay == "model" {
				t.Error("fit parameters shown as a timeline series")
			}
		}
		// 2020-01-01 is day 2191 from P2's diagnosis 2014-01-01 (6 years, 2 of them leap: 6*365+1... = 2191).
		if strings.Join(got, " ") != "continue:@2000=0.001[0.0001,0.01] stop:2020-01-01@2191=0.3[0.1,0.9]" {
			t.Errorf("projections %v", got)
		}
		tab, _ := st.Table(context.Background(), "", TableQuery{Metric: "a", Assay: "model"})
		if len(tab.Rows) != 1 || tab.Rows[0][10] != "0.05" || tab.Rows[0][8] != "PB BCR::ABL1/ABL1" {
			t.Errorf("fits %v", tab.Rows)
		}
	})
}

// SQLite in WAL mode: a reader is not blocked by an open write transaction.
func TestReadersDoNotWaitForWriter(t *testing.T) {
	addr := filepath.Join(t.TempDir(), "wal.db")
	st := openStore(t, addr)
	importFixture(t, st)
	tx, err := st.DB().Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("UPDATE samples SET tissue = 'X'"); err != nil {
		t.Fatal(err)
	}
	other, err := Open(context.Background(), addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	tl, err := other.Timeline(ctx, "", "P2")
	if err != nil || len(tl.Series) == 0 {
		t.Fatalf("reader during a write: %v", err)
	}
}
