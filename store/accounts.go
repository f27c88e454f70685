package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lsc-bio/lsc/auth"
)

// AccountStore holds the web app's users, memberships, sessions, tokens and
// audit log (migration 0002). Its first methods, up to QueueAudit, are what
// the server needs to sign people in (server.Accounts); the rest serve
// `lsc user` and `lsc study audit`.
type AccountStore interface {
	UserByName(ctx context.Context, name string) (auth.User, error)
	CreateSession(ctx context.Context, s auth.Session) error
	DeleteSession(ctx context.Context, idHash string) error
	Memberships(ctx context.Context, userID int64) ([]auth.Membership, error)
	// PrincipalByToken and PrincipalBySession read a credential, its user,
	// the user's memberships and their studies' data versions in one query.
	PrincipalByToken(ctx context.Context, hash string) (Principal, error)
	PrincipalBySession(ctx context.Context, idHash string) (Principal, error)
	AppendAudit(ctx context.Context, rec auth.AuditRecord) error
	QueueAudit(ctx context.Context, rec auth.AuditRecord) error

	// AddUser creates a user with an argon2id password hash and a role in
	// study (created when missing).
	AddUser(ctx context.Context, name, passwordHash, study string, role auth.Role) (auth.User, error)
	// SetRole gives an existing user a role in study (auth.NoRole removes
	// the membership).
	SetRole(ctx context.Context, name, study string, role auth.Role) error
	SetPassword(ctx context.Context, name, passwordHash string) error
	DisableUser(ctx context.Context, name string, disabled bool) error
	Users(ctx context.Context) ([]UserInfo, error)
	AddToken(ctx context.Context, t auth.Token) error
	RevokeTokens(ctx context.Context, user, name string) (int64, error)
	// AuditLog returns the audit rows in order (all when limit is 0).
	AuditLog(ctx context.Context, f AuditFilter) ([]auth.AuditRecord, error)
	// PurgeSessions removes sessions expired at now.
	PurgeSessions(ctx context.Context, now time.Time) (int64, error)
}

// UserInfo is a user with their memberships, for listings.
type UserInfo struct {
	Name        string            `json:"name"`
	Disabled    bool              `json:"disabled"`
	CreatedAt   string            `json:"created_at"`
	Memberships []auth.Membership `json:"-"`
	Roles       map[string]string `json:"roles"` // study -> role
}

// AuditFilter selects audit rows; zero values select everything.
type AuditFilter struct {
	Actor, Action, Study, Outcome string
	From, To                      time.Time
	Limit                         int
}

// ErrExists reports a user that already exists.
var ErrExists = errors.New("already exists")

const rfc = time.RFC3339Nano

func ts(t time.Time) string { return t.UTC().Format(rfc) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(rfc, s)
	return t
}

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return err
}

func (c *core) UserByName(ctx context.Context, name string) (auth.User, error) {
	var u auth.User
	var dis int
	err := c.db.QueryRowContext(ctx, c.d.q("SELECT id, name, password_hash, disabled FROM users WHERE name = ?"), name).Scan(&u.ID, &u.Name, &u.PasswordHash, &dis)
	u.Disabled = dis != 0
	return u, notFound(err, "user")
}

func (c *core) CreateSession(ctx context.Context, s auth.Session) error {
	_, err := c.db.ExecContext(ctx, c.d.q("INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)"),
		s.IDHash, s.UserID, ts(s.Created), ts(s.Expires))
	return err
}

func (c *core) DeleteSession(ctx context.Context, h string) error {
	_, err := c.db.ExecContext(ctx, c.d.q("DELETE FROM sessions WHERE id_hash = ?"), h)
	return err
}

func (c *core) PurgeSessions(ctx context.Context, now time.Time) (int64, error) {
	r, err := c.db.ExecContext(ctx, c.d.q("DELETE FROM sessions WHERE expires_at <= ?"), ts(now))
	if err != nil {
		return 0, err
	}
	return r.RowsAffected()
}

func (c *core) AddToken(ctx context.Context, t auth.Token) error {
	_, err := c.db.ExecContext(ctx, c.d.q("INSERT INTO tokens (hash, user_id, name, created_at, expires_at, revoked) VALUES (?, ?, ?, ?, ?, 0)"),
		t.Hash, t.UserID, t.Name, ts(time.Now()), ts(t.Expires))
	return err
}

