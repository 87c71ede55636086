package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/database"
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

// ApplyStock applies one change; see ApplyStockChanges. A change that alters
// nothing is not recorded and returns nil. In a ctx from DeferStock the
// change is held back to the flush, and the movement returned is nil.
func (s *Store) ApplyStock(ctx context.Context, c StockChange) (*model.StockMovement, error) {
	if deferStock(ctx, c) {
		return nil, nil
	}
	mvs, err := s.ApplyStockChanges(ctx, []StockChange{c})
	if err != nil {
		return nil, err
	}
	return mvs[0], nil
}

// ApplyStockChanges applies changes in their order, in the transaction of ctx
// (or its own): the balances they touch are created when missing and locked
// before being read, each change that alters something writes its ledger line
// (with the balance after it), and every touched balance is written once at
// the end. A change that would make a reservation negative is refused, and
// nothing is applied. The result has one entry per change, nil where the
// change altered nothing. The statements go in batches: a feed of thousands
// of lines costs a few statements per batch, not a few per line.
func (s *Store) ApplyStockChanges(ctx context.Context, changes []StockChange) ([]*model.StockMovement, error) {
	out := make([]*model.StockMovement, len(changes))
	if len(changes) == 0 {
		return out, nil
	}
	err := s.Tx(ctx, func(ctx context.Context) error {
		now := s.now()
		db := s.conn(ctx)
		batch := upsertBatch
		if s.dialect == database.SQLite {
			batch = upsertBatchSQLite
		}

		// The touched balances, per location, in their first change's order.
		type key struct{ product, location int64 }
		byLocation := map[int64][]int64{}
		var locations []int64
		seen := map[key]bool{}
		for _, c := range changes {
			k := key{c.ProductID, c.LocationID}
			if seen[k] {
				continue
			}
			seen[k] = true
			if _, ok := byLocation[c.LocationID]; !ok {
				locations = append(locations, c.LocationID)
			}
			byLocation[c.LocationID] = append(byLocation[c.LocationID], c.ProductID)
		}

		// Create the missing balances, then lock and read them: the UPDATE
		// takes the row locks (PostgreSQL) before reading; SQLite
		// transactions are serialised already (BEGIN IMMEDIATE, one writer).
		cur := make(map[key]balanceRow, len(seen))
		for _, loc := range locations {
			ids := byLocation[loc]
			for start := 0; start < len(ids); start += batch {
				chunk := ids[start:min(start+batch, len(ids))]
				rows := make([]string, len(chunk))
				args := make([]any, 0, 3*len(chunk))
				for i, id := range chunk {
					rows[i] = "(?, ?, 0, 0, ?)"
					args = append(args, id, loc, now)
				}
				if err := db.Exec(`INSERT INTO stock_balances (product_id, location_id, physical, reserved, updated_at) VALUES `+
					strings.Join(rows, ", ")+` ON CONFLICT (product_id, location_id) DO NOTHING`, args...).Error; err != nil {
					return translate(err, "Estoque")
				}
				var locked []struct {
					ProductID, Physical, Reserved int64
				}
				if err := db.Raw(`UPDATE stock_balances SET updated_at = ? WHERE location_id = ? AND product_id IN ? RETURNING product_id, physical, reserved`,
					now, loc, chunk).Scan(&locked).Error; err != nil {
					return translate(err, "Estoque")
				}
				for _, b := range locked {
					cur[key{b.ProductID, loc}] = balanceRow{Physical: b.Physical, Reserved: b.Reserved}
				}
			}
		}

		// Apply the changes in order, in memory, one ledger line each.
		a := model.ActorFrom(ctx)
		var mvs []*model.StockMovement
		var dirty []key
		isDirty := map[key]bool{}
		for i, c := range changes {
			k := key{c.ProductID, c.LocationID}
			b := cur[k]
			pd, rd := c.PhysicalDelta, c.ReservedDelta
			if c.Set != nil {
				pd = *c.Set - b.Physical
			}
			if pd == 0 && rd == 0 {
				continue
			}
			after := balanceRow{Physical: b.Physical + pd, Reserved: b.Reserved + rd}
			if after.Reserved < 0 {
				return apperr.Errorf(apperr.ECONFLICT, "Reserva insuficiente: há %d unidade(s) reservada(s) e a operação libera %d.", b.Reserved, -rd)
			}
			cur[k] = after
			if !isDirty[k] {
				isDirty[k] = true
				dirty = append(dirty, k)
			}
			mv := &model.StockMovement{
				ProductID: c.ProductID, LocationID: c.LocationID, Source: c.Source,
				PhysicalDelta: pd, ReservedDelta: rd, PhysicalAfter: after.Physical, ReservedAfter: after.Reserved,
				Reference: c.Reference, Note: strings.TrimSpace(c.Note), UserID: a.UserID, Actor: a.Label, CreatedAt: now,
			}
			out[i] = mv
			mvs = append(mvs, mv)
		}
		if len(mvs) == 0 {
			return nil
		}

		// Write the balances, the ledger lines and the push queue.
		for start := 0; start < len(dirty); start += batch {
			chunk := dirty[start:min(start+batch, len(dirty))]
			rows := make([]string, len(chunk))
			args := make([]any, 0, 4*len(chunk))
			for i, k := range chunk {
				rows[i] = "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))"
				args = append(args, k.product, k.location, cur[k].Physical, cur[k].Reserved)
			}
			if err := db.Exec(`UPDATE stock_balances SET physical = v.column3, reserved = v.column4
				FROM (VALUES `+strings.Join(rows, ", ")+`) AS v
				WHERE stock_balances.product_id = v.column1 AND stock_balances.location_id = v.column2`, args...).Error; err != nil {
				return translate(err, "Estoque")
			}
		}
		if err := db.CreateInBatches(mvs, batch).Error; err != nil {
			return translate(err, "Movimento de estoque")
		}
		products := make([]int64, 0, len(dirty))
		queued := map[int64]bool{}
		for _, k := range dirty {
			if !queued[k.product] {
				queued[k.product] = true
				products = append(products, k.product)
			}
		}
		if err := s.markStockChanged(ctx, now, products...); err != nil {
			return err
		}
		return s.stockChangedAtCommit(ctx)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// markStockChanged queues products for a stock push (stock_changes holds one
// row per product, the time of its last change).
func (s *Store) markStockChanged(ctx context.Context, at time.Time, productIDs ...int64) error {
	// In id order, once each: concurrent transactions upsert the same rows
	// in the same order and never deadlock (PostgreSQL).
	productIDs = slices.Compact(slices.Sorted(slices.Values(productIDs)))
	for start := 0; start < len(productIDs); start += upsertBatch {
		chunk := productIDs[start:min(start+upsertBatch, len(productIDs))]
		rows := make([]string, len(chunk))
		args := make([]any, 0, 2*len(chunk))
		for i, id := range chunk {
			rows[i] = "(?, ?)"
			args = append(args, id, at)
		}
		err := s.conn(ctx).Exec(`INSERT INTO stock_changes (product_id, changed_at) VALUES `+strings.Join(rows, ", ")+`
			ON CONFLICT (product_id) DO UPDATE SET changed_at = excluded.changed_at`, args...).Error
		if err != nil {
			return translate(err, "Estoque")
		}
	}
	return nil
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
	Sort       Sort // the list's chosen order; default by SKU
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

// ListMovements returns a page of a product's ledger, newest first.
func (s *Store) ListMovements(ctx context.Context, productID int64, p Page) ([]model.StockMovement, int64, error) {
	p = capPage(p)
	q := func() *gorm.DB { return s.conn(ctx).Model(&model.StockMovement{}).Where("product_id = ?", productID) }
	total, err := countCapped(s.conn(ctx), q(), "id DESC")
	if err != nil {
		return nil, 0, translate(err, "Estoque")
	}
	var out []model.StockMovement
	err = q().Order("id DESC").Limit(p.Size).Offset(p.offset()).Find(&out).Error
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
