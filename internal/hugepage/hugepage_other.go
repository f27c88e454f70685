//go:build !linux

package hugepage

// Size is the alignment Bytes gives on Linux.
const Size = 2 << 20

// Bytes returns make([]byte, n): huge pages are advised on Linux only.
func Bytes(n int) []byte { return make([]byte, n) }
