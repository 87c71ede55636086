package store_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// product_counts (migration 00034) must equal a count of the products table
// after every change that moves it: creation, a catalog import (new rows and
// a change of supplier), an edit moving a product to another supplier or to
// none, and a deletion.
func TestProductCountsEqualTheCatalog(t *testing.T) {
	f := newProductFixture(t)
	check := func(step string) {
		t.Helper()
		for _, sup := range []*int64{nil, &f.a.ID, &f.b.ID} {
			kept, err := f.st.CountProducts(f.ctx, sup)
			if err != nil {
				t.Fatal(err)
			}
			exact, err := f.st.CountProductsExact(f.ctx, sup)
			if err != nil {
				t.Fatal(err)
			}
			if kept != exact {
				t.Errorf("%s: supplier %v: product_counts says %d, the catalog has %d", step, sup, kept, exact)
			}
		}
	}
	check("empty")
	for i, sku := range []string{"CP-1", "CP-2", "CP-3"} {
		p := f.product(sku, "Pastilha "+sku, f.a, "A-"+sku)
		if i == 2 {
			p = f.product(sku, "Sem fornecedor", nil, "")
		}
		if err := f.st.CreateProduct(f.ctx, &p); err != nil {
			t.Fatal(err)
		}
	}
	check("created")
	if n, _ := f.st.CountProducts(f.ctx, nil); n != 3 {
		t.Fatalf("3 products created, counted %d", n)
	}
	// an import adding two to B and moving CP-2 from A to B
	ps := []model.Product{f.product("CP-2", "Pastilha CP-2", f.b, "B-2"), f.product("CP-4", "Disco", f.b, "B-4"), f.product("CP-5", "Disco 2", f.b, "B-5")}
	if _, err := f.st.UpsertProducts(f.ctx, ps, store.ProductImport{Source: "a.csv", Format: "CSV"}); err != nil {
		t.Fatal(err)
	}
	check("imported")
	if n, _ := f.st.CountProducts(f.ctx, &f.b.ID); n != 3 {
		t.Fatalf("supplier B has 3 products, counted %d", n)
	}
	p, err := f.st.FindProductBySKU(f.ctx, "CP-1")
	if err != nil {
		t.Fatal(err)
	}
	p.SupplierID, p.SupplierCode, p.Dropship, p.Supplier = nil, "", false, nil
	if err := f.st.UpdateProduct(f.ctx, p); err != nil {
		t.Fatal(err)
	}
	check("moved to no supplier")
	if err := f.db.Gorm.Exec("DELETE FROM products WHERE sku IN ('CP-4', 'CP-3')").Error; err != nil {
		t.Fatal(err)
	}
	check("deleted")
}

// The catalog search on SQLite narrows by the FTS5 trigram index and keeps
// the GLOB's answers: any case (accents too), any part of SKU, name, EAN or
// supplier code, queries under three characters, and an index that follows
// edits and deletions. On PostgreSQL the same answers come from pg_trgm.
func TestCatalogSearchFollowsTheCatalog(t *testing.T) {
	f := newProductFixture(t)
	for _, p := range []model.Product{
		f.product("CP-PAST-01", "PASTILHA CERÂMICA DIANTEIRA", f.a, "PF-100"),
		f.product("CP-DISC-02", "Disco de freio ventilado", f.a, "DF-200"),
		f.product("CP-OLEO-03", "Óleo 5W30 sintético \"premium\"", f.b, "OL-300"),
	} {
		p := p
		p.EAN = "7891234" + p.SKU[len(p.SKU)-2:]
		if err := f.st.CreateProduct(f.ctx, &p); err != nil {
			t.Fatal(err)
		}
	}
	search := func(q string) string {
		t.Helper()
		ps, _, err := f.st.ListProducts(f.ctx, store.ProductFilter{Query: q}, store.Page{Size: 50})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		var skus []string
		for _, p := range ps {
			skus = append(skus, p.SKU)
		}
		sort.Strings(skus)
		return strings.Join(skus, ",")
	}
	for q, want := range map[string]string{
		"cerâmica":    "CP-PAST-01",
		"CERÂMICA":    "CP-PAST-01",
		"óleo 5w":     "CP-OLEO-03",
		"ÓLEO":        "CP-OLEO-03",
		"cp-":         "CP-DISC-02,CP-OLEO-03,CP-PAST-01",
		"df-200":      "CP-DISC-02",
		"789123402":   "CP-DISC-02",
		"freio":       "CP-DISC-02",
		"01":          "CP-PAST-01",
		"o":           "CP-DISC-02,CP-OLEO-03",
		`"premium"`:   "CP-OLEO-03",
		"inexistente": "",
		"5w30 sin":    "CP-OLEO-03",
		"ceramica":    "",
		"78912":       "CP-DISC-02,CP-OLEO-03,CP-PAST-01", // in every product: the GLOB scan answers
		"7891234":     "CP-DISC-02,CP-OLEO-03,CP-PAST-01",
	} {
		if got := search(q); got != want {
			t.Errorf("search %q: %q, want %q", q, got, want)
		}
	}
	p, err := f.st.FindProductBySKU(f.ctx, "CP-DISC-02")
	if err != nil {
		t.Fatal(err)
	}
	p.Name, p.Supplier = "Tambor traseiro", nil
	if err := f.st.UpdateProduct(f.ctx, p); err != nil {
		t.Fatal(err)
	}
	if got := search("freio"); got != "" {
		t.Errorf("after the rename, %q still finds %q", "freio", got)
	}
	if got := search("tambor"); got != "CP-DISC-02" {
		t.Errorf("after the rename, %q finds %q", "tambor", got)
	}
	if err := f.db.Gorm.Exec("DELETE FROM products WHERE sku = 'CP-PAST-01'").Error; err != nil {
		t.Fatal(err)
	}
	if got := search("cerâmica"); got != "" {
		t.Errorf("after the deletion, %q finds %q", "cerâmica", got)
	}
}

