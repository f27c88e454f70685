//go:build unix

package main

import "syscall"

// cpuSeconds is the user + system CPU time of this process (the machine
// may be shared: wall time alone hides how much work the import is).
func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
