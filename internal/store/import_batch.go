package store

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
	"github.com/jackc/pgx/v5"
)

// SalesOrdersByExternalIDs returns the platform's orders among externalIDs,
// with their items, by external id: FindSalesOrderByExternalID for a whole
// batch of an import in two queries. Inside a transaction on PostgreSQL the
// order rows are locked (FOR UPDATE), as FindSalesOrderByExternalID does.
func (s *Store) SalesOrdersByExternalIDs(ctx context.Context, platformID int64, externalIDs []string) (map[string]*model.SalesOrder, error) {
	out := make(map[string]*model.SalesOrder, len(externalIDs))
	_, inTx := ctx.Value(txKey{}).(*gorm.DB)
	for start := 0; start < len(externalIDs); start += lookupBatch {
		chunk := externalIDs[start:min(start+lookupBatch, len(externalIDs))]
		var found []model.SalesOrder
		var err error
		if inTx && s.dialect == database.Postgres {
			found, err = s.lockOrdersByExternalID(ctx, platformID, chunk)
		} else {
			err = s.conn(ctx).Preload("Items", func(db *gorm.DB) *gorm.DB { return db.Order("line") }).
				Where("platform_id = ? AND external_id IN ?", platformID, chunk).Order("id").Find(&found).Error
		}
		if err != nil {
			return nil, translate(err, "Pedido de venda")
		}
		for i := range found {
			out[found[i].ExternalID] = &found[i]
		}
	}
	return out, nil
}

// lockOrdersByExternalID reads and locks (FOR UPDATE) the platform's orders
// among externalIDs, with their items, on PostgreSQL: one lookup by the
// unique key (platform_id, external_id) per id. As "platform_id = ? AND
// external_id IN (…)" the statement's plan depended on statistics: in a new
// database, before autovacuum first analyzes sales_orders, the planner took
// a platform for a few dozen orders and filtered all of them (7 ms a batch
// at 10,000 orders, and more as the table grew), and the prepared
// statement's generic plan, made while the table was near empty, kept that
// choice (with equal estimates, any index naming platform_id first ties).
// The statement is therefore planned for its parameters on every run
// (pgx.QueryExecModeExec: an unnamed statement), where looking up the whole
// unique key, one index descent an id, wins as soon as the table has a few
// hundred rows.
func (s *Store) lockOrdersByExternalID(ctx context.Context, platformID int64, externalIDs []string) ([]model.SalesOrder, error) {
	tx, ok := SQLTx(ctx)
	if !ok {
		return nil, fmt.Errorf("store: lockOrdersByExternalID needs a transaction")
	}
	// Rows are locked in the order of the ids: sorted, as the advisory
	// locks before them (LockPlatformOrders).
	sorted := slices.Sorted(slices.Values(externalIDs))
	rows, err := tx.QueryContext(ctx, `SELECT o.* FROM unnest(CAST($1 AS text[])) AS e(x)
		CROSS JOIN LATERAL (SELECT * FROM sales_orders WHERE platform_id = $2 AND external_id = e.x LIMIT 1 FOR UPDATE) o
		ORDER BY o.id`, pgx.QueryExecModeExec, sorted, platformID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var found []model.SalesOrder
	for rows.Next() {
		var o model.SalesOrder
		if err := s.conn(ctx).ScanRows(rows, &o); err != nil {
			return nil, err
		}
		found = append(found, o)
	}
	if err := rows.Err(); err != nil || len(found) == 0 {
		return found, err
	}
	rows.Close() // the transaction's connection serves one statement at a time
	ids := make([]int64, len(found))
	at := make(map[int64]int, len(found))
	for i := range found {
		ids[i], at[found[i].ID] = found[i].ID, i
	}
	var items []model.SalesOrderItem
	if err := s.conn(ctx).Where("order_id IN ?", ids).Order("order_id, line").Find(&items).Error; err != nil {
		return nil, err
	}
	for _, it := range items {
		o := &found[at[it.OrderID]]
		o.Items = append(o.Items, it)
	}
	return found, nil
}

// BlockedOrdersByExternalIDs returns the platform's blocked orders (resolved
// or not) among externalIDs, by external id: FindBlockedOrder for a batch.
func (s *Store) BlockedOrdersByExternalIDs(ctx context.Context, platformID int64, externalIDs []string) (map[string]*model.BlockedOrder, error) {
	out := make(map[string]*model.BlockedOrder, len(externalIDs))
	for start := 0; start < len(externalIDs); start += lookupBatch {
		chunk := externalIDs[start:min(start+lookupBatch, len(externalIDs))]
		var found []model.BlockedOrder
		if err := s.conn(ctx).Where("platform_id = ? AND external_id IN ?", platformID, chunk).Find(&found).Error; err != nil {
			return nil, translate(err, "Pedido bloqueado")
		}
		for i := range found {
			out[found[i].ExternalID] = &found[i]
		}
	}
	return out, nil
}