// The late POs are counted and paged in SQL; the SQL deadline must agree
// with model.PurchaseOrder.Late on both sides of the deadline, for the PO's
// own dispatch hours and the default.
func TestLateSQLAgreesWithTheModel(t *testing.T) {
	f := newProductFixture(t)
	now := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	type poCase struct {
		billedAgo time.Duration
		hours     int
		shipped   bool
		status    model.POStatus
	}
	cases := []poCase{
		{24*time.Hour + time.Minute, 0, false, model.POBilled}, // default 24 h: late
		{24*time.Hour - time.Minute, 0, false, model.POBilled}, // not yet
		{48*time.Hour + time.Minute, 48, false, model.POBilled},
		{48*time.Hour - time.Minute, 48, false, model.POBilled},
		{6*time.Hour + time.Second*30, 6, false, model.POBilled},
		{100 * time.Hour, 24, true, model.POBilled},   // shipped: never late
		{100 * time.Hour, 24, false, model.POShipped}, // another status
	}
	plat := &model.Platform{Kind: model.PlatformSandbox, Name: "Loja", SettingsSealed: "x", Enabled: true, ImportIntervalSeconds: 900, ImportFrom: model.ImportFromAwaitingPayment}
	if err := f.st.CreatePlatform(f.ctx, plat); err != nil {
		t.Fatal(err)
	}
	want := map[int64]bool{}
	var wantIDs []int64
	for i, c := range cases {
		billed := now.Add(-c.billedAgo)
		so := &model.SalesOrder{PlatformID: plat.ID, ExternalID: fmt.Sprint("EXT-", i), Number: fmt.Sprint("N-", i), Status: model.SOInvoiced, PlacedAt: now.Add(-200 * time.Hour)}
		if err := f.st.CreateSalesOrder(f.ctx, so); err != nil {
			t.Fatal(err)
		}
		po := model.PurchaseOrder{Number: fmt.Sprint("PC-9", i), SalesOrderID: so.ID, SupplierID: f.a.ID, Status: c.status, BilledAt: &billed, DispatchHours: c.hours,
			CreatedAt: billed.Add(-time.Hour), DueAt: billed}
		if c.shipped {
			sh := billed.Add(time.Hour)
			po.ShippedAt = &sh
		}
		if err := f.db.Gorm.Omit("Supplier", "Items").Create(&po).Error; err != nil {
			t.Fatal(err)
		}
		want[po.ID] = po.Late(now)
		if po.Late(now) {
			wantIDs = append(wantIDs, po.ID)
		}
	}
	n, err := f.st.CountLatePurchaseOrders(f.ctx, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(wantIDs)) || n != 3 {
		t.Errorf("late count %d, the model says %d (%v)", n, len(wantIDs), wantIDs)
	}
	if n, _ := f.st.CountLatePurchaseOrders(f.ctx, &f.b.ID, now); n != 0 {
		t.Errorf("supplier B has no late PO, counted %d", n)
	}
	page, err := f.st.ListLatePurchaseOrdersPage(f.ctx, &f.a.ID, now, 1, 5)
	if err != nil {
		t.Fatal(err)
	}
	all, err := f.st.ListLatePurchaseOrders(f.ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, po := range all {
		if !want[po.ID] {
			t.Errorf("%s listed late, the model says not", po.Number)
		}
	}
	if len(all) != len(wantIDs) || len(page) != len(wantIDs)-1 || (len(page) > 0 && page[0].ID != all[1].ID) {
		t.Errorf("list %d, page from 1 %d, want %d and %d", len(all), len(page), len(wantIDs), len(wantIDs)-1)
	}
}
