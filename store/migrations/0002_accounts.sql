-- 0002 accounts: users, study memberships with roles, browser sessions, personal
-- access tokens, and the append-only audit log of the web app (issue 14).
-- Secrets are never stored: passwords as argon2id PHC strings, session ids and
-- tokens as SHA-256 hex. Times are RFC 3339 UTC text.

CREATE TABLE users (
    id {{ID}},
    name TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE memberships (
    user_id BIGINT NOT NULL REFERENCES users(id),
    study_id BIGINT NOT NULL REFERENCES studies(id),
    role TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    PRIMARY KEY (user_id, study_id)
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE tokens (
    hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tokens_user ON tokens (user_id);

-- Each row carries the hash of the row before it (auth.ChainHash), so an edited
-- or removed row is found by `lsc study audit verify`.
CREATE TABLE audit (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    study TEXT NOT NULL,
    object TEXT NOT NULL,
    outcome TEXT NOT NULL,
    client TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
