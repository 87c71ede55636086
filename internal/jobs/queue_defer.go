package jobs

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/riverqueue/river"
)

type deferredKey struct{}

// deferred holds the jobs a batch of changes queued, to insert them with one
// statement at the end of its transaction.
type deferred struct {
	mu     sync.Mutex
	params []river.InsertManyParams
	seen   map[string]bool // kind and args: a unique job is held once
}

// Defer returns a ctx in which the queue holds its inserts back, and the
// flush that inserts them all in the transaction of its ctx with one
// InsertManyTx (River parses and runs one statement instead of one per job).
// Call flush inside the transaction, before it commits: a rolled-back
// transaction simply never flushes, so its jobs never exist, as with
// InsertTx. The same args are held once (the push jobs are unique while
// active anyway, and PostgreSQL refuses one INSERT … ON CONFLICT touching a
// row twice).
func (q *Queue) Defer(ctx context.Context) (context.Context, func(context.Context) error) {
	d := &deferred{seen: map[string]bool{}}
	flush := func(ctx context.Context) error {
		d.mu.Lock()
		params := d.params
		d.params, d.seen = nil, map[string]bool{}
		d.mu.Unlock()
		return q.insertMany(ctx, params)
	}
	return context.WithValue(ctx, deferredKey{}, d), flush
}

// hold keeps args for the flush of a deferring ctx; false: ctx does not defer.
func hold(ctx context.Context, args river.JobArgs) (bool, error) {
	d, ok := ctx.Value(deferredKey{}).(*deferred)
	if !ok {
		return false, nil
	}
	b, err := json.Marshal(args)
	if err != nil {
		return true, err
	}
	key := args.Kind() + ":" + string(b)
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.seen[key] {
		d.seen[key] = true
		d.params = append(d.params, river.InsertManyParams{Args: args})
	}
	return true, nil
}
