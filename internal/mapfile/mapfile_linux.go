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

// Release tells the system that b[from:to] (rounded inwards to whole
// pages) will not be read again: its pages leave the process's resident
// set and stay in the page cache. Advice only; errors are ignored.
func Release(b []byte, from, to int) {
	page := os.Getpagesize()
	from = (from + page - 1) / page * page
	to = to / page * page
	if from < to && to <= len(b) {
		_ = syscall.Madvise(b[from:to], syscall.MADV_DONTNEED)
	}
}

// Unmap unmaps b, which Map returned.
func Unmap(b []byte) error { return syscall.Munmap(b) }
