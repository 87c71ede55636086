package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

type productFixture struct {
	db   *database.DB
	st   *store.Store
	ctx  context.Context
	a, b *model.Supplier
}

func newProductFixture(t *testing.T) *productFixture {
	t.Helper()
	db := testdb.MustOpen(t)
	st := store.New(db)
	ctx := model.WithActor(context.Background(), model.Actor{Label: "test"})
	f := &productFixture{db: db, st: st, ctx: ctx}
	for i, doc := range []string{"11222333000181", "12ABC34501DE35"} {
		s := &model.Supplier{CNPJ: doc, LegalName: fmt.Sprintf("Fornecedor %c", 'A'+i), DispatchHours: 24, PriceNoticeDays: 20, Active: true}
		if err := st.CreateSupplier(ctx, s); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			f.a = s
		} else {
			f.b = s
		}
	}
	return f
}

func (f *productFixture) product(sku, name string, sup *model.Supplier, code string) model.Product {
	p := model.Product{SKU: sku, Name: name, Active: true}
	if sup != nil {
		id := sup.ID
		p.SupplierID, p.SupplierCode, p.Dropship = &id, code, true
	}
	return p
}

func (f *productFixture) countAudit(t *testing.T, action string) int {
	t.Helper()
	entries, _, err := f.st.ListAudit(f.ctx, store.AuditFilter{Entity: "product"}, store.Page{Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == action {
			n++
		}
	}
	return n
}

func TestCreateAndUpdateProduct(t *testing.T) {
	f := newProductFixture(t)
	p := f.product("CP-1", "Filtro de óleo", f.a, "A-1")
	if err := f.st.CreateProduct(f.ctx, &p); err != nil {
		t.Fatal(err)
	}
	dup := f.product("CP-1", "Outro", nil, "")
	err := f.st.CreateProduct(f.ctx, &dup)
	if !apperr.Is(err, apperr.ECONFLICT) || apperr.Details(err)[0].Field != "sku" {
		t.Fatalf("duplicate SKU: %v %+v", err, apperr.Details(err))
	}
	taken := f.product("CP-2", "Outro", f.a, "A-1")
	err = f.st.CreateProduct(f.ctx, &taken)
	if !apperr.Is(err, apperr.ECONFLICT) || apperr.Details(err)[0].Field != "supplier_code" {
		t.Fatalf("taken supplier code: %v %+v", err, apperr.Details(err))
	}
	// The same code at another supplier is another product.
	other := f.product("CP-2", "Outro", f.b, "A-1")
	if err := f.st.CreateProduct(f.ctx, &other); err != nil {
		t.Fatal(err)
	}

	edit := p
	edit.SKU = "HACKED"
	edit.Name, edit.NCM, edit.Active = "Filtro de óleo PSL", "84212300", false
	if err := f.st.UpdateProduct(f.ctx, &edit); err != nil {
		t.Fatal(err)
	}
	got, err := f.st.FindProduct(f.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.SKU != "CP-1" || got.Name != "Filtro de óleo PSL" || got.NCM != "84212300" || got.Active || got.Supplier == nil || got.Supplier.ID != f.a.ID {
		t.Fatalf("after update: %+v", got)
	}
	entries, _, err := f.st.ListAudit(f.ctx, store.AuditFilter{Entity: "product"}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	var upd *model.AuditEntry
	for i := range entries {
		if entries[i].Action == "product.update" {
			upd = &entries[i]
		}
	}
	if upd == nil {
		t.Fatal("no product.update audit entry")
	}
	var d struct{ Before, After map[string]any }
	if err := json.Unmarshal([]byte(upd.Details), &d); err != nil {
		t.Fatal(err)
	}
	if d.Before["name"] != "Filtro de óleo" || d.After["name"] != "Filtro de óleo PSL" || d.After["active"] != false {
		t.Fatalf("audit before/after: %s", upd.Details)
	}
	// Moving the product to a code another product holds is refused.
	edit.SupplierID, edit.SupplierCode = &f.b.ID, "A-1"
	if err := f.st.UpdateProduct(f.ctx, &edit); !apperr.Is(err, apperr.ECONFLICT) {
		t.Fatalf("update onto a taken code: %v", err)
	}
	if _, err := f.st.FindProductBySKU(f.ctx, "NOPE"); !apperr.Is(err, apperr.ENOTFOUND) {
		t.Fatalf("missing SKU: %v", err)
	}
	if got, err := f.st.FindProductBySupplierCode(f.ctx, f.b.ID, "A-1"); err != nil || got.SKU != "CP-2" {
		t.Fatalf("by supplier code: %v %v", got, err)
	}
}

func TestListProducts(t *testing.T) {
	f := newProductFixture(t)
	for i := 0; i < 30; i++ {
		sup := f.a
		if i%3 == 0 {
			sup = f.b
		}
		p := f.product(fmt.Sprintf("CP-%03d", i), fmt.Sprintf("Pastilha de freio %02d", i), sup, fmt.Sprintf("PF-%d", i))
		if i == 7 {
			p.Name, p.EAN = "Óleo 5W30 Sintético", "7891000000014"
		}
		if i%5 == 0 {
			p.Active = false
		}
		if i == 8 {
			p.Dropship = false
		}
		if err := f.st.CreateProduct(f.ctx, &p); err != nil {
			t.Fatal(err)
		}
	}
	list := func(fl store.ProductFilter, page store.Page) ([]model.Product, int64) {
		t.Helper()
		items, total, err := f.st.ListProducts(f.ctx, fl, page)
		if err != nil {
			t.Fatal(err)
		}
		return items, total
	}
	items, total := list(store.ProductFilter{}, store.Page{Number: 2, Size: 25})
	if total != 30 || len(items) != 5 {
		t.Fatalf("page 2: %d items of %d", len(items), total)
	}
	if items[0].Supplier == nil {
		t.Fatal("supplier not loaded")
	}
	for _, q := range []string{"5w30", "7891000000014", "cp-007", "PF-7", "óleo", "SINTÉTICO", " Óleo 5w30 "} {
		items, total = list(store.ProductFilter{Query: q}, store.Page{})
		if total != 1 || items[0].SKU != "CP-007" {
			t.Errorf("search %q: %d results", q, total)
		}
	}
	for _, q := range []string{"100%", "*", "?", "[a", "_"} {
		if _, total = list(store.ProductFilter{Query: q}, store.Page{}); total != 0 {
			t.Errorf("wildcard %q not escaped: %d results", q, total)
		}
	}
	if _, total = list(store.ProductFilter{SupplierID: &f.b.ID}, store.Page{}); total != 10 {
		t.Errorf("supplier filter: %d", total)
	}
	inactive := false
	if _, total = list(store.ProductFilter{Active: &inactive}, store.Page{}); total != 6 {
		t.Errorf("inactive filter: %d", total)
	}
	if items, total = list(store.ProductFilter{Dropship: &inactive}, store.Page{}); total != 1 || items[0].SKU != "CP-008" {
		t.Errorf("dropship filter: %d", total)
	}
}

func TestUpsertProductsBatchesAndAuditsOnce(t *testing.T) {
	f := newProductFixture(t)
	const n = 1203 // three statements of up to 500 rows
	ps := make([]model.Product, n)
	for i := range ps {
		ps[i] = f.product(fmt.Sprintf("SKU-%05d", i), fmt.Sprintf("Produto %d", i), f.a, fmt.Sprintf("C-%d", i))
	}
	res, err := f.st.UpsertProducts(f.ctx, ps, store.ProductImport{Source: "a.csv", Format: "CSV"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != n || res.Updated != 0 || res.Unchanged != 0 {
		t.Fatalf("first upsert: %+v", res)
	}
	ps[10].Name = "Produto dez"
	ps[1200].Active = false
	// Two products swap their supplier codes: the unique index must not trip half way.
	ps[0].SupplierCode, ps[1].SupplierCode = ps[1].SupplierCode, ps[0].SupplierCode
	res, err = f.st.UpsertProducts(f.ctx, ps, store.ProductImport{Source: "b.csv", Format: "CSV"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 0 || res.Updated != 4 || res.Unchanged != n-4 {
		t.Fatalf("second upsert: %+v", res)
	}
	got, err := f.st.FindProductBySKU(f.ctx, "SKU-00010")
	if err != nil || got.Name != "Produto dez" {
		t.Fatalf("updated row: %+v %v", got, err)
	}
	if got, _ := f.st.FindProductBySupplierCode(f.ctx, f.a.ID, "C-1"); got == nil || got.SKU != "SKU-00000" {
		t.Fatalf("swap: C-1 belongs to %+v", got)
	}
	if got, _ := f.st.FindProductBySKU(f.ctx, "SKU-01200"); got.Active {
		t.Fatal("active flag not written")
	}
	if total, _ := f.st.CountProducts(f.ctx, nil); total != int64(n) {
		t.Fatalf("total after upserts: %d", total)
	}
	if c := f.countAudit(t, "product.import"); c != 2 {
		t.Fatalf("import audit entries: %d, want one per import", c)
	}
	if c := f.countAudit(t, "product.create") + f.countAudit(t, "product.update"); c != 0 {
		t.Fatalf("per-row audit entries: %d", c)
	}
}

func TestUpsertProductsIsAtomic(t *testing.T) {
	f := newProductFixture(t)
	held := f.product("HOLDER", "Detentor", f.a, "X")
	if err := f.st.CreateProduct(f.ctx, &held); err != nil {
		t.Fatal(err)
	}
	ps := make([]model.Product, 700)
	for i := range ps {
		ps[i] = f.product(fmt.Sprintf("N-%d", i), "Novo", f.a, fmt.Sprintf("N%d", i))
	}
	ps[650].SupplierCode = "X" // in the second batch: the first batch must roll back too
	if _, err := f.st.UpsertProducts(f.ctx, ps, store.ProductImport{Source: "c.csv"}); !apperr.Is(err, apperr.ECONFLICT) {
		t.Fatalf("conflicting upsert: %v", err)
	}
	if _, total, _ := f.st.ListProducts(f.ctx, store.ProductFilter{}, store.Page{}); total != 1 {
		t.Fatalf("rows left by a failed upsert: %d", total-1)
	}
}

// The catalog search takes one of three plans on PostgreSQL by how many
// products match and where they fall in name order (store.searchProductIDs);
// each page of each must be the page of the brute-force answer: the
// matching products in name order, the same on SQLite.
func TestProductSearchPagesEveryPlan(t *testing.T) {
	f := newProductFixture(t)
	defer store.SetSearchWindow(300)()
	var ps []model.Product
	for i := 0; i < 2400; i++ {
		var name string
		switch {
		case i%2 == 0: // 1,200 brake parts, all sorted after the window
			name = fmt.Sprintf("Disco de freio %04d", i)
		case i%97 == 1: // a rare word
			name = fmt.Sprintf("Amortecedor Volvo %04d", i)
		default: // 1,200 names "Amortecedor …" before the brake parts, 1,190 with "tras"
			name = fmt.Sprintf("Amortecedor traseiro %04d", i)
		}
		ps = append(ps, f.product(fmt.Sprintf("SK-%05d", i), name, f.a, ""))
	}
	if _, err := f.st.UpsertProducts(f.ctx, ps, store.ProductImport{}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"freio", "volvo", "tras", "amortecedor", "sk-0001"} {
		var want []string
		for _, p := range ps {
			if strings.Contains(strings.ToLower(p.SKU+" "+p.Name), q) {
				want = append(want, p.Name)
			}
		}
		slices.SortFunc(want, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
		for _, page := range []int{1, 2, 7} {
			items, total, err := f.st.ListProducts(f.ctx, store.ProductFilter{Query: q}, store.Page{Number: page, Size: 25})
			if err != nil {
				t.Fatal(err)
			}
			if wantTotal := min(int64(len(want)), store.ListCountCap+1); total != wantTotal {
				t.Errorf("%q: total %d, want %d", q, total, wantTotal)
			}
			lo, hi := min((page-1)*25, len(want)), min(page*25, len(want))
			var got []string
			for _, p := range items {
				got = append(got, p.Name)
			}
			if !slices.Equal(got, want[lo:hi]) {
				t.Errorf("%q page %d: got %d products %v…, want %d %v…", q, page, len(got), first(got), hi-lo, first(want[lo:hi]))
			}
		}
	}
}

func first(s []string) []string { return s[:min(3, len(s))] }
