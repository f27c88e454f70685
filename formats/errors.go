// Package formats holds what the file readers share: the typed parse error that
// names the file, the place and a fix, and Open, which recognises an input by
// its content and returns a streaming matrix.Source. The readers themselves
// live in the sub-packages tenx (10x Genomics MTX and HDF5), h5ad (AnnData),
// table (dense TSV/CSV) and gmt (gene sets).
package formats

import (
	"errors"
	"fmt"
	"strings"
)

// ParseError is returned by every reader for bad input.
type ParseError struct {
	File   string // path as the user gave it
	Line   int    // 1-based line, 0 when not line-based
	Where  string // other place: "column 3", "dataset /X/indptr", "entry 17"
	Reason string // what is wrong
	Hint   string // what to do about it
	Err    error  // underlying error, if any
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	if e.Where != "" {
		b.WriteString(" (" + e.Where + ")")
	}
	b.WriteString(": " + e.Reason)
	if e.Err != nil && !strings.Contains(e.Reason, e.Err.Error()) {
		b.WriteString(": " + e.Err.Error())
	}
	if e.Hint != "" {
		b.WriteString("; " + e.Hint)
	}
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// Errorf builds a ParseError.
func Errorf(file string, line int, where, hint, format string, args ...any) *ParseError {
	return &ParseError{File: file, Line: line, Where: where, Hint: hint, Reason: fmt.Sprintf(format, args...)}
}

// AsParseError reports whether err is (or wraps) a ParseError.
func AsParseError(err error) (*ParseError, bool) {
	var pe *ParseError
	ok := errors.As(err, &pe)
	return pe, ok
}
