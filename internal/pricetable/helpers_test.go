package pricetable_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

// env is one migrated database with the price-table service on it and a
// clock the test moves.
type env struct {
	t     testing.TB
	ctx   context.Context
	db    *database.DB
	store *store.Store
	svc   *pricetable.Service
	now   time.Time
	dir   string
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	db := testdb.MustOpen(tb)
	e := &env{t: tb, db: db, store: store.New(db), dir: tb.TempDir()}
	e.ctx = model.WithActor(context.Background(), model.Actor{Label: "test"})
	e.now = at("2026-11-05 15:00")
	e.store.SetClock(func() time.Time { return e.now.UTC() })
	e.svc = pricetable.NewService(e.store, e.dir)
	return e
}

// at reads "2006-01-02 15:04" in São Paulo time.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, format.Location)
	if err != nil {
		panic(err)
	}
	return t
}

var cnpjs = []string{"11222333000181", "12ABC34501DE35", "11444777000161"}

func (e *env) supplier(i int, name string) *model.Supplier {
	e.t.Helper()
	s := &model.Supplier{CNPJ: cnpjs[i], LegalName: name, DispatchHours: 24, PriceNoticeDays: model.DefaultPriceNoticeDays, Active: true}
	if err := e.store.CreateSupplier(e.ctx, s); err != nil {
		e.t.Fatal(err)
	}
	return s
}

// products creates n products of the supplier with codes prefix0001…, in
// multi-row inserts, and returns their ids in order.
func (e *env) products(sup *model.Supplier, prefix string, n int) []int64 {
	e.t.Helper()
	db := e.db.Gorm
	now := time.Now().UTC()
	for start := 0; start < n; start += 64 {
		var b strings.Builder
		var args []any
		b.WriteString("INSERT INTO products (sku, name, brand, ean, ncm, supplier_id, supplier_code, dropship, active, created_at, updated_at) VALUES ")
		for i := start; i < min(n, start+64); i++ {
			if i > start {
				b.WriteByte(',')
			}
			b.WriteString("(?, ?, '', '', '', ?, ?, ?, ?, ?, ?)")
			code := fmt.Sprintf("%s%04d", prefix, i+1)
			args = append(args, fmt.Sprintf("S%d-%s", sup.ID, code), "Produto "+code, sup.ID, code, true, true, now, now)
		}
		if err := db.Exec(b.String(), args...).Error; err != nil {
			e.t.Fatal(err)
		}
	}
	var ids []int64
	if err := db.Raw("SELECT id FROM products WHERE supplier_id = ? AND supplier_code LIKE ? ORDER BY supplier_code", sup.ID, prefix+"%").Scan(&ids).Error; err != nil {
		e.t.Fatal(err)
	}
	return ids
}

// csv1252 encodes text as Excel on Brazilian Windows saves "CSV (separado
// por vírgulas)": Windows-1252, ";" and CRLF.
func csv1252(tb testing.TB, lines ...string) []byte {
	tb.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(strings.Join(lines, "\r\n") + "\r\n"))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func file(name string, b []byte) pricetable.File {
	return pricetable.File{Name: name, Size: int64(len(b)), Body: bytes.NewReader(b)}
}

// submit uploads and confirms a table with the given date (YYYY-MM-DD).
func (e *env) submit(sup *model.Supplier, date string, lines ...string) *model.PriceTable {
	e.t.Helper()
	t, err := e.svc.SubmitFile(e.ctx, sup.ID, file("tabela.csv", csv1252(e.t, lines...)), date)
	if err != nil {
		e.t.Fatalf("submit %s: %v (%v)", date, err, details(err))
	}
	return t
}

func details(err error) []string {
	var out []string
	for _, d := range apperr.Details(err) {
		out = append(out, fmt.Sprintf("%s%d: %s", d.Field, d.Line, d.Message))
	}
	return out
}

func (e *env) count(table string) int64 {
	e.t.Helper()
	var n int64
	if err := e.db.Gorm.Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil {
		e.t.Fatal(err)
	}
	return n
}

func earliest(t time.Time, notice int, inForce bool) time.Time {
	return pricetable.EarliestDate(t, notice, inForce)
}
