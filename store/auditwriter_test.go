package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lsc-bio/lsc/auth"
)

func auditRec(g, j int) auth.AuditRecord {
	return auth.AuditRecord{Time: time.Now(), Actor: "u" + strconv.Itoa(g), Action: "view-patient", Study: "S1",
		Object: fmt.Sprintf("%d/%d", g, j), Outcome: "ok", Client: "127.0.0.1"}
}

// Many concurrent callers, half waiting for the commit (AppendAudit) and
// half not (QueueAudit): every record is stored exactly once, the chain
// verifies, each caller's records keep the order it gave them, and the
// writer grouped them into fewer transactions than records.
func TestAuditWriterConcurrentBatches(t *testing.T) {
	backends(t, func(t *testing.T, st Store, _ string) {
		ctx := context.Background()
		const callers, each = 40, 25
		var wg sync.WaitGroup
		for g := 0; g < callers; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				add := st.AppendAudit
				if g%2 == 1 {
					add = st.QueueAudit
				}
				for j := 0; j < each; j++ {
					if err := add(ctx, auditRec(g, j)); err != nil {
						t.Error(err)
					}
				}
			}(g)
		}
		wg.Wait()
		recs, err := st.AuditLog(ctx, AuditFilter{}) // waits for the queued rows
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != callers*each {
			t.Fatalf("%d rows, want %d", len(recs), callers*each)
		}
		if err := auth.VerifyChain(recs); err != nil {
			t.Fatal(err)
		}
		next := map[int]int{}
		for _, r := range recs {
			var g, j int
			if _, err := fmt.Sscanf(r.Object, "%d/%d", &g, &j); err != nil {
				t.Fatalf("object %q: %v", r.Object, err)
			}
			if j != next[g] {
				t.Fatalf("caller %d: record %d stored where %d was due (seq %d)", g, j, next[g], r.Seq)
			}
			next[g]++
		}
		w := &coreOf(st).audit
		w.mu.Lock()
		batches := w.batches
		w.mu.Unlock()
		if batches >= callers*each {
			t.Errorf("%d transactions for %d records: no group commit", batches, callers*each)
		}
		t.Logf("%d records in %d transactions", callers*each, batches)
	})
}

// Close writes what was queued without waiting; a closed store refuses
// further rows; the reopened store holds every queued row in order.
func TestAuditWriterFlushOnClose(t *testing.T) {
	backends(t, func(t *testing.T, st Store, addr string) {
		ctx := context.Background()
		const n = 300
		for j := 0; j < n; j++ {
			if err := st.QueueAudit(ctx, auditRec(0, j)); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		if err := st.AppendAudit(ctx, auditRec(0, n)); !errors.Is(err, ErrClosed) {
			t.Errorf("append after Close: %v, want ErrClosed", err)
		}
		if err := st.QueueAudit(ctx, auditRec(0, n)); !errors.Is(err, ErrClosed) {
			t.Errorf("queue after Close: %v, want ErrClosed", err)
		}
		re := openStore(t, addr)
		recs, err := re.AuditLog(ctx, AuditFilter{})
		if err != nil || len(recs) != n {
			t.Fatalf("%d rows after reopening, want %d (%v)", len(recs), n, err)
		}
		if err := auth.VerifyChain(recs); err != nil {
			t.Fatal(err)
		}
		for j, r := range recs {
			if r.Object != fmt.Sprintf("0/%d", j) {
				t.Fatalf("row %d holds %q", j, r.Object)
			}
		}
	})
}

// Two Stores on one database (two processes: two servers, or lsc study
// audit beside a server) append at the same time: each has its own writer,
// and the database lock (SQLite's write lock, PostgreSQL's table lock)
// keeps one chain.
func TestAuditWriterTwoStores(t *testing.T) {
	backends(t, func(t *testing.T, st Store, addr string) {
		ctx := context.Background()
		other := openStore(t, addr)
		var wg sync.WaitGroup
		for g, s := range []Store{st, other, st, other} {
			wg.Add(1)
			go func(g int, s Store) {
				defer wg.Done()
				for j := 0; j < 30; j++ {
					if err := s.AppendAudit(ctx, auditRec(g, j)); err != nil {
						t.Error(err)
					}
				}
			}(g, s)
		}
		wg.Wait()
		recs, err := st.AuditLog(ctx, AuditFilter{})
		if err != nil || len(recs) != 120 {
			t.Fatalf("%d rows, %v", len(recs), err)
		}
		if err := auth.VerifyChain(recs); err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if !strings.Contains(r.Object, "/") {
				t.Fatalf("row %d: %q", r.Seq, r.Object)
			}
		}
	})
}

func coreOf(st Store) *core {
	switch s := st.(type) {
	case *sqliteStore:
		return s.core
	case *postgresStore:
		return s.core
	}
	panic("unknown store")
}
