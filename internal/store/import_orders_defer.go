package store

import (
	"context"
	"fmt"

	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
)

type orderDeferKey struct{}

type pushKey struct {
	orderID int64
	action  model.StatusAction
	refID   int64
}

// ordersDeferred is what DeferSalesOrders holds for its flush: the new
// orders (their ids allocated already), the status pushes of those orders,
// and the ids allocated and not used yet.
type ordersDeferred struct {
	hint     int
	orders   []*model.SalesOrder
	held     map[int64]*model.SalesOrder // by id
	pushes   []model.StatusPush
	pushSeen map[pushKey]bool
	orderIDs idPool
	itemIDs  idPool
}

// idPool hands out ids allocated ahead: on PostgreSQL values of the table's
// sequence (free, for the flush's INSERTs with explicit ids); on SQLite,
// whose transactions hold the one write lock, the ids after the largest the
// table (and its AUTOINCREMENT counter) holds.
type idPool struct {
	free []int64 // PostgreSQL
	next int64   // SQLite: the next id; 0: not read yet
}

// DeferSalesOrders returns a ctx in which CreateSalesOrder gives the order
// and its lines their ids at once but holds their rows back, and the flush
// that inserts every held order, then every line, then the status pushes
// queued for those orders (QueueStatusPush), with multi-row INSERTs in the
// transaction of its ctx: three statements for a batch of imported orders
// instead of four per order. hint is how many orders the caller may create
// (ids are allocated that many at a time on PostgreSQL).
//
// Until the flush a held order exists only in memory: UpdateSalesOrderSync
// on it changes the held row and runs no statement, and QueueStatusPush on
// it holds the push (an order that is not in the database yet has no push:
// the push is new unless held already). Anything else that reads or writes
// the order's rows must call FlushSalesOrders first (MarkSalesOrderItemsConsumed
// does). Call the flush before the flushes of DeferOrderEvents (events refer
// to the orders). A conflict (the order imported meanwhile) surfaces at the
// flush and fails the transaction. Only for the import's batches.
func (s *Store) DeferSalesOrders(ctx context.Context, hint int) (context.Context, func(context.Context) error) {
	d := &ordersDeferred{hint: max(hint, 1), held: map[int64]*model.SalesOrder{}, pushSeen: map[pushKey]bool{}}
	ctx = context.WithValue(ctx, orderDeferKey{}, d)
	return ctx, func(ctx context.Context) error { return s.flushSalesOrders(ctx, d) }
}

// FlushSalesOrders writes the orders a ctx from DeferSalesOrders holds now
// (the flush does the same at the end); outside such a ctx it does nothing.
func (s *Store) FlushSalesOrders(ctx context.Context) error {
	d, _ := ctx.Value(orderDeferKey{}).(*ordersDeferred)
	if d == nil {
		return nil
	}
	return s.flushSalesOrders(ctx, d)
}

func deferredOrders(ctx context.Context) *ordersDeferred {
	d, _ := ctx.Value(orderDeferKey{}).(*ordersDeferred)
	return d
}

func (s *Store) flushSalesOrders(ctx context.Context, d *ordersDeferred) error {
	orders, pushes := d.orders, d.pushes
	d.orders, d.pushes = nil, nil
	clear(d.held)
	clear(d.pushSeen)
	if len(orders) == 0 && len(pushes) == 0 {
		return nil
	}
	if len(orders) > 0 {
		var items []model.SalesOrderItem
		for _, o := range orders {
			items = append(items, o.Items...)
		}
		rows := make([]model.SalesOrder, len(orders))
		for i, o := range orders {
			rows[i] = *o
			rows[i].Items = nil
		}
		err := s.conn(ctx).Omit(clause.Associations).CreateInBatches(rows, s.rowsPerInsert(52)).Error
		if err != nil {
			return translate(err, "Pedido de venda")
		}
		if len(items) > 0 {
			if err := s.conn(ctx).CreateInBatches(items, s.rowsPerInsert(12)).Error; err != nil {
				return translate(err, "Item do pedido")
			}
		}
	}
	if len(pushes) > 0 {
		err := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Omit("ExternalID").CreateInBatches(pushes, s.rowsPerInsert(14)).Error
		if err != nil {
			return translate(err, "Envio de status")
		}
	}
	return nil
}

