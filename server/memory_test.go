package server

import (
	"context"
	"sort"
	"sync"

	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/store"
)

// memAccounts is an in-memory Accounts for the handler tests; the store's
// own implementations are tested against the same contract in package store.
type memAccounts struct {
	mu       sync.Mutex
	users    map[int64]auth.User
	sessions map[string]auth.Session
	tokens   map[string]auth.Token
	members  map[int64][]auth.Membership
	audit    []auth.AuditRecord
}

func newMem() *memAccounts {
	return &memAccounts{users: map[int64]auth.User{}, sessions: map[string]auth.Session{}, tokens: map[string]auth.Token{}, members: map[int64][]auth.Membership{}}
}

func (m *memAccounts) UserByName(_ context.Context, name string) (auth.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range m.users {
		if u.Name == name {
			return u, nil
		}
	}
	return auth.User{}, ErrNotFound
}

func (m *memAccounts) UserByID(_ context.Context, id int64) (auth.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[id]
	if !ok {
		return auth.User{}, ErrNotFound
	}
	return u, nil
}

func (m *memAccounts) CreateSession(_ context.Context, s auth.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[s.IDHash] = s
	return nil
}

func (m *memAccounts) SessionByHash(_ context.Context, h string) (auth.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[h]
	if !ok {
		return auth.Session{}, ErrNotFound
	}
	return s, nil
}

func (m *memAccounts) DeleteSession(_ context.Context, h string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, h)
	return nil
}

func (m *memAccounts) TokenByHash(_ context.Context, h string) (auth.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[h]
	if !ok {
		return auth.Token{}, ErrNotFound
	}
	return t, nil
}

func (m *memAccounts) Memberships(_ context.Context, uid int64) ([]auth.Membership, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.members[uid], nil
}

func (m *memAccounts) AppendAudit(_ context.Context, r auth.AuditRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var prev *auth.AuditRecord
	if n := len(m.audit); n > 0 {
		prev = &m.audit[n-1]
	}
	m.audit = append(m.audit, auth.Seal(r, prev))
	return nil
}

func (m *memAccounts) QueueAudit(ctx context.Context, r auth.AuditRecord) error {
	return m.AppendAudit(ctx, r)
}

func (m *memAccounts) Users(_ context.Context) ([]store.UserInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.UserInfo
	for id, u := range m.users {
		ui := store.UserInfo{Name: u.Name, Disabled: u.Disabled, Memberships: m.members[id], Roles: map[string]string{}}
		for _, ms := range m.members[id] {
			ui.Roles[ms.Study] = ms.Role.String()
		}
		out = append(out, ui)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (m *memAccounts) SetRole(_ context.Context, name, study string, role auth.Role) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, u := range m.users {
		if u.Name != name {
			continue
		}
		var ms []auth.Membership
		for _, x := range m.members[id] {
			if x.Study != study {
				ms = append(ms, x)
			}
		}
		if role != auth.NoRole {
			ms = append(ms, auth.Membership{Study: study, Role: role})
		}
		m.members[id] = ms
		return nil
	}
	return ErrNotFound
}

// AuditLog filters as the store does (From inclusive, To exclusive).
func (m *memAccounts) AuditLog(_ context.Context, f store.AuditFilter) ([]auth.AuditRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []auth.AuditRecord
	for _, r := range m.audit {
		if (f.Actor != "" && r.Actor != f.Actor) || (f.Action != "" && r.Action != f.Action) || (f.Study != "" && r.Study != f.Study) ||
			(f.Outcome != "" && r.Outcome != f.Outcome) || (!f.From.IsZero() && r.Time.Before(f.From)) || (!f.To.IsZero() && !r.Time.Before(f.To)) {
			continue
		}
		out = append(out, r)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out, nil
}

func (m *memAccounts) principal(ctx context.Context, uid int64) (store.Principal, error) {
	u, err := m.UserByID(ctx, uid)
	if err != nil {
		return store.Principal{}, err
	}
	ms, _ := m.Memberships(ctx, uid)
	return store.Principal{User: u, Memberships: ms}, nil
}

func (m *memAccounts) PrincipalByToken(ctx context.Context, h string) (store.Principal, error) {
	t, err := m.TokenByHash(ctx, h)
	if err != nil {
		return store.Principal{}, err
	}
	p, err := m.principal(ctx, t.UserID)
	p.Expires, p.Revoked = t.Expires, t.Revoked
	return p, err
}

func (m *memAccounts) PrincipalBySession(ctx context.Context, h string) (store.Principal, error) {
	s, err := m.SessionByHash(ctx, h)
	if err != nil {
		return store.Principal{}, err
	}
	p, err := m.principal(ctx, s.UserID)
	p.Expires = s.Expires
	return p, err
}
