package syncengine

import (
	"context"
	"fmt"

	"github.com/connectparts/portal/internal/model"
)

// PurchaseOrders is what the import asks of the purchase orders
// (purchasing.Service), inside the order's transaction and idempotently:
// create them once the order reaches the platform's po_at status; when the platform cancels the order,
// cancel those still open and not despachado (the others become staff
// exceptions); when it reports the delivery, mark shipped ones delivered.
// Cancel and deliver return the POs they changed.
type PurchaseOrders interface {
	CreateForOrder(ctx context.Context, salesOrderID int64) ([]model.PurchaseOrder, error)
	CancelForOrder(ctx context.Context, salesOrderID int64, reason string) ([]model.PurchaseOrder, error)
	DeliverForOrder(ctx context.Context, salesOrderID int64) ([]model.PurchaseOrder, error)
}

// PlatformLabels is what the engine asks of purchasing for orders whose
// platform issues the shipment label (model.LogisticsPlatformLabel):
// keep the label on the PO once the billing NF-e is accepted, and ship the
// billed POs when the platform reports the package picked up or dropped
// off. purchasing.Service implements it; the engine finds it on the
// PurchaseOrders it was given.
type PlatformLabels interface {
	AttachPlatformLabel(ctx context.Context, poID int64, shipmentID, tracking string, pdf, zpl []byte) error
	ShipByPlatform(ctx context.Context, salesOrderID int64, tracking string) ([]model.PurchaseOrder, error)
}

// purchaseOrders creates the order's POs when its status calls for them
// under the platform's po_at setting (model.POAt.RaisesPO: ready for
// handling by default, payment approval when chosen), in the order's
// transaction, and notes each on the order's timeline. The stock is reserved
// from payment approval either way (reconcileStock); only the PO waits for
// the cancellation window.
func (s *Service) purchaseOrders(ctx context.Context, p *model.Platform, so *model.SalesOrder, status model.SOStatus) error {
	if s.purchasing == nil || !p.POAt.RaisesPO(status) {
		return nil
	}
	// Purchasing reads the order: a batch's held orders go in first.
	if err := s.store.FlushSalesOrders(ctx); err != nil {
		return err
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

// purchaseOrdersFollow brings the order's POs in step with a new platform
// status, in the order's transaction: cancelled cancels them (or flags those
// already despachado), delivered delivers the shipped ones. Each changed PO
// is noted on the order's timeline.
func (s *Service) purchaseOrdersFollow(ctx context.Context, so *model.SalesOrder, status model.SOStatus, reason string) error {
	if s.purchasing == nil {
		return nil
	}
	var (
		changed []model.PurchaseOrder
		err     error
	)
	if so.Logistics == model.LogisticsPlatformLabel && (status == model.SODispatched || status == model.SODelivered) {
		// Mercado Envios: the platform reported the package picked up or
		// dropped off (or already delivered): the billed POs holding its
		// label are shipped, with its tracking.
		if pl, ok := s.purchasing.(PlatformLabels); ok {
			shipped, err := pl.ShipByPlatform(ctx, so.ID, so.TrackingNumber)
			if err != nil {
				return err
			}
			for _, po := range shipped {
				if err := s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventPurchaseOrder,
					fmt.Sprintf("Pedido de compra %s enviado: postagem ou coleta informada pelo Mercado Envios.", po.Number)); err != nil {
					return err
				}
			}
		}
	}
	switch status {
	case model.SOCancelled:
		changed, err = s.purchasing.CancelForOrder(ctx, so.ID, reason)
	case model.SODelivered:
		changed, err = s.purchasing.DeliverForOrder(ctx, so.ID)
	default:
		return nil
	}
	if err != nil {
		return err
	}
	for _, po := range changed {
		var msg string
		switch {
		case po.Status == model.POCancelled:
			msg = fmt.Sprintf("Pedido de compra %s cancelado; fornecedor avisado.", po.Number)
		case po.Status == model.PODelivered:
			msg = fmt.Sprintf("Pedido de compra %s entregue.", po.Number)
		default:
			msg = fmt.Sprintf("Pedido de compra %s já despachado (%s): não foi cancelado, exceção para a equipe.", po.Number, po.Status.Label())
		}
		if err := s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventPurchaseOrder, msg); err != nil {
			return err
		}
	}
	return nil
}
