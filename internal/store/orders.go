package store

import (
	"context"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
)

// FindSalesOrder returns one sales order with its items.
func (s *Store) FindSalesOrder(ctx context.Context, id int64) (*model.SalesOrder, error) {
	var o model.SalesOrder
	err := s.conn(ctx).Preload("Items", func(db *gorm.DB) *gorm.DB { return db.Order("line") }).First(&o, id).Error
	if err != nil {
		return nil, translate(err, "Pedido de venda")
	}
	return &o, nil
}

// FindSalesOrderByExternalID returns a platform's order by the platform's id,
// with its items. Inside a transaction on PostgreSQL the order row is locked
// (FOR UPDATE) so that two imports of the same order serialise; SQLite
// transactions are serialised already.
func (s *Store) FindSalesOrderByExternalID(ctx context.Context, platformID int64, externalID string) (*model.SalesOrder, error) {
	var o model.SalesOrder
	q := s.conn(ctx).Preload("Items", func(db *gorm.DB) *gorm.DB { return db.Order("line") }).
		Where("platform_id = ? AND external_id = ?", platformID, externalID)
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); inTx && s.dialect == database.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.First(&o).Error; err != nil {
		return nil, translate(err, "Pedido de venda")
	}
	return &o, nil
}

// CreateSalesOrder inserts an order with its items; a second import of the
// same platform order is a conflict (UNIQUE platform_id, external_id).
func (s *Store) CreateSalesOrder(ctx context.Context, o *model.SalesOrder) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		now := s.now()
		o.CreatedAt, o.UpdatedAt = now, now
		for i := range o.Items {
			o.Items[i].Line = i + 1
		}
		if held, err := s.holdSalesOrder(ctx, o); held {
			for i := range o.Items {
				o.Items[i].OrderID = o.ID
			}
			return err
		}
		items := o.Items
		o.Items = nil
		if err := s.conn(ctx).Omit(clause.Associations).Create(o).Error; err != nil {
			o.Items = items
			err = translate(err, "Pedido de venda")
			if apperr.Is(err, apperr.ECONFLICT) {
				return apperr.Wrap(err, apperr.ECONFLICT, "O pedido "+o.ExternalID+" já foi importado.")
			}
			return err
		}
		for i := range items {
			items[i].OrderID = o.ID
			items[i].Line = i + 1
		}
		o.Items = items
		if len(items) > 0 {
			if err := s.conn(ctx).Create(&o.Items).Error; err != nil {
				return translate(err, "Item do pedido")
			}
		}
		return nil
	})
}

// UpdateSalesOrderSync saves what a later import may change: statuses, the
// stock flags, payment, tracking and logistics.
func (s *Store) UpdateSalesOrderSync(ctx context.Context, o *model.SalesOrder) error {
	o.UpdatedAt = s.now()
	if heldUpdate(ctx, o) {
		return nil
	}
	res := s.conn(ctx).Model(&model.SalesOrder{}).Where("id = ?", o.ID).Updates(map[string]any{
		"status": o.Status, "channel_status": o.ChannelStatus, "cancel_requested": o.CancelRequested,
		"reserved": o.Reserved, "stock_consumed": o.StockConsumed, "paid_at": o.PaidAt,
		"tracking_number": o.TrackingNumber, "shipment_id": o.ShipmentID, "logistics": o.Logistics,
		"channel_updated_at": o.ChannelUpdatedAt, "updated_at": o.UpdatedAt,
	})
	if res.Error != nil {
		return translate(res.Error, "Pedido de venda")
	}
	if res.RowsAffected == 0 {
		return apperr.Errorf(apperr.ENOTFOUND, "Pedido de venda não encontrado.")
	}
	return nil
}

// MarkSalesOrderItemsConsumed records that these order lines' units left
// the stock.
func (s *Store) MarkSalesOrderItemsConsumed(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if err := s.FlushSalesOrders(ctx); err != nil { // the lines may be held still
		return err
	}
	return translate(s.conn(ctx).Model(&model.SalesOrderItem{}).Where("id IN ?", ids).Update("consumed", true).Error, "Pedido de venda")
}

// AddSalesOrderEvent appends to an order's timeline, with the actor of ctx
// (held back to the flush in a ctx from DeferOrderEvents).
func (s *Store) AddSalesOrderEvent(ctx context.Context, orderID int64, kind, message string) error {
	e := model.SalesOrderEvent{OrderID: orderID, At: s.now(), Kind: kind, Message: message, Actor: model.ActorFrom(ctx).Label}
	if deferEvent(ctx, e) {
		return nil
	}
	return translate(s.conn(ctx).Create(&e).Error, "Evento do pedido")
}

// ListSalesOrderEvents returns an order's timeline, oldest first.
func (s *Store) ListSalesOrderEvents(ctx context.Context, orderID int64) ([]model.SalesOrderEvent, error) {
	var out []model.SalesOrderEvent
	err := s.conn(ctx).Where("order_id = ?", orderID).Order("id").Find(&out).Error
	return out, translate(err, "Evento do pedido")
}

