package store

import (
	"context"
	"sync"
	"testing"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/testdb"
)

// The stock hook (the push job's unique insert) runs once per transaction,
// after the transaction's last stock change: it sees every product the
// transaction queued, so its job row is the last lock the transaction takes.
func TestStockHookRunsOnceAtTheEndOfTheTransaction(t *testing.T) {
	db := testdb.MustOpen(t)
	var calls, seen int64
	var s *Store
	s = NewWith(db, Options{StockHook: func(ctx context.Context) error {
		calls++
		return s.conn(ctx).Raw("SELECT COUNT(*) FROM stock_changes").Scan(&seen).Error
	}})
	ctx := model.WithActor(context.Background(), model.Actor{Label: "test"})
	loc, err := s.EnsureLocation(ctx, "CD", "CD", nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, sku := range []string{"A-1", "B-2"} {
		p := &model.Product{SKU: sku, Name: sku, Active: true}
		if err := s.CreateProduct(ctx, p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	err = s.Tx(ctx, func(ctx context.Context) error {
		for _, id := range ids {
			if _, err := s.ApplyStock(ctx, StockChange{ProductID: id, LocationID: loc.ID, Source: model.SourceManual, PhysicalDelta: 1, Reference: "t"}); err != nil {
				return err
			}
		}
		if calls != 0 {
			t.Errorf("stock hook ran %d times before the transaction's end", calls)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || seen != 2 {
		t.Errorf("stock hook ran %d times and saw %d queued products; want once, after both (2)", calls, seen)
	}
}

// Two transactions that lock two rows in opposite order deadlock on
// PostgreSQL (40P01): with Tx one of them fails, with TxRetry the victim is
// run again and both commit. (SQLite serialises writers: no deadlock to
// provoke, so this runs on PostgreSQL only.)
func TestTxRetryRunsADeadlockVictimAgain(t *testing.T) {
	if !testdb.IsPostgres() {
		t.Skip("PostgreSQL only: SQLite transactions are serialised and cannot deadlock")
	}
	s := New(testdb.MustOpen(t))
	ctx := context.Background()
	if err := s.db.Exec("CREATE TABLE retry_probe (id INT PRIMARY KEY, n INT NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	if err := s.db.Exec("INSERT INTO retry_probe VALUES (1, 0), (2, 0)").Error; err != nil {
		t.Fatal(err)
	}
	run := func(retry bool) (errs [2]error, attempts int) {
		var mu sync.Mutex
		var wg, firstLocks sync.WaitGroup
		firstLocks.Add(2)
		for g, order := range [2][2]int{{1, 2}, {2, 1}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				first := true
				fn := func(ctx context.Context) error {
					mu.Lock()
					attempts++
					mu.Unlock()
					if err := s.conn(ctx).Exec("UPDATE retry_probe SET n = n + 1 WHERE id = ?", order[0]).Error; err != nil {
						return err
					}
					if first {
						first = false
						firstLocks.Done()
						firstLocks.Wait() // both hold their first row: the second update deadlocks
					}
					return s.conn(ctx).Exec("UPDATE retry_probe SET n = n + 1 WHERE id = ?", order[1]).Error
				}
				if retry {
					errs[g] = s.TxRetry(ctx, 3, fn)
				} else {
					errs[g] = s.Tx(ctx, fn)
				}
			}()
		}
		wg.Wait()
		return errs, attempts
	}

	errs, _ := run(false)
	if !(Retryable(errs[0]) || Retryable(errs[1])) {
		t.Fatalf("without retry: errors %v, %v; want one deadlock (40P01)", errs[0], errs[1])
	}
	errs, attempts := run(true)
	if errs[0] != nil || errs[1] != nil || attempts != 3 {
		t.Fatalf("with retry: errors %v, %v after %d attempts; want both committed after 3", errs[0], errs[1], attempts)
	}
	var total int64
	if err := s.db.Raw("SELECT SUM(n) FROM retry_probe").Scan(&total).Error; err != nil {
		t.Fatal(err)
	}
	if total != 2+4 { // the first round's survivor (2) and both of the second round (4)
		t.Errorf("rows updated %d times, want 6", total)
	}
}
