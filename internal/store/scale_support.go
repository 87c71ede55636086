package store

import (
	"context"
	"fmt"

	"github.com/connectparts/portal/internal/database"
)

// CountSalesOrders tells whether there are sales orders at all (the scale
// seed refuses a database that has some): it counts at most one.
func (s *Store) CountSalesOrders(ctx context.Context) (int64, error) {
	var n int64
	err := s.conn(ctx).Raw("SELECT COUNT(*) FROM (SELECT 1 FROM sales_orders LIMIT 1) t").Scan(&n).Error
	return n, translate(err, "Pedido de venda")
}

// NextIDs returns, per table, the first id above every existing row (bulk
// loads give their rows explicit ids so that children can name parents).
func (s *Store) NextIDs(ctx context.Context, tables ...string) (map[string]int64, error) {
	out := make(map[string]int64, len(tables))
	for _, t := range tables {
		var n int64
		if err := s.conn(ctx).Raw(fmt.Sprintf("SELECT COALESCE(MAX(id), 0) + 1 FROM %s", t)).Scan(&n).Error; err != nil {
			return nil, translate(err, t)
		}
		out[t] = n
	}
	return out, nil
}

// Analyze refreshes the planner's statistics after a bulk load.
func (s *Store) Analyze(ctx context.Context) error {
	q := "ANALYZE"
	if s.dialect == database.SQLite {
		q = "ANALYZE" // SQLite: sqlite_stat1, read by its planner
	}
	return translate(s.conn(ctx).Exec(q).Error, "Estatísticas")
}
