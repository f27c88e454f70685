package server

import (
	"context"
	"errors"
	"time"

	"github.com/lsc-bio/lsc/auth"
)

// ErrNotFound is what an Accounts or Data implementation returns for a
// missing user, session, token, study or patient.
var ErrNotFound = errors.New("not found")

// User is an account.
type User struct {
	ID           int64
	Name         string
	PasswordHash string // auth.HashPassword form
	Disabled     bool
}

// Session is a signed-in browser. Only the hash of its id is stored.
type Session struct {
	IDHash  string
	UserID  int64
	Created time.Time
	Expires time.Time
}

// Token is a personal access token. Only its hash is stored.
type Token struct {
	Hash    string
	UserID  int64
	Name    string
	Expires time.Time
	Revoked bool
}

// Membership is a user's role in one study.
type Membership struct {
	Study string
	Role  auth.Role
}

// Accounts is what the server needs to sign people in and check roles.
type Accounts interface {
	UserByName(ctx context.Context, name string) (User, error)
	UserByID(ctx context.Context, id int64) (User, error)
	CreateSession(ctx context.Context, s Session) error
	SessionByHash(ctx context.Context, idHash string) (Session, error)
	DeleteSession(ctx context.Context, idHash string) error
	TokenByHash(ctx context.Context, hash string) (Token, error)
	Memberships(ctx context.Context, userID int64) ([]Membership, error)
	// AppendAudit seals rec after the newest record (auth.Seal) and stores
	// it, in one transaction, so concurrent appends keep one chain.
	AppendAudit(ctx context.Context, rec auth.AuditRecord) error
}

// role returns the user's role in study, NoRole when not a member.
func role(ms []Membership, study string) auth.Role {
	for _, m := range ms {
		if m.Study == study {
			return m.Role
		}
	}
	return auth.NoRole
}
