package hugepage

import (
	"syscall"
	"unsafe"
)

// Size is the huge page size advised for (x86-64 and arm64 with 4 KiB base
// pages).
const Size = 2 << 20

// Bytes returns a zeroed buffer of n bytes whose start is aligned to Size,
// advised for huge pages. Advice is best effort: its errors are ignored.
func Bytes(n int) []byte {
	if n < Size {
		return make([]byte, n)
	}
	b := make([]byte, n+Size)
	off := int((Size - uintptr(unsafe.Pointer(unsafe.SliceData(b)))%Size) % Size)
	b = b[off : off+n : off+n]
	_ = syscall.Madvise(b[:n/Size*Size], syscall.MADV_HUGEPAGE)
	return b
}
