package store

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeBigRun writes an MRD-shaped run folder with n measurement rows (big
// enough that the import is many statements).
func writeBigRun(t *testing.T, n int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "big")
	os.MkdirAll(dir, 0o777)
	var b strings.Builder
	b.WriteString("input_line\tpatient\tdate\tfraction\tassay\ttarget\tratio_percent\tis_percent\tresponse\n")
	day0 := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		d := day0.AddDate(0, 0, i%400).Format("2006-01-02")
		fmt.Fprintf(&b, "%d\tK%d\t%s\tPB\tqpcr\tBCR::ABL1\t%g\t%g\tMMR\n", i+2, i/400, d, float64(i)/7, float64(i)/7)
	}
	os.WriteFile(filepath.Join(dir, "measurements.tsv"), []byte(b.String()), 0o666)
	return dir
}

// The child half of TestKilledImportLeavesStoreAsBefore: imports the big
// run and stops inside the transaction (after the results are written) so
// that the parent can kill it there.
func TestKillChild(t *testing.T) {
	addr, dir, marker := os.Getenv("LSC_STORE_KILL_DB"), os.Getenv("LSC_STORE_KILL_RUN"), os.Getenv("LSC_STORE_KILL_MARKER")
	if addr == "" {
		t.Skip("run by TestKilledImportLeavesStoreAsBefore")
	}
	st, err := Open(context.Background(), addr, Options{Files: os.Getenv("LSC_STORE_KILL_FILES")})
	if err != nil {
		t.Fatal(err)
	}
	testHook = func(string) {
		os.WriteFile(marker, []byte("in transaction"), 0o666)
		time.Sleep(time.Minute) // killed here
	}
	st.ImportRun(context.Background(), "", dir, ImportOptions{})
	t.Fatal("not killed")
}

// kill -9 in the middle of an import leaves the database as before; the
// rerun gives the same result as an uninterrupted import.
func TestKilledImportLeavesStoreAsBefore(t *testing.T) {
	backends(t, func(t *testing.T, st Store, addr string) {
		importFixture(t, st)
		before := timelines(t, st, "")
		big := writeBigRun(t, 4000)
		files := filepath.Join(t.TempDir(), "files")
		marker := filepath.Join(t.TempDir(), "marker")
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "LSC_STORE_KILL_DB="+addr, "LSC_STORE_KILL_RUN="+big, "LSC_STORE_KILL_MARKER="+marker, "LSC_STORE_KILL_FILES="+files)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		for {
			if _, err := os.Stat(marker); err == nil {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatal("child never reached the middle of the import")
			}
			time.Sleep(20 * time.Millisecond)
		}
		cmd.Process.Kill() // SIGKILL
		cmd.Wait()
		// PostgreSQL rolls back when it notices the closed connection.
		var runs int
		for i := 0; i < 100; i++ {
			if err := st.DB().QueryRow("SELECT count(*) FROM runs").Scan(&runs); err == nil && runs == 4 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		var results int
		st.DB().QueryRow("SELECT count(*) FROM results").Scan(&results)
		if runs != 4 || results != 48 {
			t.Fatalf("after the kill: %d runs, %d results; want the 4 runs and 48 results of before", runs, results)
		}
		if after := timelines(t, st, ""); !equalMaps(before, after) {
			t.Fatal("timelines changed by a killed import")
		}
		// Rerun, and compare with an uninterrupted import into a fresh store.
		r, err := st.ImportRun(context.Background(), "", big, ImportOptions{})
		if err != nil || r.AlreadyImported || r.Results != 4000 {
			t.Fatalf("rerun: %v %+v", err, r)
		}
		ref := openStore(t, filepath.Join(t.TempDir(), "ref.db"))
		importFixture(t, ref)
		if _, err := ref.ImportRun(context.Background(), "", big, ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		if a, b := timelines(t, st, ""), timelines(t, ref, ""); !equalMaps(a, b) || len(a) != 23 {
			t.Errorf("rerun after a kill differs from an uninterrupted import (%d vs %d patients)", len(a), len(b))
		}
	})
}
