package syncengine

import (
	"context"
	"fmt"
	"strconv"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// MarkInvoiced is ConnectParts billing a sales order (its billing NF-e was
// accepted for a purchase order): the order moves to invoiced with a
// timeline event, the reservation is consumed by the same rule an import
// uses (reconcileStock: exactly once, never again after stock_consumed), and
// the invoice push to the platform is queued. It joins the caller's
// transaction. An order already invoiced, dispatched or delivered keeps its
// status (a second PO of the same order billed later) but still gets the
// push of its own invoice (invoiceID, a billing_invoices id) queued; a
// cancelled order is ECONFLICT.
func (s *SalesOrders) MarkInvoiced(ctx context.Context, orderID, invoiceID int64, message string) error {
	return s.store.Tx(ctx, func(ctx context.Context) error {
		so, err := s.store.FindSalesOrder(ctx, orderID)
		if err != nil {
			return err
		}
		if so.Status == model.SOCancelled {
			return apperr.Errorf(apperr.ECONFLICT, "O pedido de venda %s está cancelado: não pode ser faturado.", so.Number)
		}
		p, err := s.store.FindPlatform(ctx, so.PlatformID)
		if err != nil {
			return err
		}
		if !so.Status.Invoiced() {
			if err := s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventStatusChanged,
				fmt.Sprintf("Status alterado de %s para %s: %s", so.Status.Label(), model.SOInvoiced.Label(), message)); err != nil {
				return err
			}
			so.Status = model.SOInvoiced
		}
		if _, err := s.reconcileStock(ctx, p, so, model.SOInvoiced, false); err != nil {
			return err
		}
		if err := s.store.UpdateSalesOrderSync(ctx, so); err != nil {
			return err
		}
		return s.queueAction(ctx, so.ID, so.PlatformID, model.ActionInvoice, invoiceID, "")
	})
}

// ConsumeForPurchaseOrder is fiscal booking a supplier's sale invoice
// (entrada da nota): the order lines of the PO's products leave the
// supplier's stock now, recorded as invoice-entry movements (reserved first
// when the order held no reservation), and are not consumed again when the
// order is invoiced. It joins the caller's transaction; lines already
// consumed, or a cancelled order, move nothing.
func (s *SalesOrders) ConsumeForPurchaseOrder(ctx context.Context, orderID int64, productIDs []int64, ref, message string) error {
	return s.store.Tx(ctx, func(ctx context.Context) error {
		so, err := s.store.FindSalesOrder(ctx, orderID)
		if err != nil {
			return err
		}
		if so.StockConsumed || so.Status == model.SOCancelled {
			return nil
		}
		want := map[int64]bool{}
		for _, id := range productIDs {
			want[id] = true
		}
		var lines []model.SalesOrderItem
		for _, it := range openItems(so) {
			if want[it.ProductID] {
				lines = append(lines, it)
			}
		}
		if len(lines) == 0 {
			return nil
		}
		for _, it := range lines {
			if !so.Reserved {
				if _, err := s.stock.Reserve(ctx, it.ProductID, it.LocationID, it.Quantity, ref); err != nil {
					return err
				}
			}
			if _, err := s.stock.ConsumeBooked(ctx, it.ProductID, it.LocationID, it.Quantity, ref); err != nil {
				return err
			}
		}
		if err := s.markConsumed(ctx, so, lines); err != nil {
			return err
		}
		if len(openItems(so)) == 0 {
			so.Reserved, so.StockConsumed = false, true
			if err := s.store.UpdateSalesOrderSync(ctx, so); err != nil {
				return err
			}
		}
		return s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventStockConsumed,
			fmt.Sprintf("Estoque baixado pela %s: %s.", message, itemList(lines)))
	})
}

// MarkDispatched is logistics marking a billed sales order despachado: status
// dispatched and a timeline event. Only an invoiced order may be dispatched
// (ECONFLICT otherwise); an order already dispatched or delivered is left
// as it is.
func (s *SalesOrders) MarkDispatched(ctx context.Context, orderID int64, message string) error {
	return s.store.Tx(ctx, func(ctx context.Context) error {
		so, err := s.store.FindSalesOrder(ctx, orderID)
		if err != nil {
			return err
		}
		switch {
		case so.Status.Dispatched():
			return nil
		case so.Status == model.SOInvoiced:
		default:
			return apperr.Errorf(apperr.ECONFLICT, "O pedido de venda %s está com status %s: só um pedido faturado pode ser despachado.",
				so.Number, so.Status.Label())
		}
		if err := s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventStatusChanged,
			fmt.Sprintf("Status alterado de %s para %s: %s", so.Status.Label(), model.SODispatched.Label(), message)); err != nil {
			return err
		}
		so.Status = model.SODispatched
		return s.store.UpdateSalesOrderSync(ctx, so)
	})
}

