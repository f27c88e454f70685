package auth

import (
	"errors"
	"fmt"
	"strings"
)

// Role is a user's role in one study. Roles are ordered: each includes
// what the roles below it may do.
type Role int

const (
	// NoRole is a user outside the study: the study's objects do not exist
	// for them (a server answers 404, not 403).
	NoRole Role = iota
	// Viewer reads patients, samples, runs and results.
	Viewer
	// Analyst also imports runs and annotates.
	Analyst
	// Admin also manages users, memberships and reads the audit log.
	Admin
)

// ErrRole reports a role name that is not viewer, analyst or admin.
var ErrRole = errors.New("unknown role")

// ParseRole reads a role name as written on the command line.
func ParseRole(s string) (Role, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "viewer":
		return Viewer, nil
	case "analyst":
		return Analyst, nil
	case "admin":
		return Admin, nil
	}
	return NoRole, fmt.Errorf("%w %q: use viewer, analyst or admin", ErrRole, s)
}

func (r Role) String() string {
	switch r {
	case Viewer:
		return "viewer"
	case Analyst:
		return "analyst"
	case Admin:
		return "admin"
	}
	return "none"
}

// Action is something a request does to a study.
type Action int

const (
	Read     Action = iota // view patients, samples, runs, timelines, reports
	Import                 // import a run folder
	Annotate               // add notes or events
	Export                 // export the study archive
	Manage                 // users, roles, memberships
	Audit                  // read and verify the audit log
)

func (a Action) String() string {
	return [...]string{"read", "import", "annotate", "export", "manage", "audit"}[a]
}

// Allows reports whether a role may perform the action. Viewers read;
// analysts also import, annotate and export; admins do everything.
func (r Role) Allows(a Action) bool {
	switch a {
	case Read:
		return r >= Viewer
	case Import, Annotate, Export:
		return r >= Analyst
	case Manage, Audit:
		return r >= Admin
	}
	return false
}
