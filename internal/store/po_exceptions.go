package store

import (
	"context"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// CancelPurchaseOrder cancels a PO that is still open and not despachado
// (model.PurchaseOrder.Cancellable): status cancelled, cancelled_at and the
// reason, a history event and the audit, in one transaction. The condition is
// in the UPDATE itself, so a concurrent despacho or shipment wins or loses
// cleanly; a PO no longer cancellable is ECONFLICT.
func (s *Store) CancelPurchaseOrder(ctx context.Context, po *model.PurchaseOrder, reason, message string) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		now := s.now()
		res := s.conn(ctx).Model(&model.PurchaseOrder{}).
			Where("id = ? AND status IN ? AND dispatched_at IS NULL", po.ID, model.CancellableStatuses()).
			Updates(map[string]any{"status": model.POCancelled, "cancelled_at": now, "cancel_reason": reason, "updated_at": now})
		if res.Error != nil {
			return translate(res.Error, "Pedido de compra")
		}
		if res.RowsAffected == 0 {
			return apperr.Errorf(apperr.ECONFLICT, "O pedido de compra %s não pode ser cancelado: só um pedido em aberto e ainda não despachado.", po.Number)
		}
		from := po.Status
		po.Status, po.CancelledAt, po.CancelReason = model.POCancelled, &now, reason
		if err := s.AddPurchaseOrderEvent(ctx, po.ID, model.POEventCancelled, message); err != nil {
			return err
		}
		return s.audit(ctx, "purchase_order."+model.POEventCancelled, "purchase_order", po.Number, &po.SupplierID,
			map[string]any{"from": from, "reason": reason})
	})
}

// FlagPurchaseOrderCancelException records that the PO's sales order was
// cancelled after the PO was despachado (or shipped): the PO keeps its status
// and enters the staff queue. Flagging is done once (flagged false when the
// PO was flagged before, or is cancelled), with a history event and the audit.
func (s *Store) FlagPurchaseOrderCancelException(ctx context.Context, po *model.PurchaseOrder, reason, message string) (bool, error) {
	var flagged bool
	err := s.Tx(ctx, func(ctx context.Context) error {
		now := s.now()
		res := s.conn(ctx).Model(&model.PurchaseOrder{}).
			Where("id = ? AND cancel_exception_at IS NULL AND status <> ?", po.ID, model.POCancelled).
			Updates(map[string]any{"cancel_exception_at": now, "cancel_exception_reason": reason, "updated_at": now})
		if res.Error != nil {
			return translate(res.Error, "Pedido de compra")
		}
		if res.RowsAffected == 0 {
			return nil
		}
		flagged = true
		po.CancelExceptionAt, po.CancelExceptionReason = &now, reason
		if err := s.AddPurchaseOrderEvent(ctx, po.ID, model.POEventCancelException, message); err != nil {
			return err
		}
		return s.audit(ctx, "purchase_order."+model.POEventCancelException, "purchase_order", po.Number, &po.SupplierID,
			map[string]any{"status": po.Status, "reason": reason})
	})
	return flagged, err
}

// ResolvePurchaseOrderException closes the cancelled-after-despacho
// exception of a PO with staff's note (who and when, history, audit). A PO
// without a pending exception is ECONFLICT.
func (s *Store) ResolvePurchaseOrderException(ctx context.Context, po *model.PurchaseOrder, note, message string) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		now := s.now()
		by := actorUserID(ctx)
		res := s.conn(ctx).Model(&model.PurchaseOrder{}).
			Where("id = ? AND cancel_exception_at IS NOT NULL AND exception_resolved_at IS NULL", po.ID).
			Updates(map[string]any{"exception_resolved_at": now, "exception_resolved_by": by, "exception_resolution": note, "updated_at": now})
		if res.Error != nil {
			return translate(res.Error, "Pedido de compra")
		}
		if res.RowsAffected == 0 {
			return apperr.Errorf(apperr.ECONFLICT, "O pedido de compra %s não tem cancelamento após o despacho pendente.", po.Number)
		}
		po.ExceptionResolvedAt, po.ExceptionResolvedBy, po.ExceptionResolution = &now, by, note
		if err := s.AddPurchaseOrderEvent(ctx, po.ID, model.POEventExceptionResolved, message); err != nil {
			return err
		}
		return s.audit(ctx, "purchase_order."+model.POEventExceptionResolved, "purchase_order", po.Number, &po.SupplierID,
			map[string]any{"note": note})
	})
}

// RepricePurchaseOrder stores the new prices of a PO without price and moves
// it no_price → awaiting_supplier with the new total, priced_at and due_at,
// in one transaction (ECONFLICT when the PO left no_price meanwhile).
func (s *Store) RepricePurchaseOrder(ctx context.Context, po *model.PurchaseOrder, pricedAt, dueAt time.Time, message string, details any) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		var total int64
		for _, it := range po.Items {
			if it.TotalCents != nil {
				total += *it.TotalCents
			}
		}
		if err := s.MovePurchaseOrder(ctx, po, []model.POStatus{model.PONoPrice}, model.POAwaitingSupplier,
			map[string]any{"total_cents": total, "priced_at": pricedAt, "due_at": dueAt}, model.POEventRepriced, message, details); err != nil {
			return err
		}
		for _, it := range po.Items {
			err := s.conn(ctx).Model(&model.PurchaseOrderItem{}).Where("id = ? AND po_id = ?", it.ID, po.ID).
				Updates(map[string]any{"unit_price_cents": it.UnitPriceCents, "total_cents": it.TotalCents, "price_table_id": it.PriceTableID}).Error
			if err != nil {
				return translate(err, "Item do pedido de compra")
			}
		}
		po.TotalCents, po.PricedAt, po.DueAt = total, pricedAt, dueAt
		return nil
	})
}