// RevokeTokens revokes the user's tokens called name, or all of them when
// name is "".
func (c *core) RevokeTokens(ctx context.Context, user, name string) (int64, error) {
	u, err := c.UserByName(ctx, user)
	if err != nil {
		return 0, err
	}
	q, args := "UPDATE tokens SET revoked = 1 WHERE user_id = ?", []any{u.ID}
	if name != "" {
		q, args = q+" AND name = ?", append(args, name)
	}
	r, err := c.db.ExecContext(ctx, c.d.q(q), args...)
	if err != nil {
		return 0, err
	}
	return r.RowsAffected()
}

func (c *core) Memberships(ctx context.Context, uid int64) ([]auth.Membership, error) {
	rows, err := c.db.QueryContext(ctx, c.d.q("SELECT s.name, m.role FROM memberships m JOIN studies s ON s.id = m.study_id WHERE m.user_id = ? ORDER BY s.name"), uid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ms []auth.Membership
	for rows.Next() {
		var study, role string
		if err := rows.Scan(&study, &role); err != nil {
			return nil, err
		}
		r, err := auth.ParseRole(role)
		if err != nil {
			return nil, err
		}
		ms = append(ms, auth.Membership{Study: study, Role: r})
	}
	return ms, rows.Err()
}

func (c *core) AddUser(ctx context.Context, name, hash, study string, role auth.Role) (auth.User, error) {
	var u auth.User
	err := c.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, c.d.q("SELECT COUNT(*) FROM users WHERE name = ?"), name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("user %q %w (lsc user role/passwd change an existing user)", name, ErrExists)
		}
		if _, err := tx.ExecContext(ctx, c.d.q("INSERT INTO users (name, password_hash, disabled, created_at) VALUES (?, ?, 0, ?)"), name, hash, ts(time.Now())); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, c.d.q("SELECT id FROM users WHERE name = ?"), name).Scan(&u.ID); err != nil {
			return err
		}
		u.Name, u.PasswordHash = name, hash
		return c.setRole(ctx, tx, u.ID, study, role)
	})
	return u, err
}

func (c *core) setRole(ctx context.Context, tx *sql.Tx, uid int64, study string, role auth.Role) error {
	sid, err := c.studyID(ctx, tx, study)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, c.d.q("DELETE FROM memberships WHERE user_id = ? AND study_id = ?"), uid, sid); err != nil {
		return err
	}
	if role == auth.NoRole {
		return nil
	}
	_, err = tx.ExecContext(ctx, c.d.q("INSERT INTO memberships (user_id, study_id, role) VALUES (?, ?, ?)"), uid, sid, role.String())
	return err
}

func (c *core) SetRole(ctx context.Context, name, study string, role auth.Role) error {
	u, err := c.UserByName(ctx, name)
	if err != nil {
		return err
	}
	return c.inTx(ctx, func(tx *sql.Tx) error { return c.setRole(ctx, tx, u.ID, study, role) })
}

func (c *core) SetPassword(ctx context.Context, name, hash string) error {
	return c.updateUser(ctx, name, "password_hash = ?", hash)
}

func (c *core) DisableUser(ctx context.Context, name string, disabled bool) error {
	d := 0
	if disabled {
		d = 1
	}
	return c.updateUser(ctx, name, "disabled = ?", d)
}

// updateUser changes one column and ends the user's sessions, so a new
// password or a disabled account takes effect at once.
func (c *core) updateUser(ctx context.Context, name, set string, v any) error {
	u, err := c.UserByName(ctx, name)
	if err != nil {
		return err
	}
	return c.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, c.d.q("UPDATE users SET "+set+" WHERE id = ?"), v, u.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, c.d.q("DELETE FROM sessions WHERE user_id = ?"), u.ID)
		return err
	})
}

