package purchasing

import (
	"context"
	"fmt"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
)

// Reminder kinds: what a PO waits on from its supplier.
const (
	RemindInvoice  = "purchase_order.remind_invoice"  // send a corrected NF-e
	RemindShipment = "purchase_order.remind_shipment" // ship: the deadline passed
)

// RemindSupplier tells the supplier's users, in the portal, what the PO
// waits on from them — a corrected NF-e (invoice_divergent) or the shipment
// past its deadline (late) — and returns which reminder it sent. Any other
// PO has nothing to remind: ECONFLICT. The reminder is audited.
func (s *Service) RemindSupplier(ctx context.Context, number string) (*model.PurchaseOrder, string, error) {
	po, err := s.Find(ctx, nil, number)
	if err != nil {
		return nil, "", err
	}
	now := s.store.Now()
	var kind, msg string
	switch {
	case po.Status == model.POInvoiceDivergent:
		kind = RemindInvoice
		msg = fmt.Sprintf("A NF-e de venda do pedido de compra %s tem divergências: envie uma NF-e corrigida.", po.Number)
	case po.Late(now):
		kind = RemindShipment
		msg = fmt.Sprintf("O prazo de envio do pedido de compra %s venceu em %s: envie a etiqueta e o código de rastreio.",
			po.Number, format.DateTime(*po.ShipDeadline()))
	default:
		return nil, "", apperr.Errorf(apperr.ECONFLICT, "O pedido %s não espera nada do fornecedor agora (%s).", po.Number, po.Status.Label())
	}
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.Notify(ctx, model.Audience{SupplierID: &po.SupplierID}, kind, msg, "/purchase-orders/"+po.Number); err != nil {
			return err
		}
		return s.store.AuditEvent(ctx, kind, "purchase_order", po.Number, &po.SupplierID, nil)
	})
	if err != nil {
		return nil, "", err
	}
	return po, kind, nil
}
