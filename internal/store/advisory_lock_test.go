package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

// Two stores on one database stand for two portal instances: on PostgreSQL
// the advisory lock lets one of them in at a time.
func TestAdvisoryLockExcludesOtherInstances(t *testing.T) {
	url := testdb.URL(t)
	one, two := openStoreAt(t, url), openStoreAt(t, url)
	var inside, most, ran atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		st := []*store.Store{one, two}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := st.WithAdvisoryLock(context.Background(), store.LockPlatformToken|7, func(context.Context) error {
				n := inside.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(20 * time.Millisecond)
				inside.Add(-1)
				ran.Add(1)
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ran.Load() != 6 {
		t.Fatalf("fn ran %d times, want 6", ran.Load())
	}
	if testdb.IsPostgres() && most.Load() != 1 {
		t.Fatalf("%d holders at once, want 1", most.Load())
	}
}

func openStoreAt(t *testing.T, url string) *store.Store {
	t.Helper()
	db, err := database.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return store.New(db)
}
