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
