package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// EnsureLocation returns the location with code, creating it when missing.
func (s *Store) EnsureLocation(ctx context.Context, code, name string, supplierID *int64) (*model.StockLocation, error) {
	loc := model.StockLocation{Code: code, Name: name, SupplierID: supplierID, CreatedAt: s.now()}
	if err := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&loc).Error; err != nil {
		return nil, translate(err, "Local de estoque")
	}
	var out model.StockLocation
	if err := s.conn(ctx).Where("code = ?", code).First(&out).Error; err != nil {
		return nil, translate(err, "Local de estoque")
	}
	return &out, nil
}

// ListLocations returns every stock location.
func (s *Store) ListLocations(ctx context.Context) ([]model.StockLocation, error) {
	var out []model.StockLocation
	err := s.conn(ctx).Order("code").Find(&out).Error
	return out, translate(err, "Local de estoque")
}

type balanceRow struct {
	Physical int64
	Reserved int64
}

// StockChange is one change to a balance. Either Set (an absolute physical
// quantity, for counts and feeds) or the deltas apply.
type StockChange struct {
	ProductID     int64
	LocationID    int64
	Source        model.StockSource
	PhysicalDelta int64
	ReservedDelta int64
	Set           *int64
	Reference     string
	Note          string
}

// ApplyStock applies one change under the balance's row lock and writes its
// ledger line, in the transaction of ctx (or its own). A change that would
// make the reservation negative is refused. Changes that alter nothing are
// not recorded and return nil.
func (s *Store) ApplyStock(ctx context.Context, c StockChange) (*model.StockMovement, error) {
	var mv *model.StockMovement
	err := s.Tx(ctx, func(ctx context.Context) error {
		now := s.now()
		db := s.conn(ctx)
		if err := db.Exec(`INSERT INTO stock_balances (product_id, location_id, physical, reserved, updated_at) VALUES (?, ?, 0, 0, ?)
			ON CONFLICT (product_id, location_id) DO NOTHING`, c.ProductID, c.LocationID, now).Error; err != nil {
			return translate(err, "Estoque")
		}
		// The UPDATE takes the row lock (PostgreSQL) before reading; SQLite
		// transactions are serialised already (BEGIN IMMEDIATE, one writer).
		var cur balanceRow
		if err := db.Raw(`UPDATE stock_balances SET updated_at = ? WHERE product_id = ? AND location_id = ? RETURNING physical, reserved`,
			now, c.ProductID, c.LocationID).Scan(&cur).Error; err != nil {
			return translate(err, "Estoque")
		}
		pd, rd := c.PhysicalDelta, c.ReservedDelta
		if c.Set != nil {
			pd = *c.Set - cur.Physical
		}
		if pd == 0 && rd == 0 {
			return nil
		}
		after := balanceRow{Physical: cur.Physical + pd, Reserved: cur.Reserved + rd}
		if after.Reserved < 0 {
			return apperr.Errorf(apperr.ECONFLICT, "Reserva insuficiente: há %d unidade(s) reservada(s) e a operação libera %d.", cur.Reserved, -rd)
		}
		if err := db.Exec(`UPDATE stock_balances SET physical = ?, reserved = ? WHERE product_id = ? AND location_id = ?`,
			after.Physical, after.Reserved, c.ProductID, c.LocationID).Error; err != nil {
			return translate(err, "Estoque")
		}
		a := model.ActorFrom(ctx)
		mv = &model.StockMovement{
			ProductID: c.ProductID, LocationID: c.LocationID, Source: c.Source,
			PhysicalDelta: pd, ReservedDelta: rd, PhysicalAfter: after.Physical, ReservedAfter: after.Reserved,
			Reference: c.Reference, Note: strings.TrimSpace(c.Note), UserID: a.UserID, Actor: a.Label, CreatedAt: now,
		}
		if err := db.Create(mv).Error; err != nil {
			return translate(err, "Movimento de estoque")
		}
		if err := s.markStockChanged(ctx, c.ProductID, now); err != nil {
			return err
		}
		if s.stockHook != nil {
			return s.stockHook(ctx)
		}
		return nil
	})
	return mv, err
}

func (s *Store) markStockChanged(ctx context.Context, productID int64, at time.Time) error {
	err := s.conn(ctx).Exec(`INSERT INTO stock_changes (product_id, changed_at) VALUES (?, ?)
		ON CONFLICT (product_id) DO UPDATE SET changed_at = excluded.changed_at`, productID, at).Error
	return translate(err, "Estoque")
}

