package jobs

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/connectparts/portal/internal/store"
)

// Queue implements orders.Queue (and the store's stock hook) on River: the
// jobs are inserted in the transaction of the change that causes them.
type Queue struct {
	Client *Client
	Store  *store.Store

	mu        sync.Mutex
	platforms []int64
	readAt    time.Time
}

// platformsTTL bounds how long the list of enabled platforms is reused: a
// platform enabled meanwhile gets its first push from the scheduler instead.
const platformsTTL = 5 * time.Second

func (q *Queue) enabledPlatforms(ctx context.Context) ([]int64, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.platforms != nil && time.Since(q.readAt) < platformsTTL {
		return q.platforms, nil
	}
	// Read in the caller's transaction: SQLite has a single connection.
	ids, err := q.Store.EnabledPlatformIDs(ctx)
	if err != nil {
		return nil, err
	}
	q.platforms, q.readAt = ids, time.Now()
	return ids, nil
}

// StockChanged queues a stock push for every enabled platform.
func (q *Queue) StockChanged(ctx context.Context) error {
	ids, err := q.enabledPlatforms(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		// Once per transaction: 100 movements in one transaction, one insert.
		if !store.FirstInTx(ctx, fmt.Sprintf("push_stock:%d", id)) {
			continue
		}
		if _, err := q.insert(ctx, PushStockArgs{PlatformID: id}); err != nil {
			return err
		}
	}
	return nil
}

// StatusPushQueued queues sending an order's pending status actions.
func (q *Queue) StatusPushQueued(ctx context.Context, orderID int64) error {
	_, err := q.insert(ctx, PushStatusArgs{OrderID: orderID})
	return err
}

func (q *Queue) insert(ctx context.Context, args river.JobArgs) (*rivertype.JobInsertResult, error) {
	if held, err := hold(ctx, args); held {
		return nil, err
	}
	if _, ok := store.SQLTx(ctx); ok {
		return q.Client.InsertTx(ctx, args, nil)
	}
	return q.Client.Insert(ctx, args, nil)
}

// insertMany is insert for a batch, in one statement.
func (q *Queue) insertMany(ctx context.Context, params []river.InsertManyParams) error {
	if len(params) == 0 {
		return nil
	}
	var err error
	if tx, ok := store.SQLTx(ctx); ok {
		_, err = q.Client.river.InsertManyTx(ctx, tx, params)
	} else {
		_, err = q.Client.river.InsertMany(ctx, params)
	}
	return err
}

// StockPending reports whether a platform has products waiting for a push
// (drained or not yet).
func (q *Queue) StockPending(ctx context.Context, platformID int64) (bool, error) {
	dirty, queued, err := q.Store.CountDirtyStock(ctx, platformID)
	return dirty+queued > 0, err
}

// Tasks lists the background tasks (the "Tarefas agendadas" page).
func (q *Queue) Tasks(ctx context.Context) ([]Task, error) { return q.Client.Tasks(ctx) }
