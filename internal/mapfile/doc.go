// Package mapfile maps a regular file into memory read-only (mmap), so that
// a decoder reads its bytes where the page cache holds them instead of
// copying them into a buffer first, and gives back the pages a reader has
// passed. Elsewhere than Linux, Map returns errors.ErrUnsupported
// and callers read the file instead.
//
// A mapped file that another program truncates while it is read faults on
// the first page past its new end (SIGBUS on Linux); readers of mapped
// bytes run with runtime/debug.SetPanicOnFault and recover, so that the
// fault becomes an error naming the file (formats.OpenText).
package mapfile
