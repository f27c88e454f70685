package airr

import (
	"io"

	"github.com/lsc-bio/lsc/formats"
)

// Feature is one row of a Cell Ranger feature_reference.csv.
type Feature struct {
	ID, Name, Read, Pattern, Sequence, FeatureType string
}

// ReadFeatureReference reads a Cell Ranger feature reference (id, name,
// read, pattern, sequence, feature_type; extra columns ignored). Ids must be
// unique, as Cell Ranger requires.
func ReadFeatureReference(r io.Reader, name string) ([]Feature, error) {
	t, err := newTable(r, name, ',', '#')
	if err != nil {
		return nil, err
	}
	if err := t.require("feature reference", "id", "name", "read", "pattern", "sequence", "feature_type"); err != nil {
		return nil, err
	}
	var out []Feature
	seen := map[string]int{}
	for {
		if err := t.next(); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		f := Feature{ID: t.get("id"), Name: t.get("name"), Read: t.get("read"), Pattern: t.get("pattern"),
			Sequence: t.get("sequence"), FeatureType: t.get("feature_type")}
		if f.ID == "" {
			return nil, formats.Errorf(name, t.line, "column id", "every feature needs an id", "empty id")
		}
		if prev, dup := seen[f.ID]; dup {
			return nil, formats.Errorf(name, t.line, "column id", "feature ids must be unique", "id %q already on line %d", f.ID, prev)
		}
		seen[f.ID] = t.line
		out = append(out, f)
	}
	return out, nil
}
