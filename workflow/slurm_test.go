//go:build unix

package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lsc-bio/lsc/workflow/internal/cluster"
)

func TestSnakemakeSlurm(t *testing.T) {
	need(t, "snakemake")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// The cluster comes up (mostly waiting for the node) while the
	// workflow is written and the one-process runs run.
	var c *cluster.Cluster
	var err error
	up := make(chan struct{})
	cdir := t.TempDir()
	go func() {
		defer close(up)
		c, err = cluster.Start(ctx, cdir)
	}()
	t.Cleanup(func() { // also when setup fails
		<-up
		if c != nil {
			c.Stop()
		}
	})
	dir, wf := setup(t, "--partition", "debug")
	<-up
	if errors.Is(err, cluster.ErrUnavailable) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cluster up, workflow written, one-process runs done")
	// CI=true makes Snakemake 7 poll job states every second instead of
	// every 10 s (snakemake/executors/__init__.py, sleep()).
	run(t, append(c.Env(), "CI=true"), dir, "snakemake", "-s", filepath.Join(wf, "Snakefile"), "--profile", filepath.Join(wf, "profiles", "slurm"), "--quiet")
	sameResults(t, dir, wf)
	jobs, err := c.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]int{}
	for _, j := range jobs {
		if j["JobState"] != "COMPLETED" || j["Partition"] != "debug" {
			t.Errorf("job %v", j)
		}
		rules[strings.Split(j["Name"], ".")[1]]++
	}
	want := map[string]int{"score": 2, "stemcells": 1, "compartment": 2, "compartments": 1, "mrd_patient": 3, "mrd": 1}
	if len(jobs) != 10 || fmt.Sprint(rules) != fmt.Sprint(want) {
		t.Errorf("Slurm jobs by rule %v, want %v (%d jobs)", rules, want, len(jobs))
	}
	slurmLogs, _ := filepath.Glob(filepath.Join(wf, "logs", "slurm", "lsc.*.out"))
	if len(slurmLogs) != 10 {
		t.Errorf("Slurm logs: %v", slurmLogs)
	}
}
