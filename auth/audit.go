package auth

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// AuditRecord is one row of the append-only audit log.
type AuditRecord struct {
	Seq      int64     // 1, 2, 3 ... without gaps
	Time     time.Time // UTC
	Actor    string    // user name, or "" for an anonymous request
	Action   string    // e.g. "sign-in", "view-patient", "import"
	Study    string
	Object   string // the patient, sample or run id acted on
	Outcome  string // "ok", "denied", "failed"
	Client   string // client address
	PrevHash string // Hash of the record before (GenesisHash for the first)
	Hash     string // ChainHash of this record
}

// GenesisHash is the PrevHash of the first record.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ChainHash returns the hash of a record chained to the previous record's
// hash: SHA-256 over the previous hash and every field, each
// length-prefixed so that no two different records encode alike.
func ChainHash(r AuditRecord) string {
	h := sha256.New()
	var n [8]byte
	put := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	put(r.PrevHash)
	binary.BigEndian.PutUint64(n[:], uint64(r.Seq))
	h.Write(n[:])
	put(r.Time.UTC().Format(time.RFC3339Nano))
	for _, s := range []string{r.Actor, r.Action, r.Study, r.Object, r.Outcome, r.Client} {
		put(s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Seal fills PrevHash and Hash of r as the record after prev (nil for the
// first record) and sets its Seq.
func Seal(r AuditRecord, prev *AuditRecord) AuditRecord {
	r.Seq, r.PrevHash = 1, GenesisHash
	if prev != nil {
		r.Seq, r.PrevHash = prev.Seq+1, prev.Hash
	}
	r.Hash = ChainHash(r)
	return r
}

// ErrChain reports an audit log that was edited or had rows removed.
var ErrChain = errors.New("audit chain broken")

// ChainError names the first record where the chain breaks.
type ChainError struct {
	Seq    int64
	Reason string
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("%v at record %d: %s", ErrChain, e.Seq, e.Reason)
}

func (e *ChainError) Unwrap() error { return ErrChain }

// VerifyChain checks records given in Seq order: sequence without gaps
// from 1, each PrevHash equal to the previous Hash, each Hash equal to its
// recomputed ChainHash. It returns the first break as a *ChainError.
// Removing the newest rows cannot be seen from the rows alone: compare
// the head hash (the last Hash) with one recorded elsewhere.
func VerifyChain(records []AuditRecord) error {
	prev := GenesisHash
	for i, r := range records {
		want := int64(i + 1)
		switch {
		case r.Seq != want:
			return &ChainError{Seq: want, Reason: fmt.Sprintf("record %d missing (found %d)", want, r.Seq)}
		case r.PrevHash != prev:
			return &ChainError{Seq: r.Seq, Reason: "previous-hash link does not match the record before (a row was removed or edited)"}
		case ChainHash(r) != r.Hash:
			return &ChainError{Seq: r.Seq, Reason: "content does not match its hash (the row was edited)"}
		}
		prev = r.Hash
	}
	return nil
}
