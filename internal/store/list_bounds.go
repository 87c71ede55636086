package store

import (
	"strings"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/database"
)

// ListCountCap bounds what a list page counts and how deep it pages: a list
// over a big table counts at most ListCountCap+1 rows (the page shows "mais
// de 1.000") and pages no deeper, so a view costs the same at a thousand
// rows as at ten million. Filters narrow a list further; the API pages by
// cursor and has no such bound.
const ListCountCap = 1000

// capPage keeps a page within the first ListCountCap rows.
func capPage(p Page) Page {
	p = p.Normalize()
	if last := (ListCountCap + p.Size - 1) / p.Size; p.Number > last {
		p.Number = last
	}
	return p
}

// countCapped counts the rows of q up to ListCountCap+1, walking them in
// order when given: over the big tables, the order the page lists them in,
// so that the planner reads the page's index and stops early; "" lets it
// take the rows as they come (a trigram search of the catalog).
func countCapped(db *gorm.DB, q *gorm.DB, order string) (int64, error) {
	var n int64
	q = q.Select("1")
	if order != "" {
		q = q.Order(order)
	}
	err := db.Table("(?) AS capped", q.Limit(ListCountCap+1)).Count(&n).Error
	return n, err
}

// prefixMatch is the condition "expr starts with prefix" that an index on
// expr serves: LIKE with text_pattern_ops on PostgreSQL, a range on SQLite
// (whose LIKE optimisation takes only a bare column of NOCASE collation).
func (s *Store) prefixMatch(expr, prefix string) (string, []any) {
	if s.dialect == database.SQLite {
		return "(" + expr + " >= ? AND " + expr + " < ?)", []any{prefix, prefix + "\U0010FFFF"}
	}
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return expr + ` LIKE ? ESCAPE '\'`, []any{r.Replace(prefix) + "%"}
}

// walkSortOnSQLite reports whether a sorted page filtered by an equality
// (status, supplier, platform) should be read walking the sort column's
// index, testing the filter on each row, on SQLite. Its planner takes the
// equality's index and sorts every row it finds: a status tab holding
// 990,000 delivered orders sorted by number took 22 s, a supplier's 20,000
// POs sorted by total 0.8 s. When the capped count says more than
// ListCountCap rows match, the sort index reaches a page's worth of them
// soon; fewer are found and sorted from the equality's index as before.
// PostgreSQL's planner weighs both with its statistics.
func (s *Store) walkSortOnSQLite(so Sort, total int64, equality bool) bool {
	return s.dialect == database.SQLite && so.Column != "" && equality && total > ListCountCap
}

// noIndex is col, or on SQLite's walkSort "+col": a unary plus keeps its
// planner from using an index on the column for that term.
func noIndex(walk bool, col string) string {
	if walk {
		return "+" + col
	}
	return col
}
