package store

import (
	"context"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// RequeueStatusPush puts a status action that failed back to pending ("tentar
// de novo" in the exceptions inbox) and returns it with its order's platform
// id; an action already sent is ECONFLICT. The audit entry is written in the
// same transaction.
func (s *Store) RequeueStatusPush(ctx context.Context, id int64) (*model.StatusPush, error) {
	var sp model.StatusPush
	err := s.Tx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Table("status_pushes sp").Select("sp.*, o.external_id").
			Joins("JOIN sales_orders o ON o.id = sp.order_id").Where("sp.id = ?", id).Take(&sp).Error; err != nil {
			return translate(err, "Envio de status")
		}
		if sp.Status == model.PushDone {
			return apperr.Errorf(apperr.ECONFLICT, "%s do pedido %s já foi aceito pela plataforma.", sp.Action.Label(), sp.ExternalID)
		}
		res := s.conn(ctx).Table("status_pushes").Where("id = ? AND status <> ?", id, model.PushDone).
			Updates(map[string]any{"status": model.PushPending, "updated_at": s.now()})
		if res.Error != nil {
			return translate(res.Error, "Envio de status")
		}
		sp.Status = model.PushPending
		return s.audit(ctx, "status_push.retry", "sales_order", sp.OrderID, nil,
			map[string]any{"action": string(sp.Action), "platform_id": sp.PlatformID, "external_id": sp.ExternalID})
	})
	if err != nil {
		return nil, err
	}
	return &sp, nil
}

// RequeueStockPush marks a product's stock as due again on a platform whose
// last push of it failed ("tentar de novo"); the stock push job sends it.
// A product without a failure there is ENOTFOUND.
func (s *Store) RequeueStockPush(ctx context.Context, platformID, productID int64) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		res := s.conn(ctx).Table("stock_push_state").
			Where("platform_id = ? AND product_id = ? AND last_error <> ''", platformID, productID).
			Updates(map[string]any{"dirty": true, "updated_at": s.now()})
		if res.Error != nil {
			return translate(res.Error, "Envio de estoque")
		}
		if res.RowsAffected == 0 {
			return apperr.Errorf(apperr.ENOTFOUND, "Nenhuma falha de envio de estoque deste produto para esta plataforma.")
		}
		return s.audit(ctx, "stock_push.retry", "product", productID, nil, map[string]any{"platform_id": platformID})
	})
}
