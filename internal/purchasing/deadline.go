package purchasing

import (
	"context"
	"fmt"
	"time"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
)

// DeadlineWarning is how long before the ship-by deadline the supplier is
// warned: 4 hours, or a quarter of its dispatch hours when that is shorter.
func DeadlineWarning(hours int) time.Duration {
	return min(4*time.Hour, dispatchWindow(hours)/4)
}

// dispatchHours is a supplier's (or PO's) dispatch hours, the default when unset.
func dispatchHours(hours int) int {
	if hours <= 0 {
		return model.DefaultDispatchHours
	}
	return hours
}

// dispatchWindow is how long the supplier has to dispatch: dispatchHours as a duration.
func dispatchWindow(hours int) time.Duration {
	return time.Duration(dispatchHours(hours)) * time.Hour
}

// WarnDeadlines publishes "prazo de envio próximo" for every billed PO not
// shipped whose deadline falls within its warning window, once per PO: the
// PO is marked in the same transaction as the event, so several instances
// (or a retried job) never warn twice. POs already late are left to the
// late list. It returns how many were warned.
func (s *Service) WarnDeadlines(ctx context.Context) (int, error) {
	pos, err := s.store.BilledUnwarnedPOs(ctx)
	if err != nil {
		return 0, err
	}
	now := s.store.Now()
	warned := 0
	for i := range pos {
		po := &pos[i]
		dl := po.ShipDeadline()
		if dl == nil || !now.Before(*dl) || now.Before(dl.Add(-DeadlineWarning(po.DispatchHours))) {
			continue
		}
		var first bool
		err := s.store.Tx(ctx, func(ctx context.Context) error {
			var err error
			if first, err = s.store.MarkDeadlineWarned(ctx, po.ID); err != nil || !first {
				return err
			}
			msg := fmt.Sprintf("O prazo de envio do pedido de compra %s termina em %s: envie a etiqueta e o código de rastreio.",
				po.Number, format.DateTime(*dl))
			return s.publish(ctx, model.EventPODeadlineNear, po, msg)
		})
		if err != nil {
			return warned, err
		}
		if first {
			warned++
		}
	}
	return warned, nil
}
