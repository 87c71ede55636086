package store

import (
	"cmp"
	"context"
	"slices"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
)

type stockDeferKey struct{}

type stockDeferred struct{ changes []StockChange }

// DeferStock returns a ctx in which ApplyStock holds its changes back (and
// returns a nil movement), and the flush that applies them all with one
// ApplyStockChanges in the transaction of its ctx, before it commits: a few
// statements for a whole batch of imported orders instead of five per order.
// The flush applies them in product and location order, each balance's
// changes in the order they were made (so every balance ends, and every
// ledger line reads, as if they had been applied one by one), and locks the
// balances in that order, as concurrent batches do. A refused change (a
// reservation going negative) fails the flush and so the transaction. Only
// for callers that do not read the balances they change before the flush
// (the import's batches).
func (s *Store) DeferStock(ctx context.Context) (context.Context, func(context.Context) error) {
	d := &stockDeferred{}
	flush := func(ctx context.Context) error {
		changes := d.changes
		d.changes = nil
		if len(changes) == 0 {
			return nil
		}
		slices.SortStableFunc(changes, func(a, b StockChange) int {
			return cmp.Or(cmp.Compare(a.ProductID, b.ProductID), cmp.Compare(a.LocationID, b.LocationID))
		})
		_, err := s.ApplyStockChanges(context.WithValue(ctx, stockDeferKey{}, (*stockDeferred)(nil)), changes)
		return err
	}
	return context.WithValue(ctx, stockDeferKey{}, d), flush
}

// deferStock holds c for DeferStock's flush; false: ctx does not defer.
func deferStock(ctx context.Context, c StockChange) bool {
	d, _ := ctx.Value(stockDeferKey{}).(*stockDeferred)
	if d == nil {
		return false
	}
	d.changes = append(d.changes, c)
	return true
}

type eventDeferKey struct{}

type eventsDeferred struct{ events []model.SalesOrderEvent }

// DeferOrderEvents returns a ctx in which AddSalesOrderEvent holds the
// events back, and the flush that inserts them, in the order they were
// added, with batched INSERTs in the transaction of its ctx. Only for callers
// that do not read the timelines before the flush (the import's batches).
func (s *Store) DeferOrderEvents(ctx context.Context) (context.Context, func(context.Context) error) {
	d := &eventsDeferred{}
	flush := func(ctx context.Context) error {
		events := d.events
		d.events = nil
		if len(events) == 0 {
			return nil
		}
		batch := upsertBatch
		if s.dialect == database.SQLite {
			batch = upsertBatchSQLite
		}
		return translate(s.conn(ctx).CreateInBatches(events, batch).Error, "Evento do pedido")
	}
	return context.WithValue(ctx, eventDeferKey{}, d), flush
}

// deferEvent holds e for DeferOrderEvents' flush; false: ctx does not defer.
func deferEvent(ctx context.Context, e model.SalesOrderEvent) bool {
	d, _ := ctx.Value(eventDeferKey{}).(*eventsDeferred)
	if d == nil {
		return false
	}
	d.events = append(d.events, e)
	return true
}
