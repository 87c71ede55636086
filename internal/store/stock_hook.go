package store

import "context"

// stockChangedAtCommit runs the stock hook once per transaction, after every
// other statement of it.
//
// Why at the end (PostgreSQL deadlock 40P01, seen under the
// payment → PO benchmark): the hook enqueues the platform's push_stock job,
// unique while waiting or running, and River's unique insert
// (INSERT … ON CONFLICT (unique_key) DO UPDATE) locks that one job row
// until the transaction ends. A transaction that took the job row after its
// first stock change and then upserted stock_changes for a further product
// waited for a second transaction holding that product's row — which was
// itself waiting for the job row: "INSERT INTO stock_changes … ON CONFLICT"
// against "JobInsertFastMany", both in the server log. Taking the job row
// last, when every balance and stock_changes row of the transaction is
// already held, leaves one lock order for all of them.
func (s *Store) stockChangedAtCommit(ctx context.Context) error {
	if s.stockHook == nil {
		return nil
	}
	if !FirstInTx(ctx, "store:stock_hook") {
		return nil
	}
	return beforeCommit(ctx, s.stockHook)
}
