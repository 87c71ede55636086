package orders

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
// push queued once; a cancelled order is ECONFLICT.
func (s *Service) MarkInvoiced(ctx context.Context, orderID int64, message string) error {
	return s.store.Tx(ctx, func(ctx context.Context) error {
		so, err := s.store.FindSalesOrder(ctx, orderID)
		if err != nil {
			return err
		}
		if so.Status == platform.StatusCancelled {
			return apperr.Errorf(apperr.ECONFLICT, "O pedido de venda %s está cancelado: não pode ser faturado.", so.Number)
		}
		p, err := s.store.FindPlatform(ctx, so.PlatformID)
		if err != nil {
			return err
		}
		switch so.Status {
		case platform.StatusInvoiced, platform.StatusDispatched, platform.StatusDelivered:
		default:
			if err := s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventStatusChanged,
				fmt.Sprintf("Status alterado de %s para %s: %s", so.Status.Label(), platform.StatusInvoiced.Label(), message)); err != nil {
				return err
			}
			so.Status = platform.StatusInvoiced
		}
		if _, err := s.reconcileStock(ctx, p, so, platform.StatusInvoiced, false); err != nil {
			return err
		}
		if err := s.store.UpdateSalesOrderSync(ctx, so); err != nil {
			return err
		}
		return s.queueAction(ctx, so.ID, so.PlatformID, model.ActionInvoice, "")
	})
}

// MarkDispatched is logistics marking a billed sales order despachado: status
// dispatched and a timeline event. Only an invoiced order may be dispatched
// (ECONFLICT otherwise); an order already dispatched or delivered is left
// as it is.
func (s *Service) MarkDispatched(ctx context.Context, orderID int64, message string) error {
	return s.store.Tx(ctx, func(ctx context.Context) error {
		so, err := s.store.FindSalesOrder(ctx, orderID)
		if err != nil {
			return err
		}
		switch so.Status {
		case platform.StatusDispatched, platform.StatusDelivered:
			return nil
		case platform.StatusInvoiced:
		default:
			return apperr.Errorf(apperr.ECONFLICT, "O pedido de venda %s está com status %s: só um pedido faturado pode ser despachado.",
				so.Number, so.Status.Label())
		}
		if err := s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventStatusChanged,
			fmt.Sprintf("Status alterado de %s para %s: %s", so.Status.Label(), platform.StatusDispatched.Label(), message)); err != nil {
			return err
		}
		so.Status = platform.StatusDispatched
		return s.store.UpdateSalesOrderSync(ctx, so)
	})
}

// MarkShipped is the supplier shipping a purchase order of the sales order:
// a timeline event and the tracking push to the platform queued. It joins
// the caller's transaction. The status is left to logistics (despachado)
// and the platform (delivered); a cancelled order is ECONFLICT.
func (s *Service) MarkShipped(ctx context.Context, orderID int64, message string) error {
	return s.store.Tx(ctx, func(ctx context.Context) error {
		so, err := s.store.FindSalesOrder(ctx, orderID)
		if err != nil {
			return err
		}
		if so.Status == platform.StatusCancelled {
			return apperr.Errorf(apperr.ECONFLICT, "O pedido de venda %s está cancelado: não pode ser enviado.", so.Number)
		}
		if err := s.store.AddSalesOrderEvent(ctx, so.ID, model.OrderEventPurchaseOrder, "Enviado: "+message); err != nil {
			return err
		}
		return s.queueAction(ctx, so.ID, so.PlatformID, model.ActionTracking, "")
	})
}

// sendTracking is the tracking case of sendAction: the latest shipment of
// the order's purchase orders, with the number of its billing invoice.
func (s *Service) sendTracking(ctx context.Context, ad platform.Adapter, sp *model.StatusPush) error {
	inv, err := s.store.FindBillingInvoiceOfSalesOrder(ctx, sp.OrderID)
	if err != nil {
		return err
	}
	sh, err := s.store.FindPOShipmentOfSalesOrder(ctx, sp.OrderID)
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

// sendInvoice is the invoice case of sendAction: the billing NF-e of the
// order's purchase order, XML embedded.
func (s *Service) sendInvoice(ctx context.Context, ad platform.Adapter, sp *model.StatusPush) error {
	inv, err := s.store.FindBillingInvoiceOfSalesOrder(ctx, sp.OrderID)
	if err != nil {
		return err
	}
	return ad.SendInvoice(ctx, sp.ExternalID, platform.Invoice{
		Number: strconv.Itoa(inv.Number), Series: strconv.Itoa(inv.Series), Key: inv.AccessKey,
		IssuedAt: inv.IssuedAt, ValueCents: inv.TotalCents, XML: []byte(inv.XML),
	})
}
