package hugepage

import (
	"slices"
	"unsafe"
)

// Slice returns a zeroed slice of n values in memory from Bytes, rounded
// up to whole huge pages: large numeric arrays (no pointers, so the
// collector need not scan them) that are filled once and read many times.
func Slice[T int32 | int64 | float32 | float64](n int) []T {
	if n <= 0 {
		return nil
	}
	size := int(unsafe.Sizeof(*new(T)))
	b := Bytes((n*size + Size - 1) / Size * Size)
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), n)
}

// Grow returns s with room for at least n more values, as slices.Grow
// does, taking the new memory from Slice when it needs half a huge page or
// more.
func Grow[T int32 | int64 | float32 | float64](s []T, n int) []T {
	if n <= cap(s)-len(s) {
		return s
	}
	need := len(s) + n
	if need*int(unsafe.Sizeof(*new(T))) < Size/2 {
		return slices.Grow(s, n)
	}
	t := Slice[T](need)[:len(s)]
	copy(t, s)
	return t
}