func (c *core) Users(ctx context.Context) ([]UserInfo, error) {
	rows, err := c.db.QueryContext(ctx, "SELECT id, name, disabled, created_at FROM users ORDER BY name")
	if err != nil {
		return nil, err
	}
	var us []UserInfo
	var ids []int64
	for rows.Next() {
		var u UserInfo
		var id int64
		var dis int
		if err := rows.Scan(&id, &u.Name, &dis, &u.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		u.Disabled = dis != 0
		us, ids = append(us, u), append(ids, id)
	}
	rows.Close()
	for i := range us {
		ms, err := c.Memberships(ctx, ids[i])
		if err != nil {
			return nil, err
		}
		us[i].Memberships, us[i].Roles = ms, map[string]string{}
		for _, m := range ms {
			us[i].Roles[m.Study] = m.Role.String()
		}
	}
	return us, rows.Err()
}

// AppendAudit seals rec after the newest row and commits it, through the
// Store's one audit writer (auditwriter.go): concurrent appends share a
// transaction (group commit) and return once their row is committed.
func (c *core) AppendAudit(ctx context.Context, rec auth.AuditRecord) error {
	return c.audit.append(ctx, rec)
}

// QueueAudit queues rec for the audit writer and returns without waiting
// for the commit (see auditwriter.go for what a crash can lose); Close
// writes everything queued.
func (c *core) QueueAudit(ctx context.Context, rec auth.AuditRecord) error {
	return c.audit.queueOnly(ctx, rec)
}

func (c *core) AuditLog(ctx context.Context, f AuditFilter) ([]auth.AuditRecord, error) {
	c.audit.flush() // what this process queued before the call is in the answer
	q := "SELECT seq, at, actor, action, study, object, outcome, client, prev_hash, hash FROM audit WHERE 1=1"
	var args []any
	for _, p := range []struct{ col, v string }{{"actor", f.Actor}, {"action", f.Action}, {"study", f.Study}, {"outcome", f.Outcome}} {
		if p.v != "" {
			q += " AND " + p.col + " = ?"
			args = append(args, p.v)
		}
	}
	if !f.From.IsZero() {
		q += " AND at >= ?"
		args = append(args, f.From.UTC().Format(time.RFC3339Nano))
	}
	if !f.To.IsZero() {
		q += " AND at < ?"
		args = append(args, f.To.UTC().Format(time.RFC3339Nano))
	}
	q += " ORDER BY seq"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := c.db.QueryContext(ctx, c.d.q(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []auth.AuditRecord
	for rows.Next() {
		var r auth.AuditRecord
		var at string
		if err := rows.Scan(&r.Seq, &at, &r.Actor, &r.Action, &r.Study, &r.Object, &r.Outcome, &r.Client, &r.PrevHash, &r.Hash); err != nil {
			return nil, err
		}
		r.Time, err = time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return nil, fmt.Errorf("audit row %d: time %q: %w", r.Seq, at, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Principal is a caller found by a token or session hash: the credential's
// expiry and revocation, the user, their memberships, and the data version
// of each of their studies (migration 0004), all read by one query so a
// request costs one round trip to sign in, and a revoked token, an ended
// session or a disabled user is refused at the next request.
type Principal struct {
	User        auth.User // PasswordHash is not read
	Memberships []auth.Membership
	Versions    map[string]int64 // study -> data version
	Expires     time.Time
	Revoked     bool
}

// PrincipalByToken finds the caller holding the token with this hash
// (ErrNotFound when there is none).
func (c *core) PrincipalByToken(ctx context.Context, hash string) (Principal, error) {
	return c.principal(ctx, `SELECT c.expires_at, c.revoked, u.id, u.name, u.disabled, s.name, m.role, s.data_version
		FROM tokens c JOIN users u ON u.id = c.user_id
		LEFT JOIN memberships m ON m.user_id = u.id LEFT JOIN studies s ON s.id = m.study_id
		WHERE c.hash = ? ORDER BY s.name`, hash, "token")
}

// PrincipalBySession finds the caller of the session with this id hash
// (ErrNotFound when there is none).
func (c *core) PrincipalBySession(ctx context.Context, idHash string) (Principal, error) {
	return c.principal(ctx, `SELECT c.expires_at, 0, u.id, u.name, u.disabled, s.name, m.role, s.data_version
		FROM sessions c JOIN users u ON u.id = c.user_id
		LEFT JOIN memberships m ON m.user_id = u.id LEFT JOIN studies s ON s.id = m.study_id
		WHERE c.id_hash = ? ORDER BY s.name`, idHash, "session")
}

func (c *core) principal(ctx context.Context, q, hash, what string) (Principal, error) {
	rows, err := c.cachedQuery(ctx, q, hash)
	if err != nil {
		return Principal{}, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var p Principal
	found := false
	for rows.Next() {
		var ex string
		var rev, dis int
		var study, role sql.NullString
		var ver sql.NullInt64
		if err := rows.Scan(&ex, &rev, &p.User.ID, &p.User.Name, &dis, &study, &role, &ver); err != nil {
			return Principal{}, fmt.Errorf("%s: %w", what, err)
		}
		found = true
		p.Expires, p.Revoked, p.User.Disabled = parseTS(ex), rev != 0, dis != 0
		if !study.Valid || !role.Valid {
			continue
		}
		r, err := auth.ParseRole(role.String)
		if err != nil {
			return Principal{}, err
		}
		p.Memberships = append(p.Memberships, auth.Membership{Study: study.String, Role: r})
		if p.Versions == nil {
			p.Versions = map[string]int64{}
		}
		p.Versions[study.String] = ver.Int64
	}
	if err := rows.Err(); err != nil {
		return Principal{}, fmt.Errorf("%s: %w", what, err)
	}
	if !found {
		return Principal{}, fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return p, nil
}
