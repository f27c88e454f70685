//go:build unix

// Package cluster brings up a one-node Slurm cluster on loopback for tests:
// munged with a fresh key, slurmctld and slurmd with a generated slurm.conf,
// everything under one temporary directory, no systemd and no system
// configuration touched. Commands find the cluster through SLURM_CONF
// (Env). Stop tears it down. It needs Debian's slurm-wlm and munge and
// root (slurmd launches jobs as their submitting user).
package cluster

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrUnavailable reports a machine that cannot run the cluster; the
// message names what to install or change.
var ErrUnavailable = errors.New("one-node Slurm cluster unavailable")

// Cluster is a running one-node cluster.
type Cluster struct {
	Dir     string // everything lives here
	Conf    string // slurm.conf
	JobComp string // job completion log: one line per finished job
	pids    []string
}

// Start brings the cluster up under dir and waits until the node is idle.
func Start(ctx context.Context, dir string) (*Cluster, error) {
	var missing []string
	for _, b := range []string{"munged", "slurmctld", "slurmd", "sbatch", "sinfo", "scontrol"} {
		if _, err := exec.LookPath(b); err != nil {
			missing = append(missing, b)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: %s not found: install them with `apt-get install slurm-wlm munge`", ErrUnavailable, strings.Join(missing, ", "))
	}
	if os.Geteuid() != 0 {
		return nil, fmt.Errorf("%w: slurmd must run as root to start jobs (run the test as root, as CI does)", ErrUnavailable)
	}
	c := &Cluster{Dir: dir, Conf: filepath.Join(dir, "slurm.conf"), JobComp: filepath.Join(dir, "log", "jobcomp.txt")}
	for _, d := range []string{"state", "spool", "log", "munge"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			return nil, err
		}
	}
	key := make([]byte, 1024)
	rand.Read(key)
	mdir := filepath.Join(dir, "munge")
	if err := os.WriteFile(filepath.Join(mdir, "munge.key"), key, 0o600); err != nil {
		return nil, err
	}
	sock := filepath.Join(mdir, "munge.socket")
	if err := c.daemon(ctx, "munged", "--force", "--key-file="+filepath.Join(mdir, "munge.key"), "--socket="+sock,
		"--pid-file="+filepath.Join(mdir, "munged.pid"), "--log-file="+filepath.Join(mdir, "munged.log"), "--seed-file="+filepath.Join(mdir, "seed")); err != nil {
		return nil, err
	}
	c.pids = append(c.pids, filepath.Join(mdir, "munged.pid"))
	ports, err := freePorts(2)
	if err != nil {
		c.Stop()
		return nil, err
	}
	if err := os.WriteFile(c.Conf, []byte(c.config(sock, ports)), 0o644); err != nil {
		c.Stop()
		return nil, err
	}
	for _, d := range []string{"slurmctld", "slurmd"} {
		if err := c.daemon(ctx, d, "-f", c.Conf); err != nil {
			c.Stop()
			return nil, err
		}
		c.pids = append(c.pids, filepath.Join(dir, d+".pid"))
	}
	if err := c.waitIdle(ctx); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

// config is the slurm.conf. The node claims at least 8 CPUs and 16 GB
// (SlurmdParameters=config_overrides: slurmd accepts more than the machine
// has), so a test's small jobs run side by side instead of queueing for
// the real cores, which the kernel shares among them; nothing enforces
// the memory (no cgroups).
func (c *Cluster) config(sock string, ports []int) string {
	d := c.Dir
	return fmt.Sprintf(`ClusterName=lsctest
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=%d
SlurmdPort=%d
AuthType=auth/munge
AuthInfo=socket=%s
CredType=cred/munge
StateSaveLocation=%s/state
SlurmdSpoolDir=%s/spool
SlurmctldPidFile=%s/slurmctld.pid
SlurmdPidFile=%s/slurmd.pid
SlurmctldLogFile=%s/log/slurmctld.log
SlurmdLogFile=%s/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/filetxt
JobCompLoc=%s
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SlurmdParameters=config_overrides
NodeName=localhost NodeAddr=127.0.0.1 CPUs=%d RealMemory=16000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
`, ports[0], ports[1], sock, d, d, d, d, d, d, c.JobComp, max(8, runtime.NumCPU()))
}

// Env returns the environment for Slurm commands (SLURM_CONF set).
func (c *Cluster) Env() []string {
	return append(os.Environ(), "SLURM_CONF="+c.Conf)
}

func (c *Cluster) daemon(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = c.Env()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w: %s failed: %v: %s (logs in %s)", ErrUnavailable, name, err, strings.TrimSpace(out.String()), c.Dir)
	}
	return nil
}

func (c *Cluster) waitIdle(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		cmd := exec.CommandContext(ctx, "sinfo", "-h", "-o", "%t")
		cmd.Env = c.Env()
		if b, err := cmd.Output(); err == nil && strings.TrimSpace(string(b)) == "idle" {
			return nil
		}
		time.Sleep(300 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(c.Dir, "log", "slurmctld.log"))
	return fmt.Errorf("%w: the node did not become idle in 30 s; slurmctld.log: %s", ErrUnavailable, tail(string(log), 800))
}

// Stop terminates the daemons (TERM, then KILL after 10 s).
func (c *Cluster) Stop() {
	for i := len(c.pids) - 1; i >= 0; i-- {
		b, err := os.ReadFile(c.pids[i])
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 1 {
			continue
		}
		syscall.Kill(pid, syscall.SIGTERM)
		for t := 0; t < 100 && syscall.Kill(pid, 0) == nil; t++ {
			time.Sleep(100 * time.Millisecond)
		}
		syscall.Kill(pid, syscall.SIGKILL)
	}
	c.pids = nil
}

// Jobs returns the job completion records: one map of fields per job.
func (c *Cluster) Jobs() ([]map[string]string, error) {
	b, err := os.ReadFile(c.JobComp)
	if err != nil {
		return nil, err
	}
	var jobs []map[string]string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line == "" {
			continue
		}
		m := map[string]string{}
		for _, f := range strings.Fields(line) {
			if k, v, ok := strings.Cut(f, "="); ok {
				m[k] = v
			}
		}
		jobs = append(jobs, m)
	}
	return jobs, nil
}

func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
