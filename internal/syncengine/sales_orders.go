package syncengine

import (
	"github.com/connectparts/portal/internal/stock"
	"github.com/connectparts/portal/internal/store"
)

// SalesOrders are the sales-order steps the purchase orders drive
// (purchasing.SalesOrders): billing marks the order invoiced, the despacho
// dispatched, the shipment queues the tracking push, the supplier invoice's
// booking consumes the stock, and purchasing's cancellation queues the
// platform's. It needs neither the platforms nor purchasing, so the
// dependency runs one way: Service (the import) → purchasing → SalesOrders.
type SalesOrders struct {
	store *store.Store
	stock *stock.Service
	queue Queue // nil: no background jobs
}

// NewSalesOrders builds the sales-order steps; q may be nil.
func NewSalesOrders(st *store.Store, stk *stock.Service, q Queue) *SalesOrders {
	return &SalesOrders{store: st, stock: stk, queue: q}
}
