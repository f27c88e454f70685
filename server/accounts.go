package server

import (
	"context"
	"errors"

	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/store"
)

// ErrNotFound is what an Accounts or Data implementation returns for a
// missing user, session, token, study or patient.
var ErrNotFound = errors.New("not found")

// Accounts is what the server needs to sign people in and check roles.
type Accounts interface {
	UserByName(ctx context.Context, name string) (auth.User, error)
	CreateSession(ctx context.Context, s auth.Session) error
	DeleteSession(ctx context.Context, idHash string) error
	// PrincipalByToken and PrincipalBySession find the caller of a token
	// or session hash with their memberships in one lookup (ErrNotFound
	// when there is none); the server checks expiry, revocation and
	// disable. Principal.Versions may be nil (then nothing is cached).
	PrincipalByToken(ctx context.Context, hash string) (store.Principal, error)
	PrincipalBySession(ctx context.Context, idHash string) (store.Principal, error)
	// AppendAudit seals rec after the newest record (auth.Seal) and stores
	// it, in one transaction, so concurrent appends keep one chain.
	AppendAudit(ctx context.Context, rec auth.AuditRecord) error
	// QueueAudit queues rec to be sealed and stored like AppendAudit and
	// returns before the commit (read-only views: a reader never waits
	// for an import's write lock; a crash can lose the queued rows).
	QueueAudit(ctx context.Context, rec auth.AuditRecord) error

	// For the admin pages (store.AccountStore has them too):
	// Users lists every user with their roles; SetRole gives an existing
	// user a role in a study (auth.NoRole removes the membership);
	// AuditLog returns the audit rows in order.
	Users(ctx context.Context) ([]store.UserInfo, error)
	SetRole(ctx context.Context, name, study string, role auth.Role) error
	AuditLog(ctx context.Context, f store.AuditFilter) ([]auth.AuditRecord, error)
}

// role returns the user's role in study, NoRole when not a member.
func role(ms []auth.Membership, study string) auth.Role {
	for _, m := range ms {
		if m.Study == study {
			return m.Role
		}
	}
	return auth.NoRole
}
