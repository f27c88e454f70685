//go:build !linux

// Package guardpage gives tests buffers that sit next to an inaccessible
// page on Linux; elsewhere a plain buffer (no fault, the test still runs).
package guardpage

import "testing"

// Buf returns n bytes (no guard page on this system).
func Buf(t testing.TB, n int, before bool) []byte { return make([]byte, n) }
