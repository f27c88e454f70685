//go:build !linux

package tenx

import "testing"

// guarded is a plain copy where no guard page is set up (guard_linux_test.go).
func guarded(t *testing.T, text []byte) []byte { return append([]byte(nil), text...) }
