package server

import (
	"testing"

	"github.com/lsc-bio/lsc/auth"
)

// The hash unknown users are checked against is a real Argon2id hash (made on
// first use, not at package init): it verifies its own password and no other.
func TestDummyHashIsARealHash(t *testing.T) {
	h := dummyHash()
	if ok, err := auth.VerifyPassword(h, "not-a-real-password"); !ok || err != nil {
		t.Fatalf("%q: %v %v", h, ok, err)
	}
	if ok, _ := auth.VerifyPassword(h, "guess"); ok {
		t.Error("verifies a wrong password")
	}
	if dummyHash() != h {
		t.Error("made twice")
	}
}
