package hugepage

import (
	"runtime"
	"testing"
	"unsafe"
)

// Bytes gives n zeroed, writable bytes with no room beyond them; on Linux a
// buffer of at least Size starts on a Size boundary.
func TestBytes(t *testing.T) {
	for _, n := range []int{0, 1, Size - 1, Size, 3*Size + 5, 64 << 20} {
		b := Bytes(n)
		if len(b) != n || cap(b) != n {
			t.Fatalf("Bytes(%d): len %d cap %d", n, len(b), cap(b))
		}
		for i := 0; i < n; i += 4093 {
			if b[i] != 0 {
				t.Fatalf("Bytes(%d)[%d] = %d, want 0", n, i, b[i])
			}
			b[i] = 1
		}
		if runtime.GOOS == "linux" && n >= Size && uintptr(unsafe.Pointer(unsafe.SliceData(b)))%Size != 0 {
			t.Fatalf("Bytes(%d) starts at %p, not on a %d-byte boundary", n, unsafe.SliceData(b), Size)
		}
	}
}

// Slice and Grow give what make and slices.Grow give: the length asked,
// zeroes, the values kept, room for n more; small growths stay on the
// heap path, large ones start on a huge page boundary on Linux.
func TestSliceGrow(t *testing.T) {
	for _, n := range []int{0, 1, 1000, Size / 8, Size/8 + 1, 3 * Size / 8} {
		s := Slice[float64](n)
		if len(s) != n {
			t.Fatalf("Slice(%d): len %d", n, len(s))
		}
		for i := range s {
			if s[i] != 0 {
				t.Fatalf("Slice(%d)[%d] = %v", n, i, s[i])
			}
		}
	}
	s := []int32{1, 2, 3}
	for _, n := range []int{2, 100, Size / 4, Size} {
		g := Grow(s, n)
		if len(g) != len(s) || cap(g)-len(g) < n || g[0] != 1 || g[2] != 3 {
			t.Fatalf("Grow(%v, %d): len %d cap %d %v", s, n, len(g), cap(g), g[:len(s)])
		}
		if big := (len(s)+n)*4 >= Size/2; big && runtime.GOOS == "linux" && uintptr(unsafe.Pointer(unsafe.SliceData(g)))%Size != 0 {
			t.Fatalf("Grow(%d) not on a huge page boundary", n)
		}
		s = append(g, int32(n))
	}
}
