package syncengine_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"
)

// stmtCounter counts the SQL statements GORM runs on a database, by their
// text with literals and placeholders folded (River's own statements, which
// go straight to the *sql.Tx, are not seen).
type stmtCounter struct {
	mu     sync.Mutex
	on     bool
	byText map[string]int
}

var (
	foldLiterals = regexp.MustCompile(`'[^']*'|\$\d+|\?|\b\d+\b`)
	foldRows     = regexp.MustCompile(`(\(\?(,\s*\?)*\))(,\s*\(\?(,\s*\?)*\))+`)
)

func countStatements(tb testing.TB, g *gorm.DB) *stmtCounter {
	tb.Helper()
	c := &stmtCounter{byText: map[string]int{}}
	after := func(db *gorm.DB) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if !c.on || db.Statement.SQL.Len() == 0 {
			return
		}
		text := foldLiterals.ReplaceAllString(db.Statement.SQL.String(), "?")
		// A multi-row VALUES list counts once whatever its length.
		text = foldRows.ReplaceAllString(text, "$1,…")
		c.byText[text]++
	}
	cb := g.Callback()
	for name, err := range map[string]error{
		"create": cb.Create().After("gorm:create").Register("stmtcount:create", after),
		"query":  cb.Query().After("gorm:query").Register("stmtcount:query", after),
		"update": cb.Update().After("gorm:update").Register("stmtcount:update", after),
		"delete": cb.Delete().After("gorm:delete").Register("stmtcount:delete", after),
		"row":    cb.Row().After("gorm:row").Register("stmtcount:row", after),
		"raw":    cb.Raw().After("gorm:raw").Register("stmtcount:raw", after),
	} {
		if err != nil {
			tb.Fatalf("register %s: %v", name, err)
		}
	}
	return c
}

func (c *stmtCounter) start() {
	c.mu.Lock()
	c.on, c.byText = true, map[string]int{}
	c.mu.Unlock()
}

func (c *stmtCounter) stop() (total int, byText map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.on = false
	for _, n := range c.byText {
		total += n
	}
	return total, c.byText
}

// report is the statements run, most frequent first.
func report(byText map[string]int) string {
	texts := make([]string, 0, len(byText))
	for t := range byText {
		texts = append(texts, t)
	}
	sort.Slice(texts, func(i, j int) bool {
		a, b := texts[i], texts[j]
		return byText[a] > byText[b] || byText[a] == byText[b] && a < b
	})
	var b strings.Builder
	for _, t := range texts {
		short := strings.Join(strings.Fields(t), " ")
		if len(short) > 140 {
			short = short[:140] + "…"
		}
		fmt.Fprintf(&b, "%6d  %s\n", byText[t], short)
	}
	return b.String()
}

// Importing new orders in batches costs less than one SQL statement per
// order (GORM's; River's one job insert per batch aside): each order's row,
// lines, status push, timeline and stock go in with the batch's multi-row
// statements, what it reads is read ahead once per batch, and PostgreSQL's
// order locks are taken with one statement per batch. One order per
// transaction took 4 (SQLite) and 6 (PostgreSQL) statements per order.
func TestImportStatementsPerOrder(t *testing.T) {
	e := newBenchEnv(t, -1)
	e.product(t, "BIGBML", 1_000_000)
	e.fake.AddOrders(500, "ready-for-handling")
	c := countStatements(t, e.db.Gorm)
	c.start()
	n := e.importAll(t)
	total, by := c.stop()
	if n < 500 {
		t.Fatalf("imported %d orders, want ≥ 500", n)
	}
	perOrder := float64(total) / float64(n)
	t.Logf("%d orders, %d statements (%.2f per order):\n%s", n, total, perOrder, report(by))
	if perOrder >= 1 {
		t.Errorf("%.2f statements per imported order, want < 1:\n%s", perOrder, report(by))
	}
	// No statement runs once per order.
	for text, k := range by {
		if k >= n {
			t.Errorf("run %d times for %d orders: %s", k, n, text)
		}
	}
}
