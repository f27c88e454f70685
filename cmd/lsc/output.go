package main

import (
	"errors"
	"io"

	"github.com/lsc-bio/lsc/atomicfile"
)

// outFile is one file a command writes into its output directory.
type outFile = atomicfile.File

// writeDir writes files into dir (created when missing). Existing files are
// never replaced without force; each file is written atomically.
func writeDir(dir string, force bool, files []outFile) error {
	return asUsage(atomicfile.WriteDir(dir, force, files))
}

// refuseOverwrite returns a usage error when path exists and force is off,
// and creates the parent directory, before any work is done.
func refuseOverwrite(path string, force bool) error {
	return asUsage(atomicfile.CheckFile(path, force))
}

// writeAtomic writes path atomically (mode 0666 less umask), or to stdout
// when path is "-" or empty.
func writeAtomic(path string, stdout io.Writer, fill func(io.Writer) error) error {
	if path == "-" || path == "" {
		return fill(stdout)
	}
	return atomicfile.Write(path, fill)
}

// asUsage turns an existing-output refusal into a usage error (exit 2).
func asUsage(err error) error {
	if errors.Is(err, atomicfile.ErrExists) {
		return usageError{err}
	}
	return err
}
