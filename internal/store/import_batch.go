package store

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
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
		q := s.conn(ctx).Preload("Items", func(db *gorm.DB) *gorm.DB { return db.Order("line") }).
			Where("platform_id = ? AND external_id IN ?", platformID, chunk).Order("id")
		if inTx && s.dialect == database.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		var found []model.SalesOrder
		if err := q.Find(&found).Error; err != nil {
			return nil, translate(err, "Pedido de venda")
		}
		for i := range found {
			out[found[i].ExternalID] = &found[i]
		}
	}
	return out, nil
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
