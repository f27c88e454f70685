package store

import (
	"context"
	"fmt"
)

// Check reports whether st's schema is the one this lsc knows: nil, or an
// error that names the database and the command that brings it up to date
// (ErrSchemaOld when migrations are pending).
func Check(ctx context.Context, st Store) error {
	if c, ok := st.(interface{ check(context.Context) error }); ok {
		return c.check(ctx)
	}
	ms, err := st.Migrations(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.AppliedAt == "" {
			if m.Version == 1 {
				return fmt.Errorf("no study schema: run lsc study init --db DB first")
			}
			return fmt.Errorf("%w (migration %d %s pending): run lsc study migrate --db DB", ErrSchemaOld, m.Version, m.Name)
		}
	}
	return nil
}
