//go:build unix

package cluster

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Start skips (or, under CI, fails) when the cluster cannot run here.
func start(t *testing.T) *Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := Start(ctx, t.TempDir())
	if errors.Is(err, ErrUnavailable) && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

func TestOneJob(t *testing.T) {
	c := start(t)
	out := filepath.Join(c.Dir, "log", "job.out")
	cmd := exec.Command("sbatch", "--wait", "--parsable", "-o", out, "--wrap", "echo hello from $SLURM_JOB_ID")
	cmd.Env = c.Env()
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sbatch: %v %s", err, b)
	}
	id := strings.TrimSpace(string(b))
	got, _ := os.ReadFile(out)
	if strings.TrimSpace(string(got)) != "hello from "+id {
		t.Errorf("job output %q (job %s)", got, id)
	}
	jobs, err := c.Jobs()
	if err != nil || len(jobs) != 1 || jobs[0]["JobId"] != id || jobs[0]["JobState"] != "COMPLETED" {
		t.Errorf("job completion log: %v %v", jobs, err)
	}
}
