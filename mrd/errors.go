package mrd

import (
	"errors"

	"github.com/lsc-bio/lsc/formats"
)

// Kinds of bad input. Every error for a bad sheet is a *formats.ParseError
// (file, line, column, fix) that also matches one of these with errors.Is,
// so callers (the web app's upload form) can branch on the kind.
var (
	ErrMissing     = errors.New("mrd: missing column or empty field")
	ErrDate        = errors.New("mrd: date is not YYYY-MM-DD")
	ErrNumber      = errors.New("mrd: bad number (copies, conversion factor or nuclei)")
	ErrControlGene = errors.New("mrd: unknown control gene")
	ErrAssay       = errors.New("mrd: unknown assay")
	ErrReplicate   = errors.New("mrd: replicate numbered twice")
	ErrTherapy     = errors.New("mrd: inconsistent lines of therapy")
	ErrNoRows      = errors.New("mrd: no measurement rows")
)

// inputError is a ParseError of a known kind; its message is the
// ParseError's.
type inputError struct {
	*formats.ParseError
	kind error
}

func (e *inputError) Is(target error) bool { return target == e.kind }
func (e *inputError) Unwrap() error        { return e.ParseError }

// inputErr tags pe with kind; an error among its format arguments becomes
// pe.Err, the cause.
func inputErr(kind error, pe *formats.ParseError) error {
	return &inputError{ParseError: pe, kind: kind}
}

// dateError is a date that cannot be read; errors.Is(err, ErrDate).
type dateError string

func (e dateError) Error() string        { return string(e) }
func (e dateError) Is(target error) bool { return target == ErrDate }
