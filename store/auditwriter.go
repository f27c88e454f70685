package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/lsc-bio/lsc/auth"
)

// Audit appends go through one writer goroutine per Store (group commit):
// AppendAudit queues its record and waits; the writer takes everything
// queued so far (at most maxAuditBatch), seals the records in queue order
// after the newest stored row (auth.Seal), inserts them in one transaction
// and then answers every waiting caller. Concurrent requests thus share one
// transaction, one lock and one commit instead of taking turns, while the
// chain stays exact: one sealer, sequence numbers without gaps, each row
// carrying the previous row's hash. A caller returns only after its row is
// committed, so a crash loses no audited action whose request was answered.
// QueueAudit (the server uses it for read-only views) returns once the
// record is queued: a crash (kill -9, power loss) loses the queued rows of
// the batch not yet committed, normally milliseconds' worth, but on SQLite
// everything viewed while an import holds the write lock. That is the price
// of readers that never wait for an import.
// A failed batch is rolled back whole and every caller in it gets the error.
// Close stops taking records, writes what is queued, then closes the
// database.

// maxAuditBatch bounds the rows sealed in one transaction.
const maxAuditBatch = 1024

// ErrClosed reports a call on a closed Store.
var ErrClosed = errors.New("study store is closed")

type auditReq struct {
	rec  auth.AuditRecord
	done chan error // buffered: the writer never blocks on a caller that gave up
}

type auditWriter struct {
	c       *core
	once    sync.Once
	mu      sync.Mutex
	queue   []auditReq
	closed  bool
	wake    chan struct{} // capacity 1: "the queue is not empty"
	stopped chan struct{} // closed when the writer has drained and exited
	started bool
	// queued and written count records taken and records whose batch has
	// ended (committed or failed); settled is signalled as written grows.
	queued, written int64
	settled         sync.Cond
	batches         int64 // transactions committed or tried, for tests
}

func (w *auditWriter) start() {
	w.once.Do(func() {
		w.settled.L = &w.mu
		w.wake = make(chan struct{}, 1)
		w.stopped = make(chan struct{})
		w.started = true
		go w.loop()
	})
}

// maxAuditQueued bounds the rows queued without waiting (QueueAudit);
// beyond it QueueAudit waits like AppendAudit.
const maxAuditQueued = 100000

// enqueue adds rec to the queue; wait reports whether the queue is full.
func (w *auditWriter) enqueue(rec auth.AuditRecord, done chan error) (full bool, err error) {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return false, fmt.Errorf("audit append: %w", ErrClosed)
	}
	w.start()
	w.queue = append(w.queue, auditReq{rec: rec, done: done})
	w.queued++
	full = len(w.queue) > maxAuditQueued
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	return full, nil
}

// queueOnly queues rec and returns at once (waiting only while the queue
// is full); the row is committed with the next batch.
func (w *auditWriter) queueOnly(ctx context.Context, rec auth.AuditRecord) error {
	done := make(chan error, 1)
	full, err := w.enqueue(rec, done)
	if err != nil || !full {
		return err
	}
	return w.wait(ctx, done)
}

// append queues rec and waits until the batch holding it is committed (or
// ctx ends: the row is still written, but the caller is not told).
func (w *auditWriter) append(ctx context.Context, rec auth.AuditRecord) error {
	done := make(chan error, 1)
	if _, err := w.enqueue(rec, done); err != nil {
		return err
	}
	return w.wait(ctx, done)
}

func (w *auditWriter) wait(ctx context.Context, done chan error) error {
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("audit append: waiting for the commit: %w", ctx.Err())
	}
}

func (w *auditWriter) loop() {
	defer close(w.stopped)
	for {
		w.mu.Lock()
		n := min(len(w.queue), maxAuditBatch)
		batch := w.queue[:n:n]
		w.queue = w.queue[n:]
		closed := w.closed
		w.mu.Unlock()
		if n == 0 {
			if closed {
				return
			}
			<-w.wake
			continue
		}
		err := w.c.writeAudit(batch)
		for start := time.Now(); err != nil && busy(err) && time.Since(start) < 5*time.Minute; {
			// SQLite's busy timeout ran out behind a long import: the
			// batch was rolled back whole, so trying again keeps the
			// chain exact.
			time.Sleep(100 * time.Millisecond)
			err = w.c.writeAudit(batch)
		}
		for _, r := range batch {
			r.done <- err
		}
		w.mu.Lock()
		w.written += int64(n)
		w.batches++
		w.settled.Broadcast()
		w.mu.Unlock()
	}
}

// flush waits until every record queued before the call has been written
// (readers of the log see what was queued before them).
func (w *auditWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.settled.L == nil {
		w.settled.L = &w.mu
	}
	for target := w.queued; w.written < target; {
		w.settled.Wait()
	}
}

// close stops taking records and waits until the queued ones are written.
func (w *auditWriter) close() {
	w.mu.Lock()
	w.closed = true
	started := w.started
	w.mu.Unlock()
	if !started {
		return
	}
	select {
	case w.wake <- struct{}{}:
	default:
	}
	<-w.stopped
}

// writeAudit seals and inserts one batch in one transaction. It runs on
// the writer goroutine only, with its own deadline (a batch serves many
// requests, so no single request's context may cancel it). On PostgreSQL
// the table is locked so that appends from other processes (lsc study
// audit, a second server) form the same chain; SQLite takes its write lock
// at BEGIN (_txlock=immediate).
func (c *core) writeAudit(batch []auditReq) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return c.inTx(ctx, func(tx *sql.Tx) error {
		if c.d.name == "postgres" {
			if _, err := tx.ExecContext(ctx, "LOCK TABLE audit IN EXCLUSIVE MODE"); err != nil {
				return err
			}
		}
		var prev *auth.AuditRecord
		var p auth.AuditRecord
		err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").Scan(&p.Seq, &p.Hash)
		switch {
		case err == nil:
			prev = &p
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		ins, err := tx.PrepareContext(ctx, c.d.q("INSERT INTO audit (seq, at, actor, action, study, object, outcome, client, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, req := range batch {
			r := auth.Seal(req.rec, prev)
			if _, err := ins.ExecContext(ctx, r.Seq, r.Time.UTC().Format(time.RFC3339Nano), r.Actor, r.Action, r.Study, r.Object, r.Outcome, r.Client, r.PrevHash, r.Hash); err != nil {
				return err
			}
			prev = &r
		}
		return nil
	})
}

// busy reports SQLite's "database is locked" (another writer held the lock
// past the busy timeout).
func busy(err error) bool {
	s := err.Error()
	return strings.Contains(s, "SQLITE_BUSY") || strings.Contains(s, "database is locked")
}
