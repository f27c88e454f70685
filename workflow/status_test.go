package workflow

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// status.sh maps Slurm job states (Slurm 22.05 squeue/sacct state names) to
// Snakemake's running/success/failed, with fake scontrol and sacct on PATH:
// a job killed for time or memory must be failed, never waited for.
func TestStatusScript(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, Options{Lsc: "lsc", Sheet: "/s.tsv"}, false); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "bin")
	os.Mkdir(bin, 0o755)
	for _, c := range []struct{ scontrol, sacct, want string }{
		{"RUNNING", "", "running"},
		{"PENDING", "", "running"},
		{"COMPLETED", "", "success"},
		{"FAILED", "", "failed"},
		{"TIMEOUT", "", "failed"},
		{"OUT_OF_MEMORY", "", "failed"},
		{"", "COMPLETED", "success"},     // gone from slurmctld's memory: sacct
		{"", "CANCELLED by 0", "failed"}, // sacct's wording
		{"", "", "failed"},               // nobody knows the job
	} {
		sc := "#!/bin/sh\nexit 1\n"
		if c.scontrol != "" {
			sc = "#!/bin/sh\necho \"JobId=$4 JobName=x UserId=root(0) JobState=" + c.scontrol + " Reason=None\"\n"
		}
		sa := "#!/bin/sh\necho 'sacct: error: accounting storage is disabled' >&2\nexit 1\n"
		if c.sacct != "" {
			sa = "#!/bin/sh\necho '" + c.sacct + "'\n"
		}
		os.WriteFile(filepath.Join(bin, "scontrol"), []byte(sc), 0o755)
		os.WriteFile(filepath.Join(bin, "sacct"), []byte(sa), 0o755)
		cmd := exec.Command("sh", filepath.Join(dir, "profiles", "slurm", "status.sh"), "42")
		cmd.Env = append(os.Environ(), "PATH="+bin+":/usr/bin:/bin")
		out, _ := cmd.Output()
		if got := strings.TrimSpace(string(out)); got != c.want {
			t.Errorf("scontrol %q, sacct %q: %q, want %q", c.scontrol, c.sacct, got, c.want)
		}
	}
}
