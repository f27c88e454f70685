// Package guardpage gives tests buffers that sit next to an inaccessible
// page, so that code reading or writing without bounds checks (inflate's
// fast loop, the MTX parser) faults when it leaves its buffer.
package guardpage

import (
	"os"
	"syscall"
	"testing"
)

// Buf returns n bytes next to an inaccessible page: ending where it begins,
// or, with before, starting where it ends. The memory is unmapped when the
// test ends.
func Buf(t testing.TB, n int, before bool) []byte {
	t.Helper()
	page := os.Getpagesize()
	size := (n + page - 1) / page * page
	mem, err := syscall.Mmap(-1, 0, size+page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Munmap(mem) })
	if before {
		if err := syscall.Mprotect(mem[:page], syscall.PROT_NONE); err != nil {
			t.Fatal(err)
		}
		return mem[page : page+n : page+n]
	}
	if err := syscall.Mprotect(mem[size:], syscall.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	return mem[size-n : size : size]
}
