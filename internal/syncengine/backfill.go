package syncengine

import (
	"context"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/platform"
)

// DefaultBackfillDays is the window staff get on connect unless they choose
// another.
const DefaultBackfillDays = 7

// MaxBackfillDays bounds the window (VTEX's List orders only reaches orders of
// the last two years, and a larger window is a mistake more often than not).
const MaxBackfillDays = 90

// BackfillReport is the outcome of a backfill.
type BackfillReport struct {
	Listed   int // orders the platform listed as paid or ready
	Imported int // of those, orders the portal did not have and now has
	Blocked  int // imported as blocked (unmapped carrier, unknown SKU)
	Skipped  int // already in the portal, or gone
}

// Backfill imports the orders paid or ready for handling on the platform in
// the last days that the portal does not have yet (connecting a platform: the
// feed and the notifications only bring changes from then on). Each order is
// fetched and applied as the import does; an order the portal already has is
// left to the feed.
func (s *Service) Backfill(ctx context.Context, platformID int64, days int) (BackfillReport, error) {
	var rep BackfillReport
	if days < 1 || days > MaxBackfillDays {
		return rep, apperr.Invalid("Janela inválida.", apperr.Detail{Field: "backfill_days",
			Message: "Informe de 1 a 90 dias."})
	}
	p, err := s.store.FindPlatform(ctx, platformID)
	if err != nil {
		return rep, err
	}
	ad, err := s.registry.Adapter(ctx, p)
	if err != nil {
		return rep, err
	}
	bf, ok := ad.(platform.Backfiller)
	if !ok {
		return rep, apperr.Errorf(apperr.EINVALID, "%s não permite listar os pedidos já pagos.", p.Label())
	}
	ids, err := bf.BackfillOrders(ctx, time.Now().Add(-time.Duration(days)*24*time.Hour))
	if err != nil {
		return rep, apperr.Wrap(err, apperrCode(err), failureMessage(p, err))
	}
	rep.Listed = len(ids)
	var c counts
	for _, id := range ids {
		if _, err := s.store.FindSalesOrderByExternalID(ctx, p.ID, id); err == nil {
			rep.Skipped++
			continue
		} else if apperr.Code(err) != apperr.ENOTFOUND {
			return rep, err
		}
		if err := s.fetchAndApply(ctx, ad, p, id, &c); err != nil {
			return rep, apperr.Wrap(err, apperrCode(err), failureMessage(p, err))
		}
	}
	rep.Imported, rep.Blocked = c.imported, c.blocked
	rep.Skipped += c.skipped + c.updated
	s.logger.Info("backfill", "platform", p.Name, "days", days, "listed", rep.Listed, "imported", rep.Imported, "blocked", rep.Blocked)
	return rep, nil
}
