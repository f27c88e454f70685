package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// TokenPrefix marks lsc personal access tokens, so a leaked token is
// recognisable by secret scanners.
const TokenPrefix = "lsc_pat_"

var tokenEnc = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewToken returns a new personal access token (shown to the user once)
// and the hash to store. 32 random bytes from rnd (crypto/rand when nil).
func NewToken(rnd io.Reader) (token, hash string, err error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	var b [32]byte
	if _, err := io.ReadFull(rnd, b[:]); err != nil {
		return "", "", fmt.Errorf("token: %w", err)
	}
	token = TokenPrefix + strings.ToLower(tokenEnc.EncodeToString(b[:]))
	return token, HashToken(token), nil
}

// HashToken is the stored form of a token or session id: hex SHA-256. A
// token has 256 bits of entropy, so a fast hash suffices (no salt, no
// stretching), and a lookup by hash needs no scan.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// NewSessionID returns a random session identifier for a cookie.
func NewSessionID(rnd io.Reader) (string, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	var b [32]byte
	if _, err := io.ReadFull(rnd, b[:]); err != nil {
		return "", fmt.Errorf("session id: %w", err)
	}
	return strings.ToLower(tokenEnc.EncodeToString(b[:])), nil
}
