package auth

import (
	"sync"
	"time"
)

// Limiter counts failed sign-ins per key (a user name, a client address)
// and locks a key out for Lockout after MaxFailures failures within
// Window. A success clears the key. It is safe for concurrent use; the
// clock is passed in so the policy is testable.
type Limiter struct {
	MaxFailures int
	Window      time.Duration
	Lockout     time.Duration

	mu   sync.Mutex
	keys map[string]*attempts
}

type attempts struct {
	fails       []time.Time
	lockedUntil time.Time
}

// NewLimiter returns the default policy: 5 failures in 15 minutes lock the
// key for 15 minutes (OWASP Authentication Cheat Sheet's suggested range).
func NewLimiter() *Limiter {
	return &Limiter{MaxFailures: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute, keys: map[string]*attempts{}}
}

// Locked reports whether key is locked out at now and until when.
func (l *Limiter) Locked(key string, now time.Time) (bool, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.keys[key]
	if a == nil || !now.Before(a.lockedUntil) {
		return false, time.Time{}
	}
	return true, a.lockedUntil
}

// Fail records a failure and reports whether the key is now locked.
func (l *Limiter) Fail(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keys == nil {
		l.keys = map[string]*attempts{}
	}
	a := l.keys[key]
	if a == nil {
		a = &attempts{}
		l.keys[key] = a
	}
	keep := a.fails[:0]
	for _, t := range a.fails {
		if now.Sub(t) < l.Window {
			keep = append(keep, t)
		}
	}
	a.fails = append(keep, now)
	if len(a.fails) >= l.MaxFailures {
		a.lockedUntil = now.Add(l.Lockout)
		a.fails = a.fails[:0]
		return true
	}
	return false
}

// Succeed clears the key's failures.
func (l *Limiter) Succeed(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.keys, key)
}

// Sweep drops keys with no recent failures and no running lock-out, so
// memory stays bounded under a spray of user names.
func (l *Limiter) Sweep(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, a := range l.keys {
		if !now.Before(a.lockedUntil) && (len(a.fails) == 0 || now.Sub(a.fails[len(a.fails)-1]) >= l.Window) {
			delete(l.keys, k)
		}
	}
}
