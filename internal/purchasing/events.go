package purchasing

import (
	"context"
	"time"

	"github.com/connectparts/portal/internal/model"
)

// publish tells the PO's supplier (its users, e-mail and webhook) about an
// event of the PO, in the caller's transaction.
func (s *Service) publish(ctx context.Context, kind string, po *model.PurchaseOrder, message string) error {
	return s.store.Publish(ctx, model.Event{
		Kind: kind, Audience: model.Audience{SupplierID: &po.SupplierID},
		Message: message, Link: "/purchase-orders/" + po.Number,
		SupplierID: &po.SupplierID, Data: poEventData(po),
	})
}

// poEventData is a PO as the webhook payload carries it.
func poEventData(po *model.PurchaseOrder) map[string]any {
	d := map[string]any{
		"number":       po.Number,
		"status":       string(po.Status),
		"order_number": po.OrderNumber,
		"total_cents":  po.TotalCents,
		"due_at":       po.DueAt.UTC().Format(time.RFC3339),
	}
	if dl := po.ShipDeadline(); dl != nil {
		d["ship_by"] = dl.UTC().Format(time.RFC3339)
	}
	return map[string]any{"purchase_order": d}
}
