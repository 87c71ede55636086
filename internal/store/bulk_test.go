package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

var bulkProducts = []store.BulkTable{{Name: "products", Serial: true, Rebuild: true, NoTriggers: true,
	Columns: []string{"id", "sku", "name", "brand", "ean", "ncm", "supplier_id", "supplier_code", "dropship", "active", "created_at", "updated_at"}}}

// schemaOf lists the indexes, triggers (with their state) and foreign keys of
// a table, as the database describes them.
func schemaOf(t *testing.T, db *database.DB, table string) []string {
	t.Helper()
	q := `SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger')
		UNION ALL SELECT 'fk ' || "table" || ' ' || "from" FROM pragma_foreign_key_list(?) WHERE ? <> ''`
	if db.Dialect == database.Postgres {
		q = `SELECT 'index ' || indexdef FROM pg_indexes WHERE tablename = $1
			UNION ALL SELECT 'trigger ' || tgname || ' ' || tgenabled::text FROM pg_trigger WHERE tgrelid = $2::regclass AND NOT tgisinternal
			UNION ALL SELECT 'fk ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = $3::regclass AND contype = 'f'`
	}
	rows, err := db.SQL.Query(q, table, table, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func count(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	if db == nil {
		t.Fatal("no database")
	}
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A bulk load drops the indexes, foreign keys and triggers of the tables it
// rebuilds and leaves them exactly as they were (and working) once the load
// is over; a row that breaks a foreign key fails the whole load.
func TestBulkLoadRebuildsIndexesForeignKeysAndTriggers(t *testing.T) {
	env := apptest.New(t)
	st, db, ctx := env.App.Store, env.App.DB, env.Ctx
	sup := &model.Supplier{CNPJ: "11222333000181", LegalName: "Carga Ltda", TradeName: "Carga", Active: true, PriceNoticeDays: 20, DispatchHours: 24}
	if err := st.CreateSupplier(ctx, sup); err != nil {
		t.Fatal(err)
	}
	before := schemaOf(t, db, "products")
	if len(before) < 4 || !slices.ContainsFunc(before, func(s string) bool { return len(s) > 7 && s[:7] == "trigger" }) {
		t.Fatalf("products has too little schema to test with: %v", before)
	}
	ids, err := st.NextIDs(ctx, "products")
	if err != nil {
		t.Fatal(err)
	}
	first, now := ids["products"], time.Now().UTC()
	load := func(supplierID int64, n int) error {
		return st.BulkLoad(ctx, bulkProducts, func(l *store.BulkLoader) error {
			for i := 0; i < n; i++ {
				if err := l.Add(ctx, 0, first+int64(i), fmt.Sprintf("CARGA-%05d", i), "Peça de carga", "Marca", "", "87083090",
					supplierID, fmt.Sprintf("C%05d", i), true, true, now, now); err != nil {
					return err
				}
			}
			return nil
		})
	}

	if err := load(sup.ID+1000, 10); err == nil {
		t.Fatal("a load naming a missing supplier succeeded")
	}
	if n := count(t, db.SQL, "SELECT COUNT(*) FROM products"); n != 0 {
		t.Errorf("the failed load left %d products", n)
	}
	if got := schemaOf(t, db, "products"); !slices.Equal(got, before) {
		t.Errorf("schema after the failed load\n%v\nwant\n%v", got, before)
	}

	const n = 120000 // more than one buffer: one flush in flight while the next fills
	if err := load(sup.ID, n); err != nil {
		t.Fatal(err)
	}
	if got := count(t, db.SQL, "SELECT COUNT(*) FROM products"); got != n {
		t.Errorf("%d products loaded, want %d", got, n)
	}
	if got := schemaOf(t, db, "products"); !slices.Equal(got, before) {
		t.Errorf("schema after the load\n%v\nwant\n%v", got, before)
	}
	// the trigger was off for the loaded rows and is on again afterwards
	if got := count(t, db.SQL, "SELECT COUNT(*) FROM product_stock"); got != 0 {
		t.Errorf("the products trigger ran for %d loaded rows", got)
	}
	p := &model.Product{SKU: "DEPOIS-1", Name: "Depois da carga", NCM: "87083090", SupplierID: &sup.ID, SupplierCode: "D1", Active: true}
	if err := st.CreateProduct(context.WithoutCancel(ctx), p); err != nil {
		t.Fatal(err)
	}
	if got := count(t, db.SQL, "SELECT COUNT(*) FROM product_stock WHERE product_id = "+fmt.Sprint(p.ID)); got != 1 {
		t.Errorf("product created after the load has %d stock rows, want 1 (trigger)", got)
	}
	// the id sequence moved past the loaded ids, and the unique index is back
	if p.ID != first+n {
		t.Errorf("next product id %d, want %d", p.ID, first+n)
	}
	dup := &model.Product{SKU: "CARGA-00001", Name: "Repetido", NCM: "87083090", Active: true}
	if err := st.CreateProduct(ctx, dup); err == nil {
		t.Error("a repeated SKU was accepted after the load")
	}
}