// StockBalances returns the balances of a product at every location that has one.
func (s *Store) StockBalances(ctx context.Context, productID int64) ([]model.StockBalance, error) {
	var out []model.StockBalance
	err := s.conn(ctx).Where("product_id = ?", productID).Order("location_id").Find(&out).Error
	return out, translate(err, "Estoque")
}

// StockFilter narrows the stock list.
type StockFilter struct {
	Query      string // SKU, name or supplier code
	SupplierID *int64
	OnlyShort  bool // available <= 0
}

// StockRow is one product of the stock list, totals over locations.
type StockRow struct {
	ProductID    int64
	SKU          string
	Name         string
	SupplierCode string
	SupplierID   *int64
	Physical     int64
	Reserved     int64
}

// Available is physical minus reserved.
func (r StockRow) Available() int64 { return r.Physical - r.Reserved }

// ListStock returns a page of products with their stock totals.
func (s *Store) ListStock(ctx context.Context, f StockFilter, p Page) ([]StockRow, int64, error) {
	p = p.Normalize()
	q := s.conn(ctx).Table("products p").
		Select("p.id AS product_id, p.sku, p.name, p.supplier_code, p.supplier_id, COALESCE(SUM(b.physical), 0) AS physical, COALESCE(SUM(b.reserved), 0) AS reserved").
		Joins("LEFT JOIN stock_balances b ON b.product_id = p.id").
		Group("p.id, p.sku, p.name, p.supplier_code, p.supplier_id")
	if f.Query != "" {
		pat := likePattern(f.Query)
		q = q.Where(`LOWER(p.sku) LIKE ? ESCAPE '\' OR LOWER(p.name) LIKE ? ESCAPE '\' OR LOWER(p.supplier_code) LIKE ? ESCAPE '\'`, pat, pat, pat)
	}
	if f.SupplierID != nil {
		q = q.Where("p.supplier_id = ?", *f.SupplierID)
	}
	if f.OnlyShort {
		q = q.Having("COALESCE(SUM(b.physical), 0) - COALESCE(SUM(b.reserved), 0) <= 0")
	}
	var total int64
	if err := s.conn(ctx).Table("(?) AS t", q).Count(&total).Error; err != nil {
		return nil, 0, translate(err, "Estoque")
	}
	var out []StockRow
	err := q.Order("p.sku").Limit(p.Size).Offset(p.offset()).Scan(&out).Error
	return out, total, translate(err, "Estoque")
}

// ListMovements returns a page of a product's ledger, newest first.
func (s *Store) ListMovements(ctx context.Context, productID int64, p Page) ([]model.StockMovement, int64, error) {
	p = p.Normalize()
	q := s.conn(ctx).Model(&model.StockMovement{}).Where("product_id = ?", productID)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "Estoque")
	}
	var out []model.StockMovement
	err := q.Order("id DESC").Limit(p.Size).Offset(p.offset()).Find(&out).Error
	return out, total, translate(err, "Estoque")
}

// LedgerMismatch is a balance that differs from the sum of its movements.
type LedgerMismatch struct {
	ProductID      int64
	LocationID     int64
	Physical       int64
	Reserved       int64
	LedgerPhysical int64
	LedgerReserved int64
}

// VerifyLedger lists every balance that does not equal the sum of its movements.
func (s *Store) VerifyLedger(ctx context.Context) ([]LedgerMismatch, error) {
	var out []LedgerMismatch
	err := s.conn(ctx).Raw(`
		SELECT b.product_id, b.location_id, b.physical, b.reserved,
		       COALESCE(m.physical, 0) AS ledger_physical, COALESCE(m.reserved, 0) AS ledger_reserved
		FROM stock_balances b
		LEFT JOIN (SELECT product_id, location_id, SUM(physical_delta) AS physical, SUM(reserved_delta) AS reserved
		           FROM stock_movements GROUP BY product_id, location_id) m
		       ON m.product_id = b.product_id AND m.location_id = b.location_id
		WHERE b.physical <> COALESCE(m.physical, 0) OR b.reserved <> COALESCE(m.reserved, 0)
		ORDER BY b.product_id, b.location_id`).Scan(&out).Error
	return out, translate(err, "Estoque")
}
