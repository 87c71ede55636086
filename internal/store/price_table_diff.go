package store

import (
	"context"
)

// PriceDiffSummary counts the differences of a table against another.
type PriceDiffSummary struct {
	Lines       int64 // items of the new table
	BaseLines   int64 // items of the table compared against (0 when none)
	Added       int64 // codes only in the new table
	Removed     int64 // codes only in the base table
	Increased   int64
	Decreased   int64
	Unchanged   int64
	Highlighted int64 // changes whose size exceeds the threshold
}

// Changed is the number of codes whose price changed.
func (d PriceDiffSummary) Changed() int64 { return d.Increased + d.Decreased }

// Diff kinds for PriceDiffFilter.Kind.
const (
	DiffChanged     = "changed"
	DiffHighlighted = "highlighted"
	DiffAdded       = "added"
	DiffRemoved     = "removed"
)

// Diff orders for PriceDiffFilter.Sort.
const (
	SortIncrease = "increase" // biggest relative increase first
	SortDecrease = "decrease" // biggest relative decrease first
	SortCode     = "code"
)

// PriceDiffFilter selects the rows of a diff.
type PriceDiffFilter struct {
	Kind        string // DiffChanged (default), DiffHighlighted, DiffAdded, DiffRemoved
	Sort        string // SortIncrease (default), SortDecrease, SortCode
	Query       string // code or description
	ThresholdBP int64  // for DiffHighlighted
}

// PriceDiffRow is one code that differs. Old is nil for added codes, New for removed ones.
type PriceDiffRow struct {
	ProductID    int64
	SupplierCode string
	Description  string
	SKU          string
	Name         string
	OldCents     *int64
	NewCents     *int64
}

// DiffPriceTables summarises the differences of table newID against baseID
// (0: no base table, everything is new). thresholdBP is the highlight
// threshold in hundredths of a percent.
func (s *Store) DiffPriceTables(ctx context.Context, newID, baseID, thresholdBP int64) (PriceDiffSummary, error) {
	var d PriceDiffSummary
	err := s.conn(ctx).Raw(`SELECT COUNT(*) AS lines,
 COALESCE(SUM(CASE WHEN o.product_id IS NULL THEN 1 ELSE 0 END), 0) AS added,
 COALESCE(SUM(CASE WHEN o.price_cents < n.price_cents THEN 1 ELSE 0 END), 0) AS increased,
 COALESCE(SUM(CASE WHEN o.price_cents > n.price_cents THEN 1 ELSE 0 END), 0) AS decreased,
 COALESCE(SUM(CASE WHEN o.price_cents = n.price_cents THEN 1 ELSE 0 END), 0) AS unchanged,
 COALESCE(SUM(CASE WHEN ABS(n.price_cents - o.price_cents) * 10000 > ? * o.price_cents THEN 1 ELSE 0 END), 0) AS highlighted
FROM price_table_items n LEFT JOIN price_table_items o ON o.table_id = ? AND o.product_id = n.product_id
WHERE n.table_id = ?`, thresholdBP, baseID, newID).Scan(&d).Error
	if err != nil {
		return d, translate(err, "Tabela de preços")
	}
	if baseID != 0 {
		if err := s.conn(ctx).Raw("SELECT COUNT(*) FROM price_table_items WHERE table_id = ?", baseID).Scan(&d.BaseLines).Error; err != nil {
			return d, translate(err, "Tabela de preços")
		}
	}
	d.Removed = d.BaseLines - d.Increased - d.Decreased - d.Unchanged
	return d, nil
}

// ListPriceDiff returns a page of the differences of newID against baseID and their total.
func (s *Store) ListPriceDiff(ctx context.Context, newID, baseID int64, f PriceDiffFilter, p Page) ([]PriceDiffRow, int64, error) {
	p = p.Normalize()
	var from string
	var args []any
	switch f.Kind {
	case DiffAdded:
		from = `FROM price_table_items n LEFT JOIN price_table_items o ON o.table_id = ? AND o.product_id = n.product_id
 LEFT JOIN products p ON p.id = n.product_id WHERE n.table_id = ? AND o.product_id IS NULL`
		args = []any{baseID, newID}
	case DiffRemoved:
		// Here "o" is the base table and "n" the (absent) new line.
		from = `FROM price_table_items o LEFT JOIN price_table_items n ON n.table_id = ? AND n.product_id = o.product_id
 LEFT JOIN products p ON p.id = o.product_id WHERE o.table_id = ? AND n.product_id IS NULL`
		args = []any{newID, baseID}
	case DiffHighlighted:
		from = `FROM price_table_items n JOIN price_table_items o ON o.table_id = ? AND o.product_id = n.product_id
 LEFT JOIN products p ON p.id = n.product_id WHERE n.table_id = ? AND ABS(n.price_cents - o.price_cents) * 10000 > ? * o.price_cents`
		args = []any{baseID, newID, f.ThresholdBP}
	default:
		from = `FROM price_table_items n JOIN price_table_items o ON o.table_id = ? AND o.product_id = n.product_id
 LEFT JOIN products p ON p.id = n.product_id WHERE n.table_id = ? AND n.price_cents <> o.price_cents`
		args = []any{baseID, newID}
	}
	code, desc := "n.supplier_code", "n.description"
	if f.Kind == DiffRemoved {
		code, desc = "o.supplier_code", "o.description"
	}
	if f.Query != "" {
		pat := likePattern(f.Query)
		from += ` AND (LOWER(` + code + `) LIKE ? ESCAPE '\' OR LOWER(` + desc + `) LIKE ? ESCAPE '\' OR LOWER(p.sku) LIKE ? ESCAPE '\' OR LOWER(p.name) LIKE ? ESCAPE '\')`
		args = append(args, pat, pat, pat, pat)
	}
	var total int64
	if err := s.conn(ctx).Raw("SELECT COUNT(*) "+from, args...).Scan(&total).Error; err != nil {
		return nil, 0, translate(err, "Tabela de preços")
	}
	order := code
	if f.Kind != DiffAdded && f.Kind != DiffRemoved {
		// Relative change in millionths: exact integer arithmetic on both engines.
		rel := "(n.price_cents - o.price_cents) * 1000000 / o.price_cents"
		switch f.Sort {
		case SortCode:
		case SortDecrease:
			order = rel + ", " + code
		default:
			order = rel + " DESC, " + code
		}
	}
	sel := `SELECT COALESCE(n.product_id, o.product_id) AS product_id, ` + code + ` AS supplier_code, ` + desc + ` AS description,
 COALESCE(p.sku, '') AS sku, COALESCE(p.name, '') AS name, o.price_cents AS old_cents, n.price_cents AS new_cents `
	var out []PriceDiffRow
	err := s.conn(ctx).Raw(sel+from+" ORDER BY "+order+" LIMIT ? OFFSET ?", append(args, p.Size, (p.Number-1)*p.Size)...).Scan(&out).Error
	return out, total, translate(err, "Tabela de preços")
}
