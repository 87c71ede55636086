package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/connectparts/portal/internal/model"
)

// The items of a table loaded in TxForBulk (COPY on PostgreSQL, batched
// INSERTs on SQLite) are part of the transaction: all of them stay when it
// commits, none when it rolls back, and they read back as written.
func TestPriceTableItemsInBulkTransaction(t *testing.T) {
	f := newProductFixture(t)
	const n = 25_000 // more than one COPY batch and many SQLite batches
	write := func(fail bool) (int64, error) {
		var tableID int64
		err := f.st.TxForBulk(f.ctx, func(ctx context.Context) error {
			pt := &model.PriceTable{SupplierID: f.a.ID, State: model.PriceTableDraft, FileName: "t.csv"}
			if err := f.st.CreatePriceTable(ctx, pt); err != nil {
				return err
			}
			tableID = pt.ID
			w, err := f.st.NewPriceTableItemWriter(ctx)
			if err != nil {
				return err
			}
			defer w.Close()
			for i := 1; i <= n; i++ {
				it := &model.PriceTableItem{TableID: pt.ID, ProductID: int64(i), Line: i + 1, SupplierCode: fmt.Sprintf("C%05d", i),
					PriceCents: int64(100 + i), MinQty: 1 + i%3, EAN: "", Description: fmt.Sprintf("Peça nº %d", i)}
				if err := w.Add(ctx, it); err != nil {
					return err
				}
			}
			if got, err := w.Flush(ctx); err != nil || got != n {
				return fmt.Errorf("flush: %d, %v", got, err)
			}
			if fail {
				return errors.New("later step failed")
			}
			return nil
		})
		return tableID, err
	}
	count := func(tableID int64) (rows, sum int64) {
		t.Helper()
		err := f.db.Gorm.Raw("SELECT COUNT(*), COALESCE(SUM(price_cents), 0) FROM price_table_items WHERE table_id = ?", tableID).Row().Scan(&rows, &sum)
		if err != nil {
			t.Fatal(err)
		}
		return rows, sum
	}

	failed, err := write(true)
	if err == nil {
		t.Fatal("the failing transaction succeeded")
	}
	if rows, _ := count(failed); rows != 0 {
		t.Fatalf("%d items of a rolled-back table remain", rows)
	}
	ok, err := write(false)
	if err != nil {
		t.Fatal(err)
	}
	wantSum := int64(0)
	for i := 1; i <= n; i++ {
		wantSum += int64(100 + i)
	}
	if rows, sum := count(ok); rows != n || sum != wantSum {
		t.Fatalf("stored %d items summing %d, want %d summing %d", rows, sum, n, wantSum)
	}
	var code, desc string
	var line, minQty int
	if err := f.db.Gorm.Raw("SELECT supplier_code, description, line, min_qty FROM price_table_items WHERE table_id = ? AND product_id = ?", ok, 777).
		Row().Scan(&code, &desc, &line, &minQty); err != nil {
		t.Fatal(err)
	}
	if code != "C00777" || desc != "Peça nº 777" || line != 778 || minQty != 1+777%3 {
		t.Fatalf("item 777 read back as %q %q line %d min %d", code, desc, line, minQty)
	}
}
