//go:build linux

package mapfile

import (
	"fmt"
	"os"
	"syscall"
)

// Map maps the first size bytes of f (size > 0) read-only and shared.
func Map(f *os.File, size int64) ([]byte, error) {
	if size <= 0 || int64(int(size)) != size {
		return nil, fmt.Errorf("mapfile: %s: cannot map %d bytes", f.Name(), size)
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("mapfile: %s: %w", f.Name(), err)
	}
	return b, nil
}

// Release tells the system that b[:to] will not be read again, and gives
// back the pages from the one holding b[from] up to the last whole page
// below to (a caller passes the to of its previous call as from): they
// leave the process's resident set and stay in the page cache. Advice
// only; errors are ignored.
func Release(b []byte, from, to int) {
	page := os.Getpagesize()
	from = from / page * page
	to = to / page * page
	if from < to && to <= len(b) {
		_ = syscall.Madvise(b[from:to], syscall.MADV_DONTNEED)
	}
}

// Unmap unmaps b, which Map returned.
func Unmap(b []byte) error { return syscall.Munmap(b) }
