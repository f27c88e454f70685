package tenx

import (
	"os"
	"syscall"
	"testing"
)

// guarded returns a copy of text that ends where an inaccessible page
// begins: a read past its end faults (fastEntries reads without bounds
// checks and must stay inside the text it is given).
func guarded(t *testing.T, text []byte) []byte {
	t.Helper()
	page := os.Getpagesize()
	size := (len(text) + page - 1) / page * page
	mem, err := syscall.Mmap(-1, 0, size+page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Munmap(mem) })
	if err := syscall.Mprotect(mem[size:], syscall.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	b := mem[size-len(text) : size : size]
	copy(b, text)
	return b
}
