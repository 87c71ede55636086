package store

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/connectparts/portal/internal/database"
)

// ftsMinRunes is the shortest query the trigram index can answer: FTS5's
// trigram tokenizer matches substrings of three characters or more.
const ftsMinRunes = 3

// searchConditionSQLite is the catalog search on SQLite. A query of three
// characters or more first narrows the products through products_fts, the
// FTS5 trigram index over the same text (migration 00034, kept by triggers);
// the GLOB then decides on those few rows, so the matches are exactly the
// GLOB's. A shorter query GLOBs the whole catalog.
func (s *Store) searchConditionSQLite(ctx context.Context, q string) (string, []any) {
	q = strings.TrimSpace(q)
	glob := caseFoldGlob(q)
	if utf8.RuneCountInString(q) < ftsMinRunes || (allDigits(q) && s.commonTrigrams(ctx, q)) {
		return productSearchSQLite, []any{glob}
	}
	phrase := `"` + strings.ReplaceAll(q, `"`, `""`) + `"`
	return "id IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ?) AND " + productSearchSQLite, []any{phrase, glob}
}

// allDigits reports whether q is a number (an EAN or its prefix): the only
// queries checked for common trigrams, as EANs share their leading digits
// ("789…"); SKUs, codes and words go to the index directly, the check
// costing more than it saves there.
func allDigits(q string) bool {
	for _, r := range q {
		if r < '0' || r > '9' {
			return false
		}
	}
	return q != ""
}

// commonTrigrams reports whether every trigram of q is in more than half
// of the catalog (products_fts_vocab, kept by FTS5 itself; the catalog's
// size from product_counts): then the GLOB scan meets the page's rows
// within its first products, while the index would read lists as long as
// the catalog (an EAN prefix "789…"). One trigram rarer than that, or in
// no product, makes the index the faster answer.
func (s *Store) commonTrigrams(ctx context.Context, q string) bool {
	total, err := s.CountProducts(ctx, nil)
	if err != nil {
		return false
	}
	r := []rune(strings.ToLower(q))
	seen := map[string]bool{}
	for i := 0; i+ftsMinRunes <= len(r); i++ {
		t := string(r[i : i+ftsMinRunes])
		if seen[t] {
			continue
		}
		seen[t] = true
		var docs []int64
		if err := s.conn(ctx).Raw("SELECT doc FROM products_fts_vocab WHERE term = ?", t).Scan(&docs).Error; err != nil {
			return false
		}
		if len(docs) == 0 || docs[0]*2 <= total {
			return false
		}
	}
	return len(seen) > 0
}

// RebuildCatalogFigures fills what the products' triggers keep (the counts
// per supplier, and on SQLite the search index) from the products loaded
// with their triggers off (the scale seed's BulkLoad).
func (l *BulkLoader) RebuildCatalogFigures(ctx context.Context) error {
	stmts := []string{
		"DELETE FROM product_counts",
		"INSERT INTO product_counts (supplier_id, n) SELECT COALESCE(supplier_id, 0), COUNT(*) FROM products GROUP BY COALESCE(supplier_id, 0)",
	}
	if l.dialect == database.SQLite {
		stmts = append(stmts, "DELETE FROM products_fts",
			"INSERT INTO products_fts (rowid, doc) SELECT id, sku || ' ' || name || ' ' || ean || ' ' || supplier_code FROM products")
	}
	for _, q := range stmts {
		if err := l.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// CountProductsExact counts the products table itself (of one supplier when
// given): what product_counts must equal, for tests and checks.
func (s *Store) CountProductsExact(ctx context.Context, supplierID *int64) (int64, error) {
	var n int64
	q := s.conn(ctx).Table("products")
	if supplierID != nil {
		q = q.Where("supplier_id = ?", *supplierID)
	}
	err := q.Count(&n).Error
	return n, translate(err, "Produto")
}
