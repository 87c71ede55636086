package syncengine

import (
	"context"

	"github.com/connectparts/portal/internal/model"
)

// RetryStatusPush is "tentar de novo" on a status action the platform did
// not take: the action is pending again and its push job is queued in the
// same transaction (without a queue the next cycle sends it).
func (s *Service) RetryStatusPush(ctx context.Context, id int64) (*model.StatusPush, error) {
	var sp *model.StatusPush
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		var err error
		if sp, err = s.store.RequeueStatusPush(ctx, id); err != nil {
			return err
		}
		if s.queue == nil {
			return nil
		}
		return s.queue.StatusPushQueued(ctx, sp.OrderID)
	})
	return sp, err
}

// RetryStockPush is "tentar de novo" on a product's stock the platform did
// not take: the product is due again and a stock push is queued.
func (s *Service) RetryStockPush(ctx context.Context, platformID, productID int64) error {
	return s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.RequeueStockPush(ctx, platformID, productID); err != nil {
			return err
		}
		if s.queue == nil {
			return nil
		}
		return s.queue.StockChanged(ctx)
	})
}
