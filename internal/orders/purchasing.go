package orders

import (
	"context"
	"fmt"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// PurchaseOrders creates the purchase orders of a sales order inside the
// caller's transaction, idempotently (purchasing.Service).
type PurchaseOrders interface {
	CreateForOrder(ctx context.Context, salesOrderID int64) ([]model.PurchaseOrder, error)
}

// SetPurchasing installs the purchase order creation (app wiring); without
// it no PO is created.
func (s *Service) SetPurchasing(p PurchaseOrders) { s.purchasing = p }

// createsPO reports whether a sales order in this status is due its POs:
// payment approved, "pronto para manuseio" or handling — or a later status,
// for an order first seen there. Awaiting payment and cancelled are not.
func createsPO(st platform.Status) bool {
	switch st {
	case platform.StatusPaymentApproved, platform.StatusReadyForHandling, platform.StatusHandling,
		platform.StatusInvoiced, platform.StatusDispatched, platform.StatusDelivered:
		return true
	}
	return false
}

// purchaseOrders creates the order's POs when its status calls for them, in
// the order's transaction, and notes each on the order's timeline.
func (s *Service) purchaseOrders(ctx context.Context, so *model.SalesOrder, status platform.Status) error {
	if s.purchasing == nil || !createsPO(status) {
		return nil
	}
	created, err := s.purchasing.CreateForOrder(ctx, so.ID)
	if err != nil {
		return err
	}
	for _, po := range created {
		msg := fmt.Sprintf("Pedido de compra %s criado (%s).", po.Number, po.Status.Label())
		if err := s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventPurchaseOrder, msg); err != nil {
			return err
		}
	}
	return nil
}
