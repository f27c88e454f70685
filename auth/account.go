package auth

import "time"

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
	Role  Role
}
