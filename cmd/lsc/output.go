package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// outFile is one file a command writes into its output directory.
type outFile struct {
	name string
	fill func(io.Writer) error
}

// writeDir writes files into dir (created when missing). Existing files are
// never replaced without force; each file is written atomically.
func writeDir(dir string, force bool, files []outFile) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if !force {
		var exist []string
		for _, f := range files {
			if _, err := os.Stat(filepath.Join(dir, f.name)); err == nil {
				exist = append(exist, f.name)
			}
		}
		if len(exist) > 0 {
			return usageError{fmt.Errorf("%s already holds %s; choose another --out directory or add --force to replace them", dir, strings.Join(exist, ", "))}
		}
	}
	for _, f := range files {
		if err := writeAtomic(filepath.Join(dir, f.name), nil, f.fill); err != nil {
			return fmt.Errorf("writing %s: %w", filepath.Join(dir, f.name), err)
		}
	}
	return nil
}

// refuseOverwrite returns a usage error when path exists and force is off.
func refuseOverwrite(path string, force bool) error {
	if force {
		return nil
	}
	if _, err := os.Stat(path); err == nil {
		return usageError{fmt.Errorf("%s exists; choose another name or add --force to replace it", path)}
	}
	return nil
}