// BlockOrder records (or refreshes) an order the import refused, with every
// SKU it was refused for (b.SKUs; b.SKU alone when none is given).
func (s *Store) BlockOrder(ctx context.Context, b *model.BlockedOrder) error {
	now := s.now()
	b.FirstSeenAt, b.LastSeenAt, b.ResolvedAt = now, now, nil
	return s.Tx(ctx, func(ctx context.Context) error {
		err := s.conn(ctx).Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "platform_id"}, {Name: "external_id"}},
			DoUpdates: clause.Assignments(map[string]any{
				"reason": b.Reason, "detail": b.Detail, "method": b.Method, "sku": b.SKU,
				"channel_status": b.ChannelStatus, "last_seen_at": now, "resolved_at": nil,
			}),
		}).Create(b).Error
		if err != nil {
			return translate(err, "Pedido bloqueado")
		}
		if err := s.conn(ctx).Exec("DELETE FROM blocked_order_skus WHERE platform_id = ? AND external_id = ?", b.PlatformID, b.ExternalID).Error; err != nil {
			return translate(err, "Pedido bloqueado")
		}
		if b.Reason != model.BlockUnknownSKU {
			return nil
		}
		var rows []blockedSKU
		for _, sku := range slices.Compact(slices.Sorted(slices.Values(b.MissingSKUs()))) {
			rows = append(rows, blockedSKU{PlatformID: b.PlatformID, ExternalID: b.ExternalID, SKU: sku})
		}
		return translate(s.conn(ctx).Create(&rows).Error, "Pedido bloqueado")
	})
}

// blockedSKU is a row of blocked_order_skus: one SKU an order was blocked for.
type blockedSKU struct {
	PlatformID int64
	ExternalID string
	SKU        string `gorm:"column:sku"`
}

func (blockedSKU) TableName() string { return "blocked_order_skus" }

// loadBlockedSKUs fills the SKUs of the unknown_sku orders among blocked.
func (s *Store) loadBlockedSKUs(ctx context.Context, blocked []*model.BlockedOrder) error {
	type key struct {
		platform int64
		external string
	}
	byPlatform := map[int64][]string{}
	at := map[key]*model.BlockedOrder{}
	for _, b := range blocked {
		if b.Reason == model.BlockUnknownSKU {
			byPlatform[b.PlatformID] = append(byPlatform[b.PlatformID], b.ExternalID)
			at[key{b.PlatformID, b.ExternalID}] = b
		}
	}
	for pid, ids := range byPlatform {
		for start := 0; start < len(ids); start += lookupBatch {
			var rows []blockedSKU
			err := s.conn(ctx).Where("platform_id = ? AND external_id IN ?", pid, ids[start:min(start+lookupBatch, len(ids))]).
				Order("external_id, sku").Find(&rows).Error
			if err != nil {
				return translate(err, "Pedido bloqueado")
			}
			for _, r := range rows {
				if b := at[key{r.PlatformID, r.ExternalID}]; b != nil {
					b.SKUs = append(b.SKUs, r.SKU)
				}
			}
		}
	}
	return nil
}

// ResolveBlockedOrder marks a blocked order resolved; it is not an error when
// the order was never blocked or is resolved already. resolved says whether a
// row changed.
func (s *Store) ResolveBlockedOrder(ctx context.Context, platformID int64, externalID string) (bool, error) {
	res := s.conn(ctx).Model(&model.BlockedOrder{}).
		Where("platform_id = ? AND external_id = ? AND resolved_at IS NULL", platformID, externalID).
		Update("resolved_at", s.now())
	return res.RowsAffected > 0, translate(res.Error, "Pedido bloqueado")
}

// FindBlockedOrder returns a blocked order, resolved or not.
func (s *Store) FindBlockedOrder(ctx context.Context, platformID int64, externalID string) (*model.BlockedOrder, error) {
	var b model.BlockedOrder
	if err := s.conn(ctx).Where("platform_id = ? AND external_id = ?", platformID, externalID).First(&b).Error; err != nil {
		return nil, translate(err, "Pedido bloqueado")
	}
	return &b, nil
}

// ListBlockedOrders returns a platform's blocked orders with their SKUs,
// oldest first; only the unresolved ones when open is true.
func (s *Store) ListBlockedOrders(ctx context.Context, platformID int64, open bool) ([]model.BlockedOrder, error) {
	q := s.conn(ctx).Where("platform_id = ?", platformID)
	if open {
		q = q.Where("resolved_at IS NULL")
	}
	var out []model.BlockedOrder
	if err := q.Order("first_seen_at, external_id").Find(&out).Error; err != nil {
		return nil, translate(err, "Pedido bloqueado")
	}
	ptrs := make([]*model.BlockedOrder, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, s.loadBlockedSKUs(ctx, ptrs)
}

// SellableProducts returns the active products by SKU (the sandbox platform
// sells them).
func (s *Store) SellableProducts(ctx context.Context) ([]model.Product, error) {
	var out []model.Product
	err := s.conn(ctx).Where("active = ?", true).Order("sku").Find(&out).Error
	return out, translate(err, "Produto")
}

// ProductsByID returns the products among ids, with their suppliers, by id
// (one query per lookupBatch ids, not one per product).
func (s *Store) ProductsByID(ctx context.Context, ids []int64) (map[int64]model.Product, error) {
	out := make(map[int64]model.Product, len(ids))
	for start := 0; start < len(ids); start += lookupBatch {
		var found []model.Product
		chunk := ids[start:min(start+lookupBatch, len(ids))]
		if err := s.conn(ctx).Preload("Supplier").Where("id IN ?", chunk).Find(&found).Error; err != nil {
			return nil, translate(err, "Produto")
		}
		for _, p := range found {
			out[p.ID] = p
		}
	}
	return out, nil
}
