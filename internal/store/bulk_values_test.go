package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// A bulk-loaded row is stored exactly as the same values bound to an
// INSERT are: on SQLite the loader sends rows as JSON, so text with quotes,
// backslashes, control characters and accents, NULLs, booleans, named
// string types and times (with their nanoseconds and zone) must come out
// as the driver writes them.
func TestBulkLoadStoresValuesAsBound(t *testing.T) {
	env := apptest.New(t)
	st, db, ctx := env.App.Store, env.App.DB, env.Ctx
	sup := &model.Supplier{CNPJ: "11222333000181", LegalName: "Valores Ltda", TradeName: "Valores", Active: true, PriceNoticeDays: 20, DispatchHours: 24}
	if err := st.CreateSupplier(ctx, sup); err != nil {
		t.Fatal(err)
	}
	ids, err := st.NextIDs(ctx, "products")
	if err != nil {
		t.Fatal(err)
	}
	first := ids["products"]
	saoPaulo := time.FixedZone("BRT", -3*3600)
	at := time.Date(2026, 11, 25, 14, 5, 6, 123456789, saoPaulo)
	type brand string
	var noSupplier *int64
	row := func(id int64, sku string, supplier any) []any {
		return []any{id, sku, "Pastilha \"Cerâmica\" \\ 1/2\" — ç\nsegunda linha\tcom tab e \x01 controle", brand("Fras-le"),
			"", "87083090", supplier, "C-" + sku, true, false, at, at.UTC()}
	}
	// the same values bound to one INSERT, as the driver writes them
	cols := bulkProducts[0].Columns
	q := "INSERT INTO products (" + strings.Join(cols, ",") + ") VALUES (" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	if db.Dialect == database.Postgres {
		q = "INSERT INTO products (" + strings.Join(cols, ",") + ") VALUES (" + dollarMarks(len(cols)) + ")"
	}
	for i, sup := range []any{sup.ID, noSupplier} {
		if _, err := db.SQL.ExecContext(ctx, q, row(first+int64(2*i), fmt.Sprint("BOUND", i), sup)...); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.BulkLoad(ctx, bulkProducts, func(l *store.BulkLoader) error {
		for i, sup := range []any{sup.ID, noSupplier} {
			if err := l.Add(ctx, 0, row(first+int64(2*i+1), fmt.Sprint("BULK", i), sup)...); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	stored := func(id int64) string {
		t.Helper()
		expr := "quote(name) || '|' || quote(brand) || '|' || quote(ean) || '|' || quote(supplier_id) || '|' || quote(dropship) || '|' || quote(active) || '|' || quote(created_at) || '|' || quote(updated_at)"
		if db.Dialect == database.Postgres {
			expr = "concat_ws('|', name, brand, ean, COALESCE(supplier_id::text, 'NULL'), dropship, active, created_at, updated_at)"
		}
		var s string
		if err := db.SQL.QueryRowContext(ctx, "SELECT "+expr+" FROM products WHERE id = "+fmt.Sprint(id)).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	for i := int64(0); i < 2; i++ {
		if bound, bulk := stored(first+2*i), stored(first+2*i+1); bound != bulk {
			t.Errorf("bulk-loaded row stored as\n%q\nbound row\n%q", bulk, bound)
		}
	}
	if s := stored(first + 3); !strings.Contains(s, "NULL") {
		t.Errorf("nil supplier stored as %q", s)
	}
	// and the store reads it back as it was given
	p, err := st.FindProduct(ctx, first+1)
	if err != nil {
		t.Fatal(err)
	}
	want := at
	if db.Dialect == database.Postgres {
		want = at.Truncate(time.Microsecond) // PostgreSQL keeps microseconds
	}
	if p.Name != row(0, "", nil)[2] || !p.CreatedAt.Equal(want) || p.Brand != "Fras-le" || p.SupplierID == nil || *p.SupplierID != sup.ID {
		t.Errorf("read back %+v", p)
	}
}

func dollarMarks(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "$%d", i)
	}
	return b.String()
}
