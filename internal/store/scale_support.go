package store

import (
	"context"
	"fmt"
	"strings"

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

// Analyze refreshes the planner's statistics after a bulk load: of the
// given tables only, or of every table when none is named.
func (s *Store) Analyze(ctx context.Context, tables ...string) error {
	if len(tables) == 0 {
		return translate(s.conn(ctx).Exec("ANALYZE").Error, "Estatísticas")
	}
	if s.dialect == database.SQLite {
		// SQLite analyses one table a statement (sqlite_stat1, read by its planner)
		for _, t := range tables {
			if err := s.conn(ctx).Exec(`ANALYZE "` + t + `"`).Error; err != nil {
				return translate(err, "Estatísticas")
			}
		}
		return nil
	}
	return translate(s.conn(ctx).Exec("ANALYZE "+strings.Join(tables, ", ")).Error, "Estatísticas")
}
