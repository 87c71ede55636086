package syncengine

import (
	"context"

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
func (s *Service) sendOnce(ctx context.Context, ad platform.Adapter, sp *model.StatusPush) error {
	if sp.SentAt != nil && s.tookEffect(ctx, ad, sp) {
		return nil
	}
	if err := s.store.MarkStatusPushSent(ctx, sp.ID); err != nil {
		return err
	}
	return s.sendAction(ctx, ad, sp)
}

// tookEffect reports whether the platform's order shows the action done.
// Actions whose effect the order does not show (invoice, tracking) and any
// doubt (the order cannot be read) answer false: the action is sent again.
func (s *Service) tookEffect(ctx context.Context, ad platform.Adapter, sp *model.StatusPush) bool {
	switch sp.Action {
	case model.ActionStartHandling, model.ActionCancel:
	default:
		return false
	}
	o, err := ad.GetOrder(ctx, sp.ExternalID)
	if err != nil {
		return false
	}
	switch sp.Action {
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