// rowsPerInsert is how many rows of cols columns one INSERT carries: on
// PostgreSQL well under its 65,535 parameters; on SQLite about 500, as the
// driver (glebarez/go-sqlite) looks each parameter up among all the
// statement's arguments, a cost that grows with the square of their number
// (2,600 parameters cost more to bind than the six statements of 500 cost
// to parse).
func (s *Store) rowsPerInsert(cols int) int {
	limit := 30000
	if s.dialect == database.SQLite {
		limit = 500
	}
	return max(limit/cols, 1)
}

// holdSalesOrder gives o and its lines their ids and holds them for the
// flush; false: ctx does not defer.
func (s *Store) holdSalesOrder(ctx context.Context, o *model.SalesOrder) (bool, error) {
	d := deferredOrders(ctx)
	if d == nil {
		return false, nil
	}
	ids, err := s.allocateIDs(ctx, &d.orderIDs, "sales_orders", 1, d.hint)
	if err != nil {
		return true, err
	}
	o.ID = ids[0]
	if len(o.Items) > 0 {
		ids, err := s.allocateIDs(ctx, &d.itemIDs, "sales_order_items", len(o.Items), 2*d.hint)
		if err != nil {
			return true, err
		}
		for i := range o.Items {
			o.Items[i].ID = ids[i]
		}
	}
	d.orders = append(d.orders, o)
	d.held[o.ID] = o
	return true, nil
}

// allocateIDs returns n ids of table for rows inserted with explicit ids,
// reading ahead at least ahead of them on PostgreSQL.
func (s *Store) allocateIDs(ctx context.Context, p *idPool, table string, n, ahead int) ([]int64, error) {
	if s.dialect == database.Postgres {
		if len(p.free) < n {
			var got []int64
			err := s.conn(ctx).Raw(fmt.Sprintf(`SELECT nextval(pg_get_serial_sequence('%s', 'id')) FROM generate_series(1, ?)`, table),
				max(n-len(p.free), ahead)).Scan(&got).Error
			if err != nil {
				return nil, translate(err, "Pedido de venda")
			}
			p.free = append(p.free, got...)
		}
		ids := p.free[:n:n]
		p.free = p.free[n:]
		return ids, nil
	}
	if p.next == 0 {
		var last int64
		err := s.conn(ctx).Raw(fmt.Sprintf(`SELECT COALESCE(MAX(n), 0) FROM (SELECT MAX(id) AS n FROM %s
			UNION ALL SELECT seq FROM sqlite_sequence WHERE name = '%s')`, table, table)).Scan(&last).Error
		if err != nil {
			return nil, translate(err, "Pedido de venda")
		}
		p.next = last + 1
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = p.next
		p.next++
	}
	return ids, nil
}

// heldUpdate applies UpdateSalesOrderSync to a held order; false: o is not
// held.
func heldUpdate(ctx context.Context, o *model.SalesOrder) bool {
	d := deferredOrders(ctx)
	if d == nil {
		return false
	}
	h, ok := d.held[o.ID]
	if !ok {
		return false
	}
	if h != o {
		h.Status, h.ChannelStatus, h.CancelRequested = o.Status, o.ChannelStatus, o.CancelRequested
		h.Reserved, h.StockConsumed, h.PaidAt = o.Reserved, o.StockConsumed, o.PaidAt
		h.TrackingNumber, h.ShipmentID, h.Logistics = o.TrackingNumber, o.ShipmentID, o.Logistics
		h.ChannelUpdatedAt, h.UpdatedAt = o.ChannelUpdatedAt, o.UpdatedAt
	}
	return true
}

// heldPush holds p when its order is held, and reports whether it is new;
// held false: the order is not held.
func heldPush(ctx context.Context, p model.StatusPush) (held, created bool) {
	d := deferredOrders(ctx)
	if d == nil {
		return false, false
	}
	if _, ok := d.held[p.OrderID]; !ok {
		return false, false
	}
	k := pushKey{p.OrderID, p.Action, p.RefID}
	if d.pushSeen[k] {
		return true, false
	}
	d.pushSeen[k] = true
	d.pushes = append(d.pushes, p)
	return true, true
}
