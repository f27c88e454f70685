//go:build !linux

package mapfile

import (
	"errors"
	"os"
)

// Map is not supported here: callers read the file.
func Map(f *os.File, size int64) ([]byte, error) { return nil, errors.ErrUnsupported }

// Release does nothing here.
func Release(b []byte, from, to int) {}

// Unmap does nothing here.
func Unmap(b []byte) error { return nil }
