package syncengine

import (
	"context"
	"strconv"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// sendOnce sends a state-changing action at most once in effect. The send is
// recorded (sent_at, committed) before the call; an attempt that finds it
// recorded — the previous answer was lost to a timeout, or the process died
// between the call and recording its outcome — first asks the platform for
// the order and, when the action already took effect there, records it as
// done without calling again. Repeating start-handling on VTEX answers 409,
// and each repeat was one more call per order (3,006 for 3,000 orders after
// eleven kill -9s).
//
// Invoice and tracking are checked the same way where the order shows them
// (VTEX: the invoice numbers and their tracking in packageAttachment); an
// invoice already there still fetches the platform's label, the step after
// the invoice (platformLabel).
func (s *Service) sendOnce(ctx context.Context, ad platform.Adapter, sp *model.StatusPush) error {
	if sp.SentAt != nil && s.tookEffect(ctx, ad, sp) {
		if sp.Action == model.ActionInvoice {
			inv, err := s.store.FindBillingInvoiceOfSalesOrder(ctx, sp.OrderID, sp.RefID)
			if err != nil {
				return err
			}
			return s.platformLabel(ctx, ad, sp, inv.POID)
		}
		return nil
	}
	if err := s.store.MarkStatusPushSent(ctx, sp.ID); err != nil {
		return err
	}
	return s.sendAction(ctx, ad, sp)
}

// tookEffect reports whether the platform's order shows the action done.
// An order that does not show the action's effect (an adapter that does not
// read invoices) and any doubt (the order cannot be read) answer false: the
// action is sent again.
func (s *Service) tookEffect(ctx context.Context, ad platform.Adapter, sp *model.StatusPush) bool {
	var invoice, tracking string // what an invoice or tracking push sends
	switch sp.Action {
	case model.ActionStartHandling, model.ActionCancel:
	case model.ActionInvoice:
		inv, err := s.store.FindBillingInvoiceOfSalesOrder(ctx, sp.OrderID, sp.RefID)
		if err != nil {
			return false
		}
		invoice = strconv.Itoa(inv.Number)
	case model.ActionTracking:
		sh, err := s.store.FindPOShipmentOfSalesOrder(ctx, sp.OrderID, sp.RefID)
		if err != nil {
			return false
		}
		inv, err := s.store.FindBillingInvoice(ctx, sh.POID)
		if err != nil {
			return false
		}
		invoice, tracking = strconv.Itoa(inv.Number), sh.TrackingCode
	default:
		return false
	}
	o, err := ad.GetOrder(ctx, sp.ExternalID)
	if err != nil {
		return false
	}
	switch sp.Action {
	case model.ActionInvoice:
		if o.HasInvoice(invoice) {
			s.logger.Info("invoice already on the platform; not sent again", "order", sp.ExternalID, "invoice", invoice)
			return true
		}
	case model.ActionTracking:
		if o.HasTracking(invoice, tracking) {
			s.logger.Info("tracking already on the platform; not sent again", "order", sp.ExternalID, "invoice", invoice)
			return true
		}
	case model.ActionStartHandling:
		switch o.Status {
		case model.SOHandling, model.SOInvoiced, model.SODispatched, model.SODelivered:
			s.logger.Info("start handling already applied on the platform; not sent again", "order", sp.ExternalID)
			return true
		}
	case model.ActionCancel:
		if o.Status == model.SOCancelled {
			s.logger.Info("cancellation already applied on the platform; not sent again", "order", sp.ExternalID)
			return true
		}
	}
	return false
}
