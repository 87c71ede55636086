package store

import (
	"context"

	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
)

// DrainStockChanges moves the coalescing queue (stock_changes: one row per
// product whose stock changed) into stock_push_state, marking the product
// dirty for every enabled platform, and empties the queue. It returns how
// many products were drained. A change committed while this runs is either
// drained now or left for the next call, never lost.
func (s *Store) DrainStockChanges(ctx context.Context) (int64, error) {
	var n int64
	err := s.Tx(ctx, func(ctx context.Context) error {
		now := s.now()
		db := s.conn(ctx)
		const upsert = ` ON CONFLICT (platform_id, product_id) DO UPDATE
			SET dirty = TRUE, version = stock_push_state.version + 1, updated_at = excluded.updated_at`
		if s.dialect == database.Postgres {
			// One statement: exactly the rows deleted are the rows marked.
			// Rows a transaction in flight is changing (an order reserving
			// its items, in the order's item order) are skipped, not waited
			// for: waiting while holding the rows already deleted deadlocks
			// with that transaction. They stay queued for the next drain.
			res := db.Exec(`WITH d AS (DELETE FROM stock_changes
					WHERE product_id IN (SELECT product_id FROM stock_changes FOR UPDATE SKIP LOCKED)
					RETURNING product_id)
				INSERT INTO stock_push_state (platform_id, product_id, dirty, version, updated_at)
				SELECT p.id, d.product_id, TRUE, 1, ? FROM d CROSS JOIN platforms p WHERE p.enabled`+upsert, now)
			n = res.RowsAffected
			return translate(res.Error, "Estoque")
		}
		// SQLite serialises writers: nothing slips in between the two statements.
		res := db.Exec(`INSERT INTO stock_push_state (platform_id, product_id, dirty, version, updated_at)
			SELECT p.id, c.product_id, TRUE, 1, ? FROM stock_changes c CROSS JOIN platforms p WHERE p.enabled`+upsert, now)
		if res.Error != nil {
			return translate(res.Error, "Estoque")
		}
		n = res.RowsAffected
		return translate(db.Exec(`DELETE FROM stock_changes`).Error, "Estoque")
	})
	return n, err
}

// MarkAllStockDirty marks every active product dirty for a platform: the next
// push recomputes (and, forced, re-sends) all of them.
func (s *Store) MarkAllStockDirty(ctx context.Context, platformID int64) error {
	err := s.conn(ctx).Exec(`INSERT INTO stock_push_state (platform_id, product_id, dirty, version, updated_at)
		SELECT ?, id, TRUE, 1, ? FROM products WHERE active
		ON CONFLICT (platform_id, product_id) DO UPDATE
		SET dirty = TRUE, version = stock_push_state.version + 1, updated_at = excluded.updated_at`, platformID, s.now()).Error
	return translate(err, "Estoque")
}

// MarkStockChanged queues products for a push as a stock change does (an
// order entering or leaving handling changes what VTEX must receive), and
// runs the stock hook in the same transaction.
func (s *Store) MarkStockChanged(ctx context.Context, productIDs ...int64) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		if err := s.markStockChanged(ctx, s.now(), productIDs...); err != nil {
			return err
		}
		if len(productIDs) == 0 {
			return nil
		}
		return s.stockChangedAtCommit(ctx)
	})
}

// StockToPush is one dirty product of a platform with what the push needs.
type StockToPush struct {
	ProductID       int64
	SKU             string
	Version         int64
	Physical        int64 // summed over locations
	Reserved        int64 // summed over locations
	HandlingAtVTEX  int64 // units reserved by this platform's orders in handling (filled for VTEX only)
	PushedAvailable *int64
}

// DirtyStock returns up to limit dirty products of a platform, after
// afterProductID, in product order, with their stock totals.
func (s *Store) DirtyStock(ctx context.Context, platformID, afterProductID int64, limit int) ([]StockToPush, error) {
	var out []StockToPush
	err := s.conn(ctx).Raw(`
		SELECT s.product_id, p.sku, s.version, s.pushed_available,
		       COALESCE(SUM(b.physical), 0) AS physical, COALESCE(SUM(b.reserved), 0) AS reserved
		FROM stock_push_state s
		JOIN products p ON p.id = s.product_id
		LEFT JOIN stock_balances b ON b.product_id = s.product_id
		WHERE s.platform_id = ? AND s.dirty AND s.product_id > ?
		GROUP BY s.product_id, p.sku, s.version, s.pushed_available
		ORDER BY s.product_id
		LIMIT ?`, platformID, afterProductID, limit).Scan(&out).Error
	return out, translate(err, "Estoque")
}

// StockPushed records that the platform accepted available for the product
// (or that nothing needed sending). The dirty flag is cleared only if no
// change came in since version was read.
func (s *Store) StockPushed(ctx context.Context, platformID, productID, version, available int64, sent bool) error {
	now := s.now()
	q := `UPDATE stock_push_state SET dirty = (version <> ?), attempts = 0, last_error_kind = '', last_error = '',
		last_error_at = NULL, pushed_available = ?, updated_at = ?`
	args := []any{version, available, now}
	if sent {
		q += `, pushed_at = ?`
		args = append(args, now)
	}
	q += ` WHERE platform_id = ? AND product_id = ?`
	args = append(args, platformID, productID)
	return translate(s.conn(ctx).Exec(q, args...).Error, "Estoque")
}