// MarkShipped is the supplier shipping a purchase order of the sales order:
// a timeline event and the push of that shipment's tracking (shipmentID, a
// po_shipments id) to the platform queued. It joins
// the caller's transaction. The status is left to logistics (despachado)
// and the platform (delivered); a cancelled order is ECONFLICT.
func (s *SalesOrders) MarkShipped(ctx context.Context, orderID, shipmentID int64, message string) error {
	return s.store.Tx(ctx, func(ctx context.Context) error {
		so, err := s.store.FindSalesOrder(ctx, orderID)
		if err != nil {
			return err
		}
		if so.Status == model.SOCancelled {
			return apperr.Errorf(apperr.ECONFLICT, "O pedido de venda %s está cancelado: não pode ser enviado.", so.Number)
		}
		if err := s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventPurchaseOrder, "Enviado: "+message); err != nil {
			return err
		}
		return s.queueAction(ctx, so.ID, so.PlatformID, model.ActionTracking, shipmentID, "")
	})
}

// sendTracking is the tracking case of sendAction: the push's shipment
// (the latest for a push queued before pushes named theirs), with the number
// of its PO's billing invoice — the invoice the tracking belongs to.
func (s *Service) sendTracking(ctx context.Context, ad platform.Adapter, sp *model.StatusPush) error {
	sh, err := s.store.FindPOShipmentOfSalesOrder(ctx, sp.OrderID, sp.RefID)
	if err != nil {
		return err
	}
	inv, err := s.store.FindBillingInvoice(ctx, sh.POID)
	if err != nil {
		return err
	}
	carrier := sh.Carrier
	if carrier == "correios" {
		carrier = "Correios"
	}
	return ad.SendTracking(ctx, sp.ExternalID, platform.Tracking{
		InvoiceNumber: strconv.Itoa(inv.Number), Carrier: carrier, Code: sh.TrackingCode, URL: sh.TrackingURL, DispatchedAt: sh.ShippedAt,
	})
}

// sendInvoice is the invoice case of sendAction: the push's billing NF-e,
// XML embedded. When the sales order has POs of several suppliers, each
// billing invoice covers its PO's lines only, and says so (a partial
// invoice); otherwise it is the whole order's.
func (s *Service) sendInvoice(ctx context.Context, ad platform.Adapter, sp *model.StatusPush) error {
	inv, err := s.store.FindBillingInvoiceOfSalesOrder(ctx, sp.OrderID, sp.RefID)
	if err != nil {
		return err
	}
	items, err := s.invoiceItems(ctx, sp.OrderID, inv.POID)
	if err != nil {
		return err
	}
	err = ad.SendInvoice(ctx, sp.ExternalID, platform.Invoice{
		Number: strconv.Itoa(inv.Number), Series: strconv.Itoa(inv.Series), Key: inv.AccessKey,
		IssuedAt: inv.IssuedAt, ValueCents: inv.TotalCents, XML: []byte(inv.XML), Items: items,
	})
	if err != nil {
		return err
	}
	return s.platformLabel(ctx, ad, sp, inv.POID)
}

// platformLabel fetches the label the platform released for the order's
// shipment with the NF-e just accepted (Mercado Envios 2) and keeps it on
// the PO, for the supplier to print. Until the platform releases it the
// error is temporary: the invoice push stays pending and is tried again
// (sending the same NF-e again is a success), so the push is done only when
// the PO holds the label.
func (s *Service) platformLabel(ctx context.Context, ad platform.Adapter, sp *model.StatusPush, poID int64) error {
	li, ok := ad.(platform.LabelIssuer)
	pl, ok2 := s.purchasing.(PlatformLabels)
	if !ok || !ok2 {
		return nil
	}
	so, err := s.store.FindSalesOrder(ctx, sp.OrderID)
	if err != nil || so.Logistics != model.LogisticsPlatformLabel {
		return err
	}
	l, err := li.ShipmentLabel(ctx, sp.ExternalID)
	if err != nil {
		return err
	}
	return pl.AttachPlatformLabel(ctx, poID, l.ShipmentID, l.TrackingNumber, l.PDF, l.ZPL)
}

// invoiceItems are the sales order lines a PO's billing invoice covers, at
// the customer's prices; nil when the PO is the order's only one.
func (s *Service) invoiceItems(ctx context.Context, orderID, poID int64) ([]platform.InvoiceItem, error) {
	pos, err := s.store.ListPurchaseOrdersOfSalesOrder(ctx, orderID)
	if err != nil || len(pos) < 2 {
		return nil, err
	}
	so, err := s.store.FindSalesOrder(ctx, orderID)
	if err != nil {
		return nil, err
	}
	var items []platform.InvoiceItem
	for _, po := range pos {
		if po.ID != poID {
			continue
		}
		for _, pi := range po.Items {
			for _, si := range so.Items {
				if si.ProductID == pi.ProductID {
					items = append(items, platform.InvoiceItem{SKU: si.SKU, PlatformItemID: si.PlatformItemID,
						Description: si.Name, Quantity: pi.Quantity, UnitCents: si.UnitPriceCents})
					break
				}
			}
		}
	}
	return items, nil
}
