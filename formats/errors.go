// Package formats holds what the file readers share: the typed parse error
// that names the file, the place and a fix (ParseError, Errorf, Wrap), Sniff,
// which recognises an input by its content, and plain-or-gzip text reading
// (OpenText, Lines). The readers themselves live in the sub-packages tenx
// (10x Genomics MTX and HDF5), h5ad (AnnData), table (dense TSV/CSV), sheet
// (hand-written CSV/TSV sheets), gmt (gene sets) and hdf5x (HDF5 access);
// input opens any expression file as a streaming matrix.Source.
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
	Err    error  // underlying error, or the package's sentinel (see Failure)
	kind   bool   // Err is a sentinel naming the kind of failure: not printed
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
	if e.Err != nil && !strings.Contains(e.Reason, e.Err.Error()) && !e.kind {
		b.WriteString(": " + e.Err.Error())
	}
	if e.Hint != "" {
		b.WriteString("; " + e.Hint)
	}
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// Errorf builds a ParseError. As with fmt.Errorf, an error formatted with
// %w becomes the cause (Err), so errors.Is and errors.As see through it.
func Errorf(file string, line int, where, hint, format string, args ...any) *ParseError {
	var cause error
	if strings.Contains(format, "%w") {
		if w, ok := fmt.Errorf(format, args...).(interface{ Unwrap() error }); ok {
			cause = w.Unwrap()
		}
		format = strings.ReplaceAll(format, "%w", "%v")
	}
	return &ParseError{File: file, Line: line, Where: where, Hint: hint, Reason: fmt.Sprintf(format, args...), Err: cause}
}

// Wrap builds a ParseError caused by err, whose text follows the reason.
func Wrap(err error, file string, line int, where, hint, format string, args ...any) *ParseError {
	pe := Errorf(file, line, where, hint, format, args...)
	pe.Err = err
	return pe
}

// Failure builds a ParseError of a kind callers branch on with errors.Is, as
// encoding/csv's ParseError{Err: ErrQuote}: kind is a package's exported
// sentinel (gmt.ErrNoSets ...); the message is the reason alone.
func Failure(kind error, file string, line int, where, hint, format string, args ...any) *ParseError {
	pe := Wrap(kind, file, line, where, hint, format, args...)
	pe.kind = true
	return pe
}

// AsParseError reports whether err is (or wraps) a ParseError.
func AsParseError(err error) (*ParseError, bool) {
	var pe *ParseError
	ok := errors.As(err, &pe)
	return pe, ok
}