// StockPushFailed records a refused or failed push. keep: the product stays
// dirty and is retried; otherwise (the platform refused it for good) it waits
// for the next change.
func (s *Store) StockPushFailed(ctx context.Context, platformID, productID, version int64, kind, message string, keep bool) error {
	now := s.now()
	dirty := "dirty"
	if !keep {
		dirty = "(version <> ?)"
	}
	q := `UPDATE stock_push_state SET dirty = ` + dirty + `, attempts = attempts + 1, last_error_kind = ?, last_error = ?,
		last_error_at = ?, updated_at = ? WHERE platform_id = ? AND product_id = ?`
	args := []any{kind, message, now, now, platformID, productID}
	if !keep {
		args = append([]any{version}, args...)
	}
	return translate(s.conn(ctx).Exec(q, args...).Error, "Estoque")
}

// CountDirtyStock returns how many products wait for a push to the platform,
// and how many stock_changes wait to be drained.
func (s *Store) CountDirtyStock(ctx context.Context, platformID int64) (dirty, queued int64, err error) {
	if err := s.conn(ctx).Model(&model.StockPushState{}).Where("platform_id = ? AND dirty", platformID).Count(&dirty).Error; err != nil {
		return 0, 0, translate(err, "Estoque")
	}
	err = s.conn(ctx).Table("stock_changes").Count(&queued).Error
	return dirty, queued, translate(err, "Estoque")
}

// DirtyStockByPlatform is, per platform with any, how many products wait
// for a stock push: one grouped query for the scheduler and the metrics.
func (s *Store) DirtyStockByPlatform(ctx context.Context) (map[int64]int64, error) {
	var rows []struct {
		PlatformID int64
		N          int64
	}
	if err := s.conn(ctx).Raw(`SELECT platform_id, COUNT(*) AS n FROM stock_push_state WHERE dirty GROUP BY platform_id`).Scan(&rows).Error; err != nil {
		return nil, translate(err, "Estoque")
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.PlatformID] = r.N
	}
	return out, nil
}

// FindStockPushState returns a platform's push state of a product.
func (s *Store) FindStockPushState(ctx context.Context, platformID, productID int64) (*model.StockPushState, error) {
	var st model.StockPushState
	if err := s.conn(ctx).Where("platform_id = ? AND product_id = ?", platformID, productID).First(&st).Error; err != nil {
		return nil, translate(err, "Estado de envio de estoque")
	}
	return &st, nil
}

// QueueStatusPush records that an order's action must be sent to its
// platform; it reports false when the action was queued already (each action
// is sent once per order).
func (s *Store) QueueStatusPush(ctx context.Context, orderID, platformID int64, action model.StatusAction, refID int64, reason string) (bool, error) {
	now := s.now()
	p := model.StatusPush{OrderID: orderID, PlatformID: platformID, Action: action, RefID: refID, Status: model.PushPending,
		Reason: reason, CreatedAt: now, UpdatedAt: now}
	if held, created := heldPush(ctx, p); held {
		return created, nil
	}
	res := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Omit("ExternalID").Create(&p)
	return res.RowsAffected > 0, translate(res.Error, "Envio de status")
}

// PendingStatusPushes returns the pending actions of a platform (orderID 0)
// or of one order, oldest first, with the order's external id.
func (s *Store) PendingStatusPushes(ctx context.Context, platformID, orderID int64) ([]model.StatusPush, error) {
	q := s.conn(ctx).Table("status_pushes sp").
		Select("sp.*, o.external_id").
		Joins("JOIN sales_orders o ON o.id = sp.order_id").
		Where("sp.status = ?", model.PushPending)
	if platformID != 0 {
		q = q.Where("sp.platform_id = ?", platformID)
	}
	if orderID != 0 {
		q = q.Where("sp.order_id = ?", orderID)
	}
	var out []model.StatusPush
	err := q.Order("sp.id").Scan(&out).Error
	return out, translate(err, "Envio de status")
}

// PendingStatusPushOrders returns up to limit orders with actions waiting
// to be sent, those waiting longest first: the scheduler's slice, read from
// the pending partial index alone (no join, no rows beyond the ids).
func (s *Store) PendingStatusPushOrders(ctx context.Context, limit int) ([]int64, error) {
	var ids []int64
	err := s.conn(ctx).Raw(`SELECT order_id FROM status_pushes WHERE status = ?
		GROUP BY order_id ORDER BY MIN(id) LIMIT ?`, model.PushPending, limit).Scan(&ids).Error
	return ids, translate(err, "Envio de status")
}

// FinishStatusPush records the outcome of sending an action: status is
// PushDone, PushFailed (refused for good) or PushPending (retry later).
func (s *Store) FinishStatusPush(ctx context.Context, id int64, status, errKind, errMsg string) error {
	now := s.now()
	upd := map[string]any{"status": status, "updated_at": now, "last_error_kind": errKind, "last_error": errMsg}
	if status == model.PushDone {
		upd["done_at"] = now
	}
	if errMsg != "" {
		upd["attempts"] = clause.Expr{SQL: "attempts + 1"}
	}
	err := s.conn(ctx).Table("status_pushes").Where("id = ?", id).Updates(upd).Error
	return translate(err, "Envio de status")
}

// EnabledPlatformIDs returns the ids of the enabled platforms.
func (s *Store) EnabledPlatformIDs(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := s.conn(ctx).Model(&model.Platform{}).Where("enabled").Order("id").Pluck("id", &ids).Error
	return ids, translate(err, "Plataforma")
}

// LatestSyncRun returns the platform's latest run of kind (ENOTFOUND when it
// never ran).
func (s *Store) LatestSyncRun(ctx context.Context, platformID int64, kind string) (*model.SyncRun, error) {
	var r model.SyncRun
	err := s.conn(ctx).Where("platform_id = ? AND kind = ?", platformID, kind).Order("id DESC").First(&r).Error
	if err != nil {
		return nil, translate(err, "Execução de sincronização")
	}
	return &r, nil
}
