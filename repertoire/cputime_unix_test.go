//go:build unix

package repertoire

import "syscall"

// cpuSeconds is the process's user+system CPU time: on a shared machine it
// says more about the work than the wall clock.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
